"""A refused certificate explained from its own facts, as on macOS and Windows, where
the system's verifier gives no OpenSSL code (`code=None`)."""

from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives import serialization

from agent.certificates import CertificateFacts, facts_of
from agent.tls_failures import describe
from simulators.jira_server.tls import CertificateAuthority, self_signed

NOW = datetime.now(UTC)
WHERE = "jira.example.com:443"


def facts(
    ca: CertificateAuthority,
    names: tuple[str, ...],
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> CertificateFacts:
    cert, _ = ca.issue(
        names[0] if names else "server", names, valid_from=valid_from, valid_until=valid_until
    )
    return facts_of(cert.public_bytes(serialization.Encoding.DER))


def test_an_untrusted_issuer_is_named() -> None:
    ca = CertificateAuthority.create("Example Corp Issuing CA 2")
    error = describe(WHERE, "jira.example.com", facts(ca, ("jira.example.com",)), None)
    assert 'issued by "Example Corp Issuing CA 2" (O=issuebridge simulator)' in error.message
    assert error.data["action"] == "setCaBundle" and error.data["tls"] is True


def test_names_are_matched_as_tls_does() -> None:
    ca = CertificateAuthority.create()
    wildcard = facts(ca, ("*.example.com", "10.0.0.7"))
    assert wildcard.covers("jira.example.com") and wildcard.covers("JIRA.example.com.")
    assert not wildcard.covers("a.b.example.com") and not wildcard.covers("example.com")
    assert wildcard.covers("10.0.0.7") and not wildcard.covers("10.0.0.8")
    error = describe(WHERE, "example.com", wildcard, None)
    assert (
        error.message
        == f"The certificate of {WHERE} is for *.example.com, 10.0.0.7, not example.com."
    )


def test_dates_are_checked_before_names() -> None:
    ca = CertificateAuthority.create()
    old = facts(
        ca,
        ("other.example",),
        valid_from=NOW - timedelta(days=400),
        valid_until=NOW - timedelta(days=35),
    )
    assert "expired on" in describe(WHERE, "jira.example.com", old, None).message
    early = facts(ca, ("jira.example.com",), valid_from=NOW + timedelta(days=3))
    error = describe(WHERE, "jira.example.com", early, None)
    assert "is not valid before" in error.message and "clock" in (error.hint or "")


def test_a_self_signed_certificate_is_told_apart_from_an_unknown_ca() -> None:
    cert, _ = self_signed("jira.example.com", ("jira.example.com",))
    error = describe(
        WHERE, "jira.example.com", facts_of(cert.public_bytes(serialization.Encoding.DER)), None
    )
    assert "is self-signed" in error.message and error.data["certificate"]["selfSigned"] is True


def test_an_openssl_code_decides_over_the_facts() -> None:
    # OpenSSL reports the first problem it meets: an unknown issuer (20) before dates.
    ca = CertificateAuthority.create()
    old = facts(
        ca,
        ("jira.example.com",),
        valid_from=NOW - timedelta(days=9),
        valid_until=NOW - timedelta(days=1),
    )
    assert "does not trust" in describe(WHERE, "jira.example.com", old, 20).message
    other = describe(WHERE, "jira.example.com", old, 23, "certificate revoked")
    assert other.message.startswith(f"The certificate of {WHERE} was refused: certificate revoked.")
