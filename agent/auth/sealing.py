"""Seal a secret with a passphrase for a shared place: scrypt + AES-GCM (cryptography).

The admin shares a team configuration in the workspace (often a git repo); the
OAuth private key goes there only sealed, with a fresh random passphrase that
travels separately (a password manager). The additional data binds the sealed
key to its instance, so it cannot be moved to another one unnoticed.
"""

import base64
import os
import secrets as random_source
from typing import Any

from agent.errors import InvalidParams, StorageError
from agent.secret import Secret

# scrypt cost: ~0.1 s and 32 MiB per attempt, which makes guessing expensive
# while unlocking stays instant for a person.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
# What `unseal` accepts: what `seal` writes, and a little room around it (a hand-edited
# file must not make the agent spend a GiB or a minute, or crash the KDF).
_N_RANGE = (2**14, 2**17)
_R_RANGE = (1, 16)
_P_RANGE = (1, 4)
_SALT_BYTES = (16, 64)
_NONCE_BYTES = 12
_MAX_CIPHERTEXT = 64 * 1024  # a 4096-bit PEM is ~3.3 KB
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or retyped safely


def new_passphrase(groups: int = 6, size: int = 5) -> Secret:
    """About 150 bits: six groups of five characters, e.g. `K7QZP-…`."""
    chars = [random_source.choice(_ALPHABET) for _ in range(groups * size)]
    return Secret("-".join("".join(chars[i : i + size]) for i in range(0, len(chars), size)))


def _key(passphrase: Secret, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    normalized = passphrase.reveal().strip().upper().encode("utf-8")
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(normalized)


def seal(value: Secret, passphrase: Secret, context: str) -> dict[str, Any]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(16), os.urandom(12)
    key = _key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(key).encrypt(nonce, value.reveal().encode("utf-8"), context.encode("utf-8"))
    return {
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
        "cipher": "AES-256-GCM",
        "nonce": _b64(nonce),
        "ciphertext": _b64(sealed),
    }


class DamagedSeal(ValueError):
    pass


def _parameters(box: Any) -> tuple[bytes, int, int, int, bytes, bytes]:
    """salt, n, r, p, nonce, ciphertext of a sealed box, if they are ones `seal` writes."""
    if not isinstance(box, dict) or not isinstance(box.get("kdf"), dict):
        raise DamagedSeal("not a sealed box")
    kdf = box["kdf"]
    if kdf.get("name", "scrypt") != "scrypt" or box.get("cipher", "AES-256-GCM") != "AES-256-GCM":
        raise DamagedSeal("an unknown algorithm")
    n, r, p = (kdf.get(k) for k in ("n", "r", "p"))
    for value, (low, high) in ((n, _N_RANGE), (r, _R_RANGE), (p, _P_RANGE)):
        if type(value) is not int or not low <= value <= high:
            raise DamagedSeal("scrypt parameters out of range")
    assert isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
    if n & (n - 1):
        raise DamagedSeal("scrypt n is not a power of two")
    salt, nonce, ciphertext = (
        _unb64(_text(x)) for x in (kdf.get("salt"), box.get("nonce"), box.get("ciphertext"))
    )
    if not _SALT_BYTES[0] <= len(salt) <= _SALT_BYTES[1] or len(nonce) != _NONCE_BYTES:
        raise DamagedSeal("salt or nonce of the wrong size")
    if not 16 < len(ciphertext) <= _MAX_CIPHERTEXT:
        raise DamagedSeal("ciphertext of the wrong size")
    return salt, n, r, p, nonce, ciphertext


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 2 * _MAX_CIPHERTEXT:
        raise DamagedSeal("not base64 text")
    return value


def unseal(
    box: dict[str, Any], passphrase: Secret, context: str, source: object = "team.json"
) -> Secret:
    """The sealed value; InvalidParams on `passphrase` if it does not open; StorageError
    naming `source` (the team file) if the box is not one `seal` wrote."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        salt, n, r, p, nonce, ciphertext = _parameters(box)
        key = _key(passphrase, salt, n, r, p)
        plain = AESGCM(key).decrypt(nonce, ciphertext, context.encode("utf-8"))
        return Secret(plain.decode("utf-8"))
    except InvalidTag:
        raise InvalidParams(
            "passphrase",
            "This passphrase does not unlock the team's key.",
            hint="Check it with the person who shared the configuration (it is case-insensitive; "
            "the dashes matter).",
        ) from None
    except (DamagedSeal, ValueError, UnicodeDecodeError) as exc:
        raise StorageError(
            f"The team configuration's sealed key is damaged ({exc}), so it cannot be unlocked.",
            source,
            hint="Ask the person who shared it to share it again, or restore the file from "
            "version control.",
        ) from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise DamagedSeal("not base64 text") from None
