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
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal, Protocol

from agent.errors import StorageError
from agent.secret import Secret
from agent.store.files import (
    atomic_write,
    ensure_private_dir,
    is_private,
    locked,
    read_store_file,
    set_aside,
)

KEYRING_SERVICE = "issuebridge"

log = logging.getLogger("issuebridge.store")


class InsecureSecretFile(StorageError):
    pass


class SecretStore(Protocol):
    kind: Literal["keyring", "file"]

    def location(self) -> Path | None: ...

    def names(self) -> list[str]: ...

    def get(self, name: str) -> Secret | None: ...

    def set(self, name: str, value: Secret) -> None: ...

    def set_many(self, values: Mapping[str, Secret]) -> None: ...

    def delete(self, name: str) -> None: ...

    def delete_prefix(self, prefix: str) -> None: ...

    def delete_matching(self, matches: Callable[[str], bool]) -> None: ...


class _DeletesByName:
    """`delete`, `delete_prefix` and `set` in terms of `delete_matching` and `set_many`."""

    def delete_matching(self, matches: Callable[[str], bool]) -> None:
        raise NotImplementedError

    def set_many(self, values: Mapping[str, Secret]) -> None:
        raise NotImplementedError

    def delete(self, name: str) -> None:
        self.delete_matching(lambda key: key == name)

    def delete_prefix(self, prefix: str) -> None:
        self.delete_matching(lambda key: key.startswith(prefix))

    def set(self, name: str, value: Secret) -> None:
        self.set_many({name: value})


class FileSecretStore(_DeletesByName):
    kind: Literal["keyring", "file"] = "file"

    def __init__(
        self, directory: Path, on_corrupt: Callable[[str], None] = lambda text: None
    ) -> None:
        self.dir = directory / "secrets"
        self.path = self.dir / "secrets.json"
        self._on_corrupt = on_corrupt

    def location(self) -> Path | None:
        return self.path

    def _check(self) -> None:
        for path, mode in ((self.dir, "700"), (self.path, "600")):
            if path.exists() and not is_private(path):
                raise InsecureSecretFile(
                    f"{path} can be read by other users, so issuebridge will not use it.",
                    path,
                    hint=f"Run `chmod 700 {self.dir}` and `chmod 600 {self.path}`, then retry."
                    if mode == "600"
                    else f"Run `chmod 700 {self.dir}`, then retry.",
                )

    def _read(self) -> dict[str, str]:
        self._check()
        raw = read_store_file(self.path, "secret file")
        if raw is None:
            return {}
        try:
            data = json.loads(raw)
        except ValueError as exc:  # truncated or garbled: keep it aside, never overwrite it
            self._set_aside(exc.__class__.__name__)
            return {}
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            shape = "an object of names and text" if isinstance(data, dict) else "a JSON object"
            raise StorageError(
                f"The secret file {self.path} is not what issuebridge writes (it is not "
                f"{shape}), so issuebridge leaves it as it is and stores no secret.",
                self.path,
                hint=f"Move it away (for example `mv {self.path} {self.path}.bad`) to start "
                "with no stored secrets, or put back a good copy; then try again.",
            )
        return data

    def _set_aside(self, problem: str) -> None:
        moved_to = set_aside(self.path)
        if moved_to is None:
            return
        report = (
            f"issuebridge's secret file could not be read ({problem}) and was kept as "
            f"{moved_to}; no secrets are stored now. Enter your credentials again, or "
            "restore the file."
        )
        log.error("%s", report)
        self._on_corrupt(report)

    def _write(self, data: dict[str, str]) -> None:
        atomic_write(self.path, json.dumps(data, indent=1).encode("utf-8"), mode=0o600)

    def names(self) -> list[str]:
        return list(self._read())

    def get(self, name: str) -> Secret | None:
        value = self._read().get(name)
        return Secret(value) if value is not None else None

    def set_many(self, values: Mapping[str, Secret]) -> None:
        ensure_private_dir(self.dir)
        self.dir.chmod(0o700)
        with locked(self.path):
            data = self._read()
            data.update({name: value.reveal() for name, value in values.items()})
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

    kind: Literal["keyring", "file"] = "keyring"

    def __init__(self, directory: Path, service: str = KEYRING_SERVICE) -> None:
        import keyring

        self._keyring = keyring
        self._service = f"{service}:{directory.resolve()}"  # one namespace per storage dir
        self.index = directory / "secrets" / "keyring-index.json"

    def location(self) -> Path | None:
        return None

    def names(self) -> list[str]:
        return self._names()

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

    def set_many(self, values: Mapping[str, Secret]) -> None:
        ensure_private_dir(self.index.parent)
        with locked(self.index):
            # Names first: a crash between the two leaves a name without a value (harmless),
            # never a value that no index lists and so nothing could ever clean.
            self._write_names([*self._names(), *values])
            for name, value in values.items():
                self._keyring.set_password(self._service, name, value.reveal())

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


def open_secret_store(
    directory: Path, on_corrupt: Callable[[str], None] = lambda text: None
) -> SecretStore:
    choice = os.environ.get("ISSUEBRIDGE_SECRET_STORE", "").lower()
    if choice == "keyring" or (choice != "file" and usable_keyring()):
        log.info("Secrets are kept in the OS keyring")
        return KeyringSecretStore(directory)
    return FileSecretStore(directory, on_corrupt)
