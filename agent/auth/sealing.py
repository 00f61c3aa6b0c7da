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

from agent.errors import InvalidParams
from agent.secret import Secret

# scrypt cost: ~0.1 s and 32 MiB per attempt, which makes guessing expensive
# while unlocking stays instant for a person.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
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


def unseal(box: dict[str, Any], passphrase: Secret, context: str) -> Secret:
    """The sealed value, or InvalidParams on `passphrase` if it does not open."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        kdf = box["kdf"]
        key = _key(passphrase, _unb64(kdf["salt"]), int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
        plain = AESGCM(key).decrypt(
            _unb64(box["nonce"]), _unb64(box["ciphertext"]), context.encode("utf-8")
        )
    except InvalidTag:
        raise InvalidParams(
            "passphrase",
            "This passphrase does not unlock the team's key.",
            hint="Check it with the person who shared the configuration (it is case-insensitive; "
            "the dashes matter).",
        ) from None
    except (KeyError, TypeError, ValueError):
        raise InvalidParams(
            "instanceId",
            "The team configuration's sealed key is damaged.",
            hint="Ask the person who shared it to share it again.",
        ) from None
    return Secret(plain.decode("utf-8"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
