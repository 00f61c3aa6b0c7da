"""A server certificate's facts, read for explaining why it was refused.

`peer_certificate` makes a handshake of its own with verification off, only to read
the certificate the server presents: no request is sent on it, and it is closed as
soon as the handshake is done. `facts_of` reads that certificate with `cryptography`.
Certificates are public: nothing here is secret.
"""

import asyncio
import contextlib
import ipaddress
import math
import ssl
from datetime import UTC, datetime

import attrs


@attrs.frozen
class CertificateFacts:
    subject: str
    issuer: str
    # Its subject alternative names: DNS names and IP addresses, as written.
    names: tuple[str, ...]
    not_before: datetime
    not_after: datetime
    self_signed: bool
    sha256: str

    def covers(self, host: str) -> bool:
        """Whether the certificate is for `host` (a name or an IP address)."""
        try:
            address = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return any(_name_matches(name, host) for name in self.names)
        return any(_same_address(name, address) for name in self.names)

    def to_data(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "names": list(self.names),
            "notBefore": _iso(self.not_before),
            "notAfter": _iso(self.not_after),
            "selfSigned": self.self_signed,
            "sha256": self.sha256,
        }


def facts_of(der: bytes) -> CertificateFacts:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    cert = x509.load_der_x509_certificate(der)
    names: list[str] = []
    with contextlib.suppress(x509.ExtensionNotFound):
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names += sans.get_values_for_type(x509.DNSName)
        names += [str(a) for a in sans.get_values_for_type(x509.IPAddress)]
    return CertificateFacts(
        subject=_describe_name(cert.subject),
        issuer=_describe_name(cert.issuer),
        names=tuple(names),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        self_signed=cert.issuer == cert.subject,
        sha256=cert.fingerprint(hashes.SHA256()).hex(":").upper(),
    )


async def peer_certificate(host: str, port: int, seconds: float) -> bytes | None:
    """The certificate `host:port` presents, or None when it cannot be had in time.
    Only a TLS handshake: no request data is sent."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # only to read the certificate, never to use it
    if seconds <= 0:
        return None
    try:
        async with asyncio.timeout(seconds if math.isfinite(seconds) else None):
            _, writer = await asyncio.open_connection(host, port, ssl=context, server_hostname=host)
    except (OSError, TimeoutError, ssl.SSLError, ValueError):
        return None
    try:
        tls = writer.get_extra_info("ssl_object")
        return tls.getpeercert(binary_form=True) if tls is not None else None
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1):
                await writer.wait_closed()


def _describe_name(name: object) -> str:
    """`"CN" (O=organization)`, or what the name holds when it has no common name."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    assert isinstance(name, x509.Name)
    common = [str(a.value) for a in name.get_attributes_for_oid(NameOID.COMMON_NAME)]
    orgs = [str(a.value) for a in name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    if common and orgs:
        return f'"{common[0]}" (O={orgs[0]})'
    if common or orgs:
        return f'"{(common or orgs)[0]}"'
    return name.rfc4514_string() or "(no name)"


def _name_matches(pattern: str, host: str) -> bool:
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == host


def _same_address(name: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    try:
        return ipaddress.ip_address(name) == address
    except ValueError:
        return False


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def when(moment: datetime) -> str:
    """A date for people: `2026-12-01 14:05 UTC`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
