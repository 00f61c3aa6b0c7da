"""Secrets (tokens, private keys, OAuth token secrets), behind one interface.

`FileSecretStore` keeps them in `secrets.json`, mode 0600 in a 0700 dir, and
refuses a file or dir that others can read. The OS keyring backend (issue 6)
implements the same interface.
"""

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from agent.errors import AgentError
from agent.secret import Secret
from agent.store.files import atomic_write, ensure_private_dir, is_private, locked

log = logging.getLogger("issuebridge.store")


class InsecureSecretFile(AgentError):
    pass


class SecretStore(Protocol):
    def get(self, name: str) -> Secret | None: ...

    def set(self, name: str, value: Secret) -> None: ...

    def delete(self, name: str) -> None: ...

    def delete_prefix(self, prefix: str) -> None: ...


class FileSecretStore:
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

    def delete(self, name: str) -> None:
        self.delete_matching(lambda key: key == name)

    def delete_prefix(self, prefix: str) -> None:
        self.delete_matching(lambda key: key.startswith(prefix))

    def delete_matching(self, matches: Callable[[str], bool]) -> None:
        if not self.path.exists():
            return
        with locked(self.path):
            data = self._read()
            kept = {k: v for k, v in data.items() if not matches(k)}
            if kept != data:
                self._write(kept)
