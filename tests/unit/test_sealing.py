"""Sealed keys open only with their passphrase, and only for their instance."""

import pytest

from agent.auth.sealing import new_passphrase, seal, unseal
from agent.errors import InvalidParams
from agent.secret import Secret

KEY = Secret(
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
)


def test_round_trip_and_passphrase_is_forgiving_about_case() -> None:
    passphrase = new_passphrase()
    box = seal(KEY, passphrase, "ctx")
    assert unseal(box, Secret(passphrase.reveal().lower()), "ctx") == KEY
    assert KEY.reveal() not in repr(box) and passphrase.reveal() not in repr(box)


def test_wrong_passphrase_or_other_instance_is_refused() -> None:
    passphrase = new_passphrase()
    box = seal(KEY, passphrase, "ctx")
    with pytest.raises(InvalidParams) as caught:
        unseal(box, Secret("AAAAA-BBBBB"), "ctx")
    assert caught.value.field == "passphrase"
    with pytest.raises(InvalidParams):
        unseal(box, passphrase, "another instance")


def test_passphrases_are_fresh_and_long() -> None:
    first, second = new_passphrase().reveal(), new_passphrase().reveal()
    assert first != second
    assert len(first.replace("-", "")) == 30
