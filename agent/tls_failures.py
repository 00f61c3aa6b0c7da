"""A refused server certificate, explained with its facts.

When verification fails, `explain` reads the certificate the server presents (see
`agent.certificates.peer_certificate`) and says what is wrong with it: an issuer this
machine does not trust (named, with the way to trust it), a certificate for other
names (listed), one that has expired or is not valid yet (its dates), or one signed by
itself. OpenSSL's verification code says which, where there is one (Linux); on other
systems the certificate's own facts do.
"""

import ssl
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from agent.certificates import CertificateFacts, facts_of, peer_certificate, when
from agent.errors import Unreachable

# OpenSSL's X509_V_ERR_* codes (`ssl.SSLCertVerificationError.verify_code`).
_NOT_YET_VALID = 9
_EXPIRED = 10
_SELF_SIGNED = 18
_UNKNOWN_ISSUER = (2, 19, 20, 21)
_WRONG_HOST = (62, 64)


def verification_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not s for s in seen):
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        seen.append(current)
        current = current.__cause__ or current.__context__
    return None


async def explain(
    exc: BaseException, url: str, seconds: float, *, system_store: bool = True
) -> Unreachable | None:
    """The error for a refused certificate, with its facts; None when `exc` is not a
    verification failure or the certificate cannot be read within `seconds`."""
    error = verification_error(exc)
    if error is None:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or 443
    der = await peer_certificate(host, port, seconds)
    if der is None:
        return None
    facts = facts_of(der)
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return describe(
        where,
        host,
        facts,
        error.verify_code,
        error.verify_message,
        system_store=system_store,
    )


def describe(
    where: str,
    host: str,
    facts: CertificateFacts,
    code: int | None,
    reason: str | None = None,
    *,
    system_store: bool = True,
    now: datetime | None = None,
) -> Unreachable:
    now = now or datetime.now(UTC)
    data: dict[str, Any] = {"tls": True, "certificate": facts.to_data()}
    known = code is None or code == 0
    if code == _EXPIRED or (known and now > facts.not_after):
        return Unreachable(
            f"The certificate of {where} expired on {when(facts.not_after)}. "
            f"It was issued to {facts.subject} by {facts.issuer}.",
            hint="The server's administrator must renew it. If that date has not passed, "
            f"this machine's clock is wrong (it says {when(now)}).",
            **data,
        )
    if code == _NOT_YET_VALID or (known and now < facts.not_before):
        return Unreachable(
            f"The certificate of {where} is not valid before {when(facts.not_before)}.",
            hint=f"Check this machine's clock (it says {when(now)}); otherwise the server's "
            "administrator installed the certificate before its time.",
            **data,
        )
    if code in _WRONG_HOST or (known and not facts.covers(host)):
        held = ", ".join(facts.names) if facts.names else f"no host names (only {facts.subject})"
        return Unreachable(
            f"The certificate of {where} is for {held}, not {host}.",
            hint="Use one of the names the certificate holds in the base URL, if it reaches "
            f"the same server; otherwise its administrator must add {host} to the certificate.",
            action="configure",
            **data,
        )
    if code == _SELF_SIGNED or (known and facts.self_signed):
        return Unreachable(
            f"The certificate of {where} is self-signed: {facts.subject} signed it itself, "
            "so no certificate authority vouches for it.",
            hint="If you trust this server, check its SHA-256 fingerprint "
            f"{facts.sha256} with its administrator, then add the certificate itself "
            "(a PEM file) as the CA bundle. Verification stays on.",
            action="setCaBundle",
            **data,
        )
    if known or code in _UNKNOWN_ISSUER:
        return Unreachable(
            f"The certificate of {where} is issued by {facts.issuer}, a certificate "
            "authority this machine does not trust.",
            hint=_trust_hint(facts.issuer, system_store),
            action="setCaBundle",
            **data,
        )
    return Unreachable(
        f"The certificate of {where} was refused: {reason or 'verification failed'}. "
        f"It was issued to {facts.subject} by {facts.issuer}.",
        hint="The server's administrator must fix its certificate. Verification stays on.",
        **data,
    )


def _trust_hint(issuer: str, system_store: bool) -> str:
    where = (
        "as the CA bundle, or install it in the operating system's trust store"
        if system_store
        else "as the CA bundle (the operating system's trust store is off for this server)"
    )
    return (
        f"If {issuer} is your company's CA, add its certificate (a PEM file) {where}. "
        "Verification stays on."
    )
