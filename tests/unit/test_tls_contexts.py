"""Whom each setting trusts: the OS store by default, certifi without it, a CA bundle
added to either, and no verification only when an instance says so explicitly."""

import ssl

import truststore

from agent.tls import ssl_context
from protocol.types import HttpSettings


def test_the_operating_system_store_is_the_default() -> None:
    context = ssl_context(HttpSettings())
    assert isinstance(context, truststore.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert ssl_context(HttpSettings(use_system_trust_store=True)) is context


def test_without_the_system_store_certifi_is_trusted() -> None:
    import certifi

    context = ssl_context(HttpSettings(use_system_trust_store=False))
    assert not isinstance(context, truststore.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    mozilla = ssl.create_default_context(cafile=certifi.where())
    assert len(context.get_ca_certs()) == len(mozilla.get_ca_certs()) > 100


def test_verification_is_off_only_when_explicitly_true() -> None:
    for setting in (None, False):
        context = ssl_context(HttpSettings(insecure_skip_verify=setting))
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    insecure = ssl_context(HttpSettings(insecure_skip_verify=True))
    assert insecure.verify_mode == ssl.CERT_NONE and not insecure.check_hostname
    assert insecure is not ssl_context(HttpSettings())


def test_every_context_refuses_tls_before_1_2() -> None:
    for http in (HttpSettings(), HttpSettings(use_system_trust_store=False)):
        assert ssl_context(http).minimum_version == ssl.TLSVersion.TLSv1_2
