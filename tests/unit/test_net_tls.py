"""TLS contexts are made once per CA bundle and certificate version, not per client."""

import os
import ssl
from pathlib import Path

import pytest

from agent.errors import Unreachable
from agent.net import ssl_context
from protocol.types import HttpSettings
from simulators.jira_server import tls


def test_one_context_serves_every_client_with_the_same_settings() -> None:
    assert ssl_context(HttpSettings()) is ssl_context(HttpSettings(proxy="http://p:3128"))


def test_a_replaced_ca_bundle_gets_a_new_context(tmp_path: Path) -> None:
    material = tls.generate()
    try:
        bundle = tmp_path / "ca.pem"
        bundle.write_text("")
        # Without the system store: a plain context, whose CA certificates can be listed.
        settings = HttpSettings(ca_bundle=str(bundle), use_system_trust_store=False)
        with pytest.raises(Unreachable):
            ssl_context(settings)  # an empty bundle does not load, and is not kept
        bundle.write_text(material.ca_cert_pem)
        context = ssl_context(settings)
        assert ssl_context(settings) is context
        assert context is not ssl_context(HttpSettings(use_system_trust_store=False))
        assert serials(context) >= serials_of(material.ca_cert_pem)
        stat = bundle.stat()
        bundle.write_text(material.ca_cert_pem)  # replaced by a copy: same size
        os.utime(bundle, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        renewed = ssl_context(settings)
        assert renewed is not context and serials(renewed) == serials(context)
    finally:
        material.cleanup()


def serials(context: ssl.SSLContext) -> set[str]:
    return {str(c["serialNumber"]) for c in context.get_ca_certs()}


def serials_of(pem: str) -> set[str]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cadata=pem)
    return serials(context)


def test_a_bundle_that_does_not_load_fails_every_time(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    settings = HttpSettings(ca_bundle=str(bundle))
    for _ in range(2):
        with pytest.raises(Unreachable):
            ssl_context(settings)
    bundle.write_text("not a certificate")
    with pytest.raises(Unreachable):
        ssl_context(settings)
