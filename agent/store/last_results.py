"""The last result of each issue query, kept on disk for when the server is away.

`<storage dir>/last-results/<instance id>/<query digest>.json`, the dirs 0700 and the
files 0600 (they hold issue titles and people's names: user data, never a secret),
written atomically and piece by piece, a few hundred issues at a time, so that
keeping 10,000 issues never builds their JSON text as one string. One file per query
(the JQL as given, stripped; `null` for the instance's default query), the most recent
result of it: a newer fetch replaces it, whatever its `limit`. At most `MAX_QUERIES` queries and
`MAX_BYTES` per instance: the least recently fetched go first. Not synced to the disk
(`atomic_write_stream`): a cache need not survive a power cut.

It is a cache: a file that cannot be read, or was written for another instance,
query or user, is ignored (and removed); every failure to keep a result is logged
and never fails the fetch.
"""

import contextlib
import hashlib
import json
import logging
import re
import shutil
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from agent.store.files import atomic_write_stream, ensure_private_dir, remove_stale_temp_files

log = logging.getLogger("issuebridge.store")

FORMAT_VERSION = 1
DIRECTORY = "last-results"
# Bounds per instance: an editor asks a handful of queries; a script may ask many.
MAX_QUERIES = 20
MAX_BYTES = 64 * 1024 * 1024
# Issues encoded at a time when writing.
CHUNK = 256
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,100}$")


@attrs.frozen
class Kept:
    """A kept result: issues in wire form (`Issue` JSON), as fetched at `fetched_at`."""

    issues: list[dict[str, Any]]
    total: int
    fetched_at: str


class LastResults:
    def __init__(self, storage_dir: Path) -> None:
        self.directory = storage_dir / DIRECTORY

    def instance_dir(self, instance_id: str) -> Path:
        name = instance_id if _SAFE_NAME.match(instance_id) else _sha(instance_id)
        return self.directory / name

    def path(self, instance_id: str, query: str | None) -> Path:
        return self.instance_dir(instance_id) / f"{_digest(_query_key(query))}.json"

    def save(
        self,
        instance_id: str,
        query: str | None,
        user: str | None,
        result: Kept,
    ) -> None:
        """Keep `result` as the last of `query`; then trim the instance to its bounds."""
        path = self.path(instance_id, query)
        ensure_private_dir(self.directory)
        ensure_private_dir(path.parent)
        head = {
            "version": FORMAT_VERSION,
            "instanceId": instance_id,
            "query": _query_key(query),
            "user": user,
            "fetchedAt": result.fetched_at,
            "total": result.total,
        }
        atomic_write_stream(path, lambda handle: _write(handle, head, result.issues))
        self._trim(path.parent, keep=path)

    def load(self, instance_id: str, query: str | None, user: str | None) -> Kept | None:
        """The kept result of `query`, or None (none kept, or not usable)."""
        path = self.path(instance_id, query)
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            problem: Kept | str = exc.__class__.__name__
        else:
            expected = {"instanceId": instance_id, "query": _query_key(query), "user": user}
            problem = _parse(data, expected)
        if isinstance(problem, Kept):
            return problem
        log.warning("Ignored the kept issues in %s (%s); a fetch replaces them", path, problem)
        with contextlib.suppress(OSError):
            path.unlink()
        return None

    def forget(self, instance_id: str) -> None:
        """Remove everything kept for the instance."""
        shutil.rmtree(self.instance_dir(instance_id), ignore_errors=True)

    @staticmethod
    def _trim(directory: Path, keep: Path) -> None:
        remove_stale_temp_files(directory)
        files: list[tuple[float, int, Path]] = []
        for path in directory.glob("*.json"):
            with contextlib.suppress(OSError):
                st = path.stat()
                files.append((st.st_mtime, st.st_size, path))
        files.sort(key=lambda item: (item[2] != keep, -item[0]))  # the new one, then newest
        used = 0
        for index, (_, size, path) in enumerate(files):
            used += size
            if index and (index >= MAX_QUERIES or used > MAX_BYTES):
                with contextlib.suppress(OSError):
                    path.unlink()


def _parse(data: Any, expected: dict[str, Any]) -> Kept | str:
    """The kept result in `data`, or what is wrong with it."""
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        return "unknown format"
    if any(data.get(name) != value for name, value in expected.items()):
        return "kept for another instance, query or user"
    issues, total, fetched_at = data.get("issues"), data.get("total"), data.get("fetchedAt")
    if (
        not isinstance(issues, list)
        or not all(isinstance(issue, dict) for issue in issues)
        or not isinstance(total, int)
        or not isinstance(fetched_at, str)
    ):
        return "unexpected content"
    return Kept(issues, total, fetched_at)


def _write(handle: BinaryIO, head: dict[str, Any], issues: list[dict[str, Any]]) -> None:
    # ASCII JSON, CHUNK issues at a time: half the CPU of one issue at a time in UTF-8,
    # and never more than a chunk's text in memory.
    encoder = json.JSONEncoder(allow_nan=False)
    handle.write(encoder.encode(head)[:-1].encode("ascii") + b',"issues":[')
    for start in range(0, len(issues), CHUNK):
        if start:
            handle.write(b",")
        handle.write(encoder.encode(issues[start : start + CHUNK])[1:-1].encode("ascii"))
    handle.write(b"]}\n")


def _query_key(query: str | None) -> str | None:
    stripped = query.strip() if query else ""
    return stripped or None


def _digest(query: str | None) -> str:
    return _sha("default" if query is None else f"jql:{query}")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
