"""Client certificates (mTLS): loading `http.clientCertificate` and `http.clientKey`
into a TLS context, and explaining a server that asks for a certificate or refuses one.

The files are read and checked here first (with `cryptography`), so each failure says
what is wrong: a file that cannot be read, no certificate or no key in it, an
encrypted key without its passphrase or with a wrong one, a key that is not the
certificate's. The passphrase (`httpSecrets.clientKeyPassphrase`) is only ever
handed to the parser and to OpenSSL, never put in a message. OpenSSL always gets a
passphrase callback: without one it would prompt on the terminal.
"""

import re
import ssl
from pathlib import Path
from typing import TYPE_CHECKING

from agent.errors import Unreachable
from agent.secret import Secret
from protocol.types import HttpSettings

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes

_KEY_BLOCK = re.compile(
    rb"-----BEGIN ((?:ENCRYPTED |RSA |EC )?PRIVATE KEY)-----.*?-----END \1-----", re.DOTALL
)
_SET_FILES = (
    "Set http.clientCertificate to a PEM file with the certificate (and its key, or the "
    "key's file as http.clientKey)."
)


class _NoPassphrase(Exception):
    pass


def load(context: ssl.SSLContext, http: HttpSettings, passphrase: Secret | None) -> None:
    """Add the client certificate of `http`, if any, to `context`; `unreachable` with
    `tls: true` and `action: configure` when it cannot be used."""
    if not http.client_certificate:
        if http.client_key:
            raise _unusable(
                f"http.clientKey is set ({http.client_key}) but http.clientCertificate is not."
            )
        return
    cert_path = http.client_certificate
    key_path = http.client_key or cert_path
    cert_pem = _read(cert_path, "client certificate")
    key_pem = cert_pem if key_path == cert_path else _read(key_path, "client key")
    certificate_key = _certificate_public_key(cert_path, cert_pem)
    key = _private_key(key_path, key_pem, passphrase, separate=bool(http.client_key))
    if _spki(key.public_key()) != certificate_key:
        raise _unusable(
            f"The client key {key_path} is not the key of the certificate {cert_path}.",
            hint="Use the key file that was made with this certificate.",
        )

    def password() -> bytes:
        if passphrase is None:
            raise _NoPassphrase
        return passphrase.reveal().encode()

    try:
        context.load_cert_chain(cert_path, http.client_key or None, password=password)
    except (OSError, ssl.SSLError, _NoPassphrase) as exc:
        raise _unusable(
            f"The client certificate {cert_path} could not be loaded ({exc.__class__.__name__}).",
        ) from None


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).expanduser().read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise _unusable(f"The {what} file {path} could not be read: {reason}.") from None


def _certificate_public_key(path: str, pem: bytes) -> bytes:
    from cryptography import x509

    try:
        certificates = x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise _unusable(f"The client certificate file {path} holds no PEM certificate.") from None
    return _spki(certificates[0].public_key())


def _private_key(
    path: str, pem: bytes, passphrase: Secret | None, *, separate: bool
) -> "PrivateKeyTypes":
    from cryptography.hazmat.primitives import serialization

    block = _KEY_BLOCK.search(pem)
    if block is None:
        if separate:
            raise _unusable(f"The client key file {path} holds no PEM private key.")
        raise _unusable(
            f"The client certificate file {path} holds no private key.",
            hint="Set http.clientKey to the file of the certificate's key.",
        )
    encrypted = block.group(1).startswith(b"ENCRYPTED") or b"Proc-Type: 4,ENCRYPTED" in block[0]
    if encrypted and passphrase is None:
        raise _unusable(
            f"The client key in {path} is encrypted, and no passphrase is set for it.",
            hint="Give the key's passphrase as httpSecrets.clientKeyPassphrase in the "
            "instance's configuration; it is kept in the secret store.",
        )
    secret = passphrase.reveal().encode() if encrypted and passphrase is not None else None
    try:
        return serialization.load_pem_private_key(block[0], password=secret)
    except (ValueError, TypeError):
        if encrypted:
            raise _unusable(
                f"The passphrase set for the client key in {path} is wrong: the key "
                "could not be decrypted with it.",
                hint="Set the key's right passphrase as httpSecrets.clientKeyPassphrase.",
            ) from None
        raise _unusable(f"The client key in {path} could not be read as a private key.") from None


def _spki(public_key: "PublicKeyTypes") -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _unusable(message: str, hint: str = _SET_FILES) -> Unreachable:
    return Unreachable(message, hint=hint, tls=True, action="configure")


# TLS alerts a server sends about the client's certificate, as OpenSSL names them.
_MISSING = ("CERTIFICATE_REQUIRED", "certificate required")  # alert 116, TLS 1.3
_HANDSHAKE_FAILURE = ("SSLV3_ALERT_HANDSHAKE_FAILURE", "alert handshake failure")  # TLS 1.2
_REFUSALS = {
    "UNKNOWN_CA": "it does not trust the certificate's issuer",
    "BAD_CERTIFICATE": "it found the certificate bad",
    "CERTIFICATE_UNKNOWN": "it could not accept the certificate",
    "CERTIFICATE_EXPIRED": "the certificate has expired",
    "CERTIFICATE_REVOKED": "the certificate was revoked",
    "UNSUPPORTED_CERTIFICATE": "it does not accept this kind of certificate",
    "ACCESS_DENIED": "the certificate is not allowed in",
}


def explain(where: str, text: str, http: HttpSettings) -> Unreachable | None:
    """The error for a TLS alert about the client's certificate, or None for others."""
    upper = text.upper()
    certificate = http.client_certificate
    if any(marker.upper() in upper for marker in _MISSING) or (
        not certificate and any(marker.upper() in upper for marker in _HANDSHAKE_FAILURE)
    ):
        return Unreachable(
            f"The server at {where} asks for a client certificate, and none is set "
            f"(the TLS handshake ended: {text}).",
            hint=_SET_FILES,
            tls=True,
            action="configure",
        )
    if not certificate:
        return None
    for alert, meaning in _REFUSALS.items():
        if f"ALERT_{alert}" in upper:
            return Unreachable(
                f"The server at {where} refused the client certificate {certificate}: "
                f"{meaning} ({text}).",
                hint="Use a client certificate the server accepts (its administrator knows "
                "which CA issues them).",
                tls=True,
                action="configure",
            )
    return None
