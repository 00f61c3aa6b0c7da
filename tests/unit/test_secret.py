"""A Secret never shows its value unless asked by name."""

import json
import logging
import pickle

import pytest

from agent.logs import ScrubbingFormatter
from agent.secret import Secret, scrub


def test_a_secret_never_formats_as_its_value() -> None:
    secret = Secret("s3cr3t-token-value")
    for text in (
        str(secret),
        repr(secret),
        f"{secret}",
        "%s" % secret,  # noqa: UP031 - logging formats this way
        f"{secret!r}",
        f"{[secret]}",
    ):
        assert "s3cr3t" not in text
    assert secret.reveal() == "s3cr3t-token-value"


def test_a_secret_cannot_be_serialised() -> None:
    with pytest.raises(TypeError):
        json.dumps({"token": Secret("s3cr3t-token-value")})
    with pytest.raises(TypeError):
        pickle.dumps(Secret("s3cr3t-token-value"))


def test_known_secret_values_are_scrubbed_from_log_records() -> None:
    pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
    held = [Secret("another-token-1234"), Secret(pem)]  # scrubbed while the agent holds them
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "got %s and %s",
        ("another-token-1234", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
        None,
    )
    text = ScrubbingFormatter().format(record)
    assert "another-token" not in text
    assert "MIIEvQ" not in text
    assert scrub("x another-token-1234 y") == "x <secret> y"
    del held
    # Forgotten once no Secret holds them any more (nothing left to leak, nor to keep).
    assert scrub("x another-token-1234 y") == "x another-token-1234 y"
