"""`.issuebridge/team.json` in a workspace folder: what one person configured, for the team.

It holds the provider, base URL, auth method, consumer key and the public key's
fingerprint (OAuth 1.0a), or the link's client id, redirect URI and scope (OAuth
2.0, in `settings`); nothing secret in the clear. It also holds the instance's
secret, sealed with a passphrase (see `agent.auth.sealing`): OAuth 1.0a's private
key, or OAuth 2.0's client secret. It is meant to be committed
with the project, so it is written readable (0644) and with stable formatting.
"""

import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import attrs
import cattrs

from agent.store.files import atomic_write, remove_stale_temp_files

log = logging.getLogger("issuebridge.team")

TEAM_DIR = ".issuebridge"
TEAM_FILE = "team.json"
SCHEMA_VERSION = 1


@attrs.define
class TeamEntry:
    provider_id: str
    base_url: str
    auth_method: str
    consumer_key: str | None = None
    public_key_fingerprint: str | None = None
    sealed_private_key: dict[str, Any] | None = None
    # Non-secret settings other than the consumer key (OAuth 2.0's clientId,
    # redirectUri, scope).
    settings: dict[str, str] | None = None
    sealed_client_secret: dict[str, Any] | None = None

    @property
    def sealed(self) -> bool:
        """Something the teammate unlocks with the passphrase."""
        return bool(self.sealed_private_key or self.sealed_client_secret)


_converter = cattrs.Converter(omit_if_default=True)


def folder_path(folder: str) -> Path:
    """A workspace folder given as a path or a `file://` URI."""
    if folder.startswith("file:"):
        parts = urlsplit(folder)
        return Path(unquote(parts.path))
    return Path(folder).expanduser()


def team_file(folder: Path) -> Path:
    return folder / TEAM_DIR / TEAM_FILE


def read(folder: Path) -> list[TeamEntry]:
    path = team_file(folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        log.warning("Ignoring %s: %s", path, exc.__class__.__name__)
        return []
    entries = data.get("instances") if isinstance(data, dict) else None
    found = []
    for raw in entries if isinstance(entries, list) else []:
        try:
            found.append(_converter.structure(raw, TeamEntry))
        except Exception:
            log.warning("Ignoring a malformed instance in %s", path)
    return found


def write(folder: Path, entry: TeamEntry) -> Path:
    """Add or replace the entry for the same provider and base URL."""
    # No lock file: it would land in the project; sharing is rare and the write atomic.
    path = team_file(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(path.parent)  # of a share that was killed mid-write
    kept = [
        e
        for e in read(folder)
        if (e.provider_id, e.base_url) != (entry.provider_id, entry.base_url)
    ]
    document = {
        "version": SCHEMA_VERSION,
        "about": "issuebridge team configuration: no secret is stored here in the clear.",
        "instances": [_converter.unstructure(e) for e in [*kept, entry]],
    }
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    atomic_write(path, text.encode("utf-8"), mode=0o644)
    return path
