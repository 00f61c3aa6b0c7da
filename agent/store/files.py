"""File primitives shared by the stores: private dirs, atomic writes, a process lock.

tempfile and filelock are imported on first write: together they were a tenth of
the agent's start-up, and listing providers never writes.
"""

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from agent import testing_hooks

LOCK_TIMEOUT_SECONDS = 10.0


def ensure_private_dir(path: Path) -> None:
    """Create `path` (0700) if missing. An existing dir keeps its mode: it may be shared."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write a whole file or nothing: temp file in the same dir, fsync, rename."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        testing_hooks.storage_write("beforeRename")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    testing_hooks.storage_write("afterWrite")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an inter-process lock next to `path` (other agents, the terminal client)."""
    from filelock import FileLock

    lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=LOCK_TIMEOUT_SECONDS)
    with lock:
        yield


def is_private(path: Path) -> bool:
    """True if no one but the owner can read or write `path`."""
    mode = stat.S_IMODE(path.stat().st_mode)
    return mode & 0o077 == 0
