"""File primitives shared by the stores: private dirs, atomic writes, a process lock.

tempfile and filelock are imported on first write: together they were a tenth of
the agent's start-up, and listing providers never writes.
"""

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from agent import testing_hooks
from agent.errors import StorageError

LOCK_TIMEOUT_SECONDS = 10.0
# Temp files of `atomic_write`: `.<name>.<pid>.<random>.tmp`. The pid says whose it is, so
# one left by a killed agent can be told from one another agent is writing right now.
_TEMP = re.compile(r"^\.(?P<name>[^/]+)\.(?P<pid>[0-9]+)\.[A-Za-z0-9_]+\.tmp$")
# Before the pid was in the name: `.<name>.<8 random chars>`, for the store's own files.
_OLD_TEMP = re.compile(r"^\.(config\.json|secrets\.json|keyring-index\.json)\.[a-z0-9_]{8}$")
_OLD_TEMP_AGE_SECONDS = 600  # a write takes milliseconds; one this old was abandoned


def ensure_private_dir(path: Path) -> None:
    """Create `path` (0700) if missing. An existing dir keeps its mode: it may be shared."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write a whole file or nothing: temp file in the same dir, fsync, rename."""
    _atomic(path, lambda handle: handle.write(data), mode, hooked=True)


def atomic_write_stream(
    path: Path, write_body: Callable[[BinaryIO], object], mode: int = 0o600
) -> None:
    """`atomic_write` of what `write_body` writes to the file piece by piece, so that a
    large file (a kept fetch result) is never one string in memory. For caches: still
    whole or not at all for every reader, but not synced to the disk (after a power cut
    the file may be empty, and a cache ignores it), and its writes are not counted by
    the storage test hooks, which number the writes of configuration and secrets."""
    _atomic(path, write_body, mode, hooked=False, durable=False)


def _atomic(
    path: Path,
    write_body: Callable[[BinaryIO], object],
    mode: int,
    hooked: bool,
    durable: bool = True,
) -> None:
    import tempfile

    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            write_body(handle)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if hooked:
            testing_hooks.storage_write("beforeRename")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if not durable:
        return
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    if hooked:
        testing_hooks.storage_write("afterWrite")


def remove_stale_temp_files(directory: Path) -> list[Path]:
    """Delete temp files that `atomic_write` left behind when its process was killed:
    only our own naming pattern, only of processes no longer running."""
    removed: list[Path] = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        path = directory / name
        match, stale = _TEMP.match(name), False
        if match:
            stale = not _process_running(int(match["pid"]))
        elif _OLD_TEMP.match(name):
            with contextlib.suppress(OSError):
                stale = time.time() - path.stat().st_mtime > _OLD_TEMP_AGE_SECONDS
        else:
            continue
        if stale and path.is_file() and not path.is_symlink():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


def _process_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM  # someone else's process: not ours to judge
    return True


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an inter-process lock next to `path` (other agents, the terminal client)."""
    from filelock import FileLock

    lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=LOCK_TIMEOUT_SECONDS)
    with lock:
        yield


def read_store_file(path: Path, what: str) -> bytes | None:
    """The bytes of one of the store's files; None if it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(
            f"issuebridge cannot read its {what} {path}: {exc.strerror}.",
            path,
            hint="Check the file's owner and permissions (it should be yours, mode 600).",
        ) from None


def set_aside(path: Path) -> Path | None:
    """Move a damaged file out of the way, kept (0600) for the user to look at or restore.
    None if it is gone already (another agent set it aside first)."""
    moved_to = path.with_name(f"{path.name}.corrupt-{int(time.time())}-{os.getpid()}")
    try:
        os.replace(path, moved_to)
    except FileNotFoundError:
        return None
    moved_to.chmod(0o600)
    return moved_to


def is_private(path: Path) -> bool:
    """True if no one but the owner can read or write `path`."""
    mode = stat.S_IMODE(path.stat().st_mode)
    return mode & 0o077 == 0
