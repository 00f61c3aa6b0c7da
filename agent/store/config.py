"""The configuration file: instances and their non-secret settings.

One JSON file in the storage dir, `config.json`, with a schema version. Every
change is a read-modify-write under an inter-process lock, written atomically,
so two agents (two editor windows and the terminal client) never lose each
other's updates. Reads re-read the file when it changed on disk. A file that
cannot be parsed is moved aside (never overwritten) and reported.
"""

import contextlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import attrs
import cattrs

from agent.store.files import atomic_write, ensure_private_dir, locked, read_store_file, set_aside

log = logging.getLogger("issuebridge.store")

SCHEMA_VERSION = 1
T = TypeVar("T")


@attrs.define
class StoredUser:
    name: str
    display_name: str


@attrs.define
class StoredInstance:
    provider_id: str
    base_url: str
    auth_method: str
    consumer_key: str | None = None
    key_id: str | None = None
    # Other non-secret settings of the provider's form (OAuth 2.0's clientId,
    # redirectUri, scope); consumerKey and keyId keep their own fields above.
    settings: dict[str, str] | None = None
    # Connection state as last seen; `error` stops calls until reconfigured.
    state: str = "needsAuthorization"
    user: StoredUser | None = None
    server_version: str | None = None
    error: str | None = None
    # Which generation of secrets is this instance's (see agent.services.instances);
    # None: the names from before generations, `instance/<id>/<name>`.
    secrets: str | None = None
    # The instance's own network settings (HttpSettings in wire form, nothing secret;
    # agent.net_settings), over the global ones. None: the global ones only.
    http: dict[str, Any] | None = None
    # Set with state `error` when Jira wants a browser login first (a CAPTCHA after
    # failed logins): its login page. Cleared by configuring or authorizing again.
    login_url: str | None = None
    login_blocked: bool = False


@attrs.define
class StoredConfig:
    version: int = SCHEMA_VERSION
    instances: dict[str, StoredInstance] = attrs.Factory(dict)


_converter = cattrs.Converter(omit_if_default=True)


class ConfigStore:
    def __init__(
        self, directory: Path, on_corrupt: Callable[[str], None] = lambda text: None
    ) -> None:
        self.path = directory / "config.json"
        self._cached: StoredConfig | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._on_corrupt = on_corrupt
        # True once this process set a damaged file aside: what it held is unknown now.
        self.set_aside = False

    def read(self) -> StoredConfig:
        """The current configuration (re-read if the file changed since last time)."""
        stamp = self._file_stamp()
        if self._cached is None or stamp != self._stamp:
            self._cached, self._stamp = self._load(), stamp
        return self._cached

    def update(self, change: Callable[[StoredConfig], T]) -> T:
        """Apply `change` to the freshest configuration and write it, under the lock."""
        ensure_private_dir(self.path.parent)
        with locked(self.path):
            config = self._load()
            result = change(config)
            data = json.dumps(_converter.unstructure(config), indent=2, sort_keys=True)
            atomic_write(self.path, data.encode("utf-8") + b"\n", mode=0o600)
            self._cached, self._stamp = config, self._file_stamp()
        return result

    @contextlib.contextmanager
    def holding(self) -> Iterator[StoredConfig]:
        """The freshest configuration, with the lock held (no one changes it meanwhile)."""
        ensure_private_dir(self.path.parent)
        with locked(self.path):
            yield self._load()

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _load(self) -> StoredConfig:
        raw = read_store_file(self.path, "configuration")
        if raw is None:
            return StoredConfig()
        try:
            data = json.loads(raw)
            return _converter.structure(migrate(data), StoredConfig)
        except Exception as exc:  # any unreadable content: keep it aside, start clean
            problem = exc.__class__.__name__
            moved_to = set_aside(self.path)
            self.set_aside = True
            if moved_to is None:  # another agent set it aside (and reported it) first
                return StoredConfig()
            report = (
                f"issuebridge's configuration could not be read ({problem}) and was kept as "
                f"{moved_to}; it starts afresh. Configure your servers again, or restore the file."
            )
            log.error("%s", report)
            self._on_corrupt(report)
            return StoredConfig()


def peek(directory: Path) -> StoredConfig | None:
    """The configuration as it is on disk, read without any side effect: no lock, and a
    file that cannot be read is left where it is (the store proper reports it)."""
    try:
        data = json.loads((directory / "config.json").read_bytes())
        return _converter.structure(migrate(data), StoredConfig)
    except Exception:  # missing, unreadable, damaged: nothing to say from here
        return None


def migrate(data: Any) -> Any:
    """Bring an older file up to SCHEMA_VERSION; refuse a newer one."""
    if not isinstance(data, dict):
        raise ValueError("the configuration is not a JSON object")
    version = data.get("version", 0)
    if version > SCHEMA_VERSION:
        raise ValueError(f"written by a newer issuebridge (schema {version})")
    if version == 0:  # before versioning: the same shape without the field
        data = {**data, "version": 1}
    return data
