"""RSA keys for OAuth 1.0a: generate them, read pasted ones, fingerprint them.

Everything here is `cryptography`'s work; this module only decides what to
accept and how to explain what was pasted when it is not a usable key.
"""

import base64
import hashlib
import re

import attrs

from agent.errors import AgentError, InvalidParams
from agent.secret import Secret

ALLOWED_BITS = (2048, 3072, 4096)
WEAK_BELOW_BITS = 2048

_PEM_LABEL = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----")


@attrs.frozen
class KeyPair:
    private_pem: Secret  # PKCS#8, unencrypted: it lives only in the secret store
    public_pem: str  # SubjectPublicKeyInfo
    bits: int


def generate(bits: int) -> KeyPair:
    """A fresh RSA key pair (slow for 4096 bits: call it off the event loop)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return _pair(key)


def load_private_key(pem: str, field: str = "fields.privateKey") -> KeyPair:
    """A pasted private key (PKCS#8 or PKCS#1 PEM), or InvalidParams saying what it is."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    text = pem.strip()
    labels = _PEM_LABEL.findall(text)
    if not labels:
        raise InvalidParams(
            field,
            "This is not a PEM key: it has no -----BEGIN … PRIVATE KEY----- line.",
            hint="Paste the whole private key file, or generate a key pair instead.",
            action="generateKey",
        )
    label = labels[0]
    if "ENCRYPTED" in label or "Proc-Type: 4,ENCRYPTED" in text:
        raise InvalidParams(
            field,
            "This private key is encrypted with a passphrase; issuebridge needs it unencrypted "
            "(it keeps it in your protected secret store).",
            hint="Export the key without a passphrase, or generate a key pair instead.",
            action="generateKey",
        )
    if "PUBLIC KEY" in label:
        raise InvalidParams(
            field,
            "This is a public key. The public key goes into Jira's Application Link; here "
            "issuebridge needs the matching private key.",
            hint="Paste the private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA "
            "PRIVATE KEY-----), or generate a key pair.",
            action="generateKey",
        )
    if "CERTIFICATE" in label:
        raise InvalidParams(
            field,
            "This is a certificate, not a private key.",
            hint="Paste the RSA private key whose public key is in the Application Link.",
        )
    if label in ("EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY"):
        raise InvalidParams(
            field,
            f"This is {_article(label)} {label.lower()}; Jira's OAuth 1.0a needs an RSA key.",
            hint="Use an RSA private key, or generate a key pair.",
            action="generateKey",
        )
    try:
        key = load_pem_private_key(text.encode("utf-8"), password=None)
    except TypeError:  # cryptography: "Password was not given but private key is encrypted"
        raise InvalidParams(
            field,
            "This private key is encrypted with a passphrase; issuebridge needs it unencrypted.",
            hint="Export the key without a passphrase, or generate a key pair instead.",
            action="generateKey",
        ) from None
    except Exception:
        raise InvalidParams(
            field,
            f"The {label.lower()} could not be read: it is damaged or incomplete.",
            hint="Paste the whole file, from -----BEGIN to -----END, unchanged.",
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise InvalidParams(
            field,
            f"This is a {type(key).__name__.removesuffix('PrivateKey').removeprefix('_')} key; "
            "Jira's OAuth 1.0a needs an RSA key.",
            hint="Use an RSA private key, or generate a key pair.",
            action="generateKey",
        )
    return _pair(key)


def _article(label: str) -> str:
    return "an" if label[0] in "AEIOU" else "a"


def _pair(key: object) -> KeyPair:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    assert isinstance(key, rsa.RSAPrivateKey)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    return KeyPair(private_pem=Secret(private), public_pem=public, bits=key.key_size)


def public_key_der(public_pem: str) -> bytes:
    body = "".join(line for line in public_pem.strip().splitlines() if "-----" not in line)
    return base64.b64decode(body)


def fingerprints(public_pem: str) -> dict[str, str]:
    """SHA-256 (base64, as `ssh-keygen -l` prints) and MD5 (colon hex) of the public key."""
    der = public_key_der(public_pem)
    sha256 = base64.b64encode(hashlib.sha256(der).digest()).decode().rstrip("=")
    md5 = hashlib.md5(der, usedforsecurity=False).hexdigest()
    return {
        "sha256": f"SHA256:{sha256}",
        "md5": ":".join(md5[i : i + 2] for i in range(0, len(md5), 2)),
    }


def key_id_for(public_pem: str) -> str:
    """A stable id for a generated key: derived from its public key, so it is unique."""
    return "key-" + hashlib.sha256(public_key_der(public_pem)).hexdigest()[:16]


def check_rsa_sha1_signing() -> None:
    """Fail clearly if this Python cannot make RSA-SHA1 signatures (OAuth 1.0a needs them).

    Some installs lack PyJWT (which oauthlib's RSA signer imports) or run under a
    crypto policy that forbids SHA-1 signatures. Checked once per process.
    """
    global _rsa_sha1_ok
    if _rsa_sha1_ok:
        return
    problem = None
    try:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        from cryptography.hazmat.primitives.serialization import load_pem_public_key
        from oauthlib.oauth1.rfc5849 import signature

        pair = generate(2048)
        base_string = "POST&https%3A%2F%2Fprobe.invalid%2F&oauth_nonce%3Dprobe"
        signed = signature.sign_rsa_sha1_with_client(base_string, _Signer(pair.private_pem))
        from cryptography.hazmat.primitives.asymmetric import rsa

        public = load_pem_public_key(pair.public_pem.encode())
        assert isinstance(public, rsa.RSAPublicKey)
        public.verify(
            base64.b64decode(signed), base_string.encode(), padding.PKCS1v15(), hashes.SHA1()
        )
    except ImportError as exc:
        problem = f"a module is missing ({exc.name})"
    except Exception as exc:
        problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if problem:
        raise AgentError(
            "This installation cannot make RSA-SHA1 signatures, which Jira's OAuth 1.0a "
            f"requires: {problem}.",
            hint="Reinstall issuebridge with its dependencies (PyJWT, cryptography). On systems "
            "with a crypto policy that forbids SHA-1 (e.g. RHEL 9), allow SHA-1 signatures for "
            "this user, or use a personal access token instead.",
        )
    _rsa_sha1_ok = True


_rsa_sha1_ok = False


class _Signer:
    """The shape oauthlib's RSA signer reads its key from."""

    def __init__(self, private_pem: Secret) -> None:
        self.rsa_key = private_pem.reveal()
