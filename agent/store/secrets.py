"""Secrets (tokens, private keys, OAuth token secrets), behind one interface.

`KeyringSecretStore` keeps them in the OS keyring (macOS Keychain, Windows
Credential Manager, the Secret Service on Linux) when a real one is there.
Otherwise `FileSecretStore` keeps them in `secrets.json`, mode 0600 in a 0700
dir, and refuses a file or dir that others can read. `open_secret_store`
chooses; `ISSUEBRIDGE_SECRET_STORE=file|keyring` overrides the choice.
"""

import contextlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from agent.errors import AgentError
from agent.secret import Secret
from agent.store.files import atomic_write, ensure_private_dir, is_private, locked

KEYRING_SERVICE = "issuebridge"

log = logging.getLogger("issuebridge.store")


class InsecureSecretFile(AgentError):
    pass


class SecretStore(Protocol):
    def get(self, name: str) -> Secret | None: ...

    def set(self, name: str, value: Secret) -> None: ...

    def delete(self, name: str) -> None: ...

    def delete_prefix(self, prefix: str) -> None: ...


class _DeletesByName:
    """`delete` and `delete_prefix` in terms of one `delete_matching`."""

    def delete_matching(self, matches: Callable[[str], bool]) -> None:
        raise NotImplementedError

    def delete(self, name: str) -> None:
        self.delete_matching(lambda key: key == name)

    def delete_prefix(self, prefix: str) -> None:
        self.delete_matching(lambda key: key.startswith(prefix))


class FileSecretStore(_DeletesByName):
    def __init__(self, directory: Path) -> None:
        self.dir = directory / "secrets"
        self.path = self.dir / "secrets.json"

    def _check(self) -> None:
        for path in (self.dir, self.path):
            if path.exists() and not is_private(path):
                raise InsecureSecretFile(
                    f"{path} can be read by other users, so issuebridge will not use it.",
                    hint=f"Run `chmod 700 {self.dir}` and `chmod 600 {self.path}`, then retry.",
                )

    def _read(self) -> dict[str, str]:
        self._check()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except ValueError:
            log.error("The secret file %s is not valid JSON; ignoring it", self.path)
            return {}
        return {k: v for k, v in data.items() if isinstance(v, str)}

    def _write(self, data: dict[str, str]) -> None:
        atomic_write(self.path, json.dumps(data, indent=1).encode("utf-8"), mode=0o600)

    def get(self, name: str) -> Secret | None:
        value = self._read().get(name)
        return Secret(value) if value is not None else None

    def set(self, name: str, value: Secret) -> None:
        ensure_private_dir(self.dir)
        self.dir.chmod(0o700)
        with locked(self.path):
            data = self._read()
            data[name] = value.reveal()
            self._write(data)

    def delete_matching(self, matches: Callable[[str], bool]) -> None:
        if not self.path.exists():
            return
        with locked(self.path):
            data = self._read()
            kept = {k: v for k, v in data.items() if not matches(k)}
            if kept != data:
                self._write(kept)


class KeyringSecretStore(_DeletesByName):
    """Secrets in the OS keyring. Keyrings cannot list entries, so the names (never
    the values) are kept in an index file beside the configuration."""

    def __init__(self, directory: Path, service: str = KEYRING_SERVICE) -> None:
        import keyring

        self._keyring = keyring
        self._service = f"{service}:{directory.resolve()}"  # one namespace per storage dir
        self.index = directory / "secrets" / "keyring-index.json"

    def _names(self) -> list[str]:
        try:
            names = json.loads(self.index.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return []
        return [n for n in names if isinstance(n, str)]

    def _write_names(self, names: list[str]) -> None:
        ensure_private_dir(self.index.parent)
        atomic_write(self.index, json.dumps(sorted(set(names))).encode("utf-8"), mode=0o600)

    def get(self, name: str) -> Secret | None:
        value = self._keyring.get_password(self._service, name)
        return Secret(value) if value is not None else None

    def set(self, name: str, value: Secret) -> None:
        self._keyring.set_password(self._service, name, value.reveal())
        ensure_private_dir(self.index.parent)
        with locked(self.index):
            self._write_names([*self._names(), name])

    def delete_matching(self, matches: Callable[[str], bool]) -> None:
        from keyring.errors import PasswordDeleteError

        if not self.index.exists():
            return
        with locked(self.index):
            names = self._names()
            for name in [n for n in names if matches(n)]:
                with contextlib.suppress(PasswordDeleteError):  # already gone
                    self._keyring.delete_password(self._service, name)
            self._write_names([n for n in names if not matches(n)])


def usable_keyring() -> bool:
    """True if the keyring package finds a real OS keyring (not a fail, null or
    plaintext-file backend)."""
    try:
        import keyring
        from keyring.backends import chainer, fail, null
    except ImportError:
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:
        return False
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return False
    # OS keyrings have priority >= 1; keyrings.alt's file backends sit below that.
    priority = getattr(backend, "priority", 0)
    return isinstance(priority, int | float) and priority >= 1


def open_secret_store(directory: Path) -> SecretStore:
    import os

    choice = os.environ.get("ISSUEBRIDGE_SECRET_STORE", "").lower()
    if choice == "keyring" or (choice != "file" and usable_keyring()):
        log.info("Secrets are kept in the OS keyring")
        return KeyringSecretStore(directory)
    return FileSecretStore(directory)
