"""HTTPS mode: a throw-away CA of the simulator's own and a server certificate.

Clients must trust the CA explicitly (a CA bundle, or a trust store that holds it),
which is exactly the setup a company with an internal CA has, so tests exercise the
``caBundle`` setting and the OS trust store for real.

The server certificate comes in the kinds a client meets in the field (`TLS_MODES`):
``good`` (for 127.0.0.1 and localhost), ``wrong-host`` (for other names only),
``expired``, and ``self-signed`` (no CA behind it). `CertificateAuthority` is reusable:
it issues server and client certificates (for a client-certificate mode).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import ssl
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TLS_MODES = ("good", "wrong-host", "expired", "self-signed")
ORGANIZATION = "issuebridge simulator"
CA_NAME = "issuebridge simulator CA"
# The names a `wrong-host` certificate holds: none of them is 127.0.0.1 or localhost.
WRONG_HOST_NAMES = ("jira.other.example", "other.example")
# When an `expired` certificate stopped being valid, relative to now.
EXPIRED_AGO = timedelta(days=2)

Key = ec.EllipticCurvePrivateKey


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _new_key() -> Key:
    # EC keys: generated in milliseconds, unlike RSA, and every TLS client accepts them.
    return ec.generate_private_key(ec.SECP256R1())


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _window(valid_from: datetime | None, valid_until: datetime | None) -> tuple[datetime, datetime]:
    start = valid_from or datetime.now(UTC) - timedelta(minutes=5)
    return start, valid_until or start + timedelta(days=30)


def _sans(names: tuple[str, ...]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


@dataclass
class CertificateAuthority:
    """A CA: its certificate and key, and what it issues."""

    cert: x509.Certificate
    key: Key

    @classmethod
    def create(cls, common_name: str = CA_NAME) -> CertificateAuthority:
        key = _new_key()
        name = _name(common_name)
        start, end = _window(None, None)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(cert_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        return cls(cert, key)

    @property
    def cert_pem(self) -> str:
        return pem(self.cert)

    def issue(
        self,
        common_name: str,
        names: tuple[str, ...] = (),
        *,
        client: bool = False,
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
    ) -> tuple[x509.Certificate, Key]:
        """A leaf certificate and its new key: for a server (`names`: its DNS names and
        IP addresses) or, with `client`, for a client to present."""
        key = _new_key()
        start, end = _window(valid_from, valid_until)
        usage = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), False
            )
        )
        if names:
            builder = builder.add_extension(_sans(names), critical=False)
        return builder.sign(self.key, hashes.SHA256()), key


def self_signed(common_name: str, names: tuple[str, ...]) -> tuple[x509.Certificate, Key]:
    """A server certificate signed by its own key, no CA behind it."""
    key = _new_key()
    start, end = _window(None, None)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(_sans(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def write_key(path: Path, key: Key) -> None:
    """A private key as PEM, readable by its owner only."""
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_bytes)


@dataclass
class TlsMaterial:
    directory: Path
    ca: CertificateAuthority
    ca_cert_pem: str
    ca_cert_path: Path
    server_cert_pem: str
    server_cert_path: Path
    server_key_path: Path
    mode: str = "good"

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.server_cert_path, self.server_key_path)
        return context

    def cleanup(self) -> None:
        for path in self.directory.iterdir():
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self.directory.rmdir()


def _server_certificate(ca: CertificateAuthority, mode: str) -> tuple[x509.Certificate, Key]:
    loopback = ("localhost", "127.0.0.1")
    if mode == "good":
        return ca.issue("localhost", loopback)
    if mode == "wrong-host":
        return ca.issue(WRONG_HOST_NAMES[0], WRONG_HOST_NAMES)
    if mode == "expired":
        end = datetime.now(UTC) - EXPIRED_AGO
        return ca.issue("localhost", loopback, valid_from=end - timedelta(days=90), valid_until=end)
    if mode == "self-signed":
        return self_signed("localhost", loopback)
    raise ValueError(f"unknown TLS mode {mode!r} (one of {', '.join(TLS_MODES)})")


def generate(mode: str = "good", ca: CertificateAuthority | None = None) -> TlsMaterial:
    """The CA (a new one unless given) and a server certificate of the given mode,
    written to a new private directory."""
    ca = ca or CertificateAuthority.create()
    server_cert, server_key = _server_certificate(ca, mode)
    directory = Path(tempfile.mkdtemp(prefix="issuebridge-sim-tls-"))
    ca_path = directory / "ca.pem"
    cert_path = directory / "server.pem"
    key_path = directory / "server-key.pem"
    ca_path.write_text(ca.cert_pem)
    cert_path.write_text(pem(server_cert))
    write_key(key_path, server_key)
    return TlsMaterial(
        directory, ca, ca.cert_pem, ca_path, pem(server_cert), cert_path, key_path, mode
    )
