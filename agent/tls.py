"""Whom a tracker connection trusts, as one `ssl.SSLContext` per distinct setting.

- By default the operating system's trust store (the `truststore` package: Keychain on
  macOS, the Windows certificate store, on Linux the system bundle OpenSSL is pointed
  at, which honours `SSL_CERT_FILE` and `SSL_CERT_DIR`), with `caBundle` (PEM) added.
- `useSystemTrustStore: false`: Mozilla's CA list as shipped in `certifi` (what httpx
  trusts by default) instead of the operating system's, with `caBundle` added.
- `insecureSkipVerify: true` (per instance only, and only when explicitly true): no
  verification at all. Nothing else ever turns verification off.

Making a context loads CA certificates (tens of milliseconds), and a large fetch ends
with a new client, so contexts are kept per setting and per version of each file they
were made from (path, size, modification time, inode): a file replaced on disk gets a
new context. A file that fails to load raises every time; nothing is kept for it.
"""

import os
import ssl

from agent.errors import Unreachable
from agent.net_secrets import NetSecrets
from protocol.types import HttpSettings

# Contexts made so far, by `cache_key`.
_CONTEXTS: dict[tuple[object, ...], ssl.SSLContext] = {}
# More distinct settings / file versions than this in one agent: start over.
MAX_CONTEXTS = 8

_PEM_CERTIFICATE = b"-----BEGIN CERTIFICATE-----"
_PEM_TRUSTED_CERTIFICATE = b"-----BEGIN TRUSTED CERTIFICATE-----"


def ssl_context(http: HttpSettings, secrets: NetSecrets | None = None) -> ssl.SSLContext:
    """The TLS context for one instance's effective settings, made once and shared by
    every client with the same settings."""
    key = cache_key(http, secrets)
    context = _CONTEXTS.get(key)
    if context is None:
        context = _new_context(http, secrets)
        if len(_CONTEXTS) >= MAX_CONTEXTS:
            _CONTEXTS.clear()
        _CONTEXTS[key] = context
    return context


def verifies(http: HttpSettings) -> bool:
    """False only when the instance explicitly turned verification off."""
    return http.insecure_skip_verify is not True


def uses_system_trust_store(http: HttpSettings) -> bool:
    return http.use_system_trust_store is not False


def cache_key(http: HttpSettings, secrets: NetSecrets | None) -> tuple[object, ...]:
    """Everything a context is made from. The passphrase stays a `Secret` (compared and
    hashed as one, never turned into text)."""
    passphrase = secrets.client_key_passphrase if secrets else None
    return (
        verifies(http),
        uses_system_trust_store(http),
        _file_version(http.ca_bundle),
        _file_version(http.client_certificate),
        _file_version(http.client_key),
        passphrase,
    )


def _file_version(path: str | None) -> tuple[object, ...] | None:
    if not path:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return (path,)  # loading it fails, and nothing is kept
    return (path, stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _new_context(http: HttpSettings, secrets: NetSecrets | None) -> ssl.SSLContext:
    context = _trusting_context(http)
    if http.ca_bundle:
        add_ca_bundle(context, http.ca_bundle)
    load_client_certificate(context, http, secrets)
    return context


def _trusting_context(http: HttpSettings) -> ssl.SSLContext:
    if not verifies(http):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif uses_system_trust_store(http):
        import truststore

        context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    else:
        import certifi

        context = ssl.create_default_context(cafile=certifi.where())
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def add_ca_bundle(context: ssl.SSLContext, path: str) -> None:
    """Trust the CA certificates of a PEM file, in addition to what `context` trusts."""
    try:
        with open(path, "rb") as handle:
            content = handle.read()
    except OSError as exc:
        raise _bad_ca_bundle(path, f"could not be read ({exc.strerror or exc})") from None
    problem = _not_pem(content)
    if problem:
        raise _bad_ca_bundle(path, problem)
    try:
        context.load_verify_locations(cadata=content.decode("ascii", "replace"))
    except (ssl.SSLError, ValueError) as exc:
        raise _bad_ca_bundle(path, f"holds a certificate that could not be read ({exc})") from None


def _not_pem(content: bytes) -> str | None:
    if _PEM_CERTIFICATE in content or _PEM_TRUSTED_CERTIFICATE in content:
        return None
    if not content.strip():
        return "is empty"
    if content[:1] == b"\x30":  # an ASN.1 SEQUENCE: a DER certificate
        return (
            "is a DER (binary) certificate, not PEM; convert it with "
            "`openssl x509 -inform der -in FILE -out FILE.pem`"
        )
    if b"-----BEGIN" in content:
        return "is PEM but holds no certificate (a key or a request?)"
    return "is not a PEM file (no -----BEGIN CERTIFICATE----- line)"


def _bad_ca_bundle(path: str, problem: str) -> Unreachable:
    return Unreachable(
        f"The CA bundle {path} {problem}.",
        hint="The CA bundle must be a PEM file of CA certificates "
        "(-----BEGIN CERTIFICATE----- blocks).",
        tls=True,
        action="setCaBundle",
    )


def load_client_certificate(
    context: ssl.SSLContext, http: HttpSettings, secrets: NetSecrets | None
) -> None:
    """The client certificate (mTLS) the context presents: its key from the same file
    or `clientKey`, an encrypted key opened with `secrets.client_key_passphrase`. The
    context cache's key holds all three, so no instance gets another's certificate."""
    from agent import client_cert

    client_cert.load(context, http, secrets.client_key_passphrase if secrets else None)
