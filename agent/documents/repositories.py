"""A document's git checkout and its remotes, read from the checkout's config file.

No `git` subprocess: the checkout is found by walking up from the document to a
`.git` directory (or a `.git` file saying `gitdir: …`, as worktrees and submodules
have), and the remote URLs are read from its `config` (a worktree's is in the common
dir `commondir` names). Each checkout's remotes are kept until its config file's
mtime changes. The callers run this in a thread (it reads the file system).
"""

import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

_SECTION = re.compile(r'^\s*\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]')
_URL = re.compile(r"^\s*url\s*=\s*(.*?)\s*$", re.IGNORECASE)


def document_path(uri: str) -> Path | None:
    """The file a `file:` URI names; None for other schemes (untitled:, git:, …)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


def find_config(start: Path) -> Path | None:
    """The git config file of the checkout holding `start`, or None."""
    for directory in [start, *start.parents]:
        dot_git = directory / ".git"
        if dot_git.is_dir():
            return _common_config(dot_git)
        if dot_git.is_file():
            try:
                first = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            except OSError:
                return None
            if not first.startswith("gitdir:"):
                return None
            git_dir = Path(first[len("gitdir:") :].strip())
            if not git_dir.is_absolute():
                git_dir = directory / git_dir
            return _common_config(git_dir)
    return None


def _common_config(git_dir: Path) -> Path:
    common = git_dir / "commondir"
    if common.is_file():
        try:
            named = Path(common.read_text(encoding="utf-8").strip())
        except OSError:
            return git_dir / "config"
        return (named if named.is_absolute() else git_dir / named) / "config"
    return git_dir / "config"


def parse_remotes(text: str) -> list[str]:
    """The remote URLs of a git config, `origin`'s first, then in file order."""
    found: list[tuple[str, str]] = []
    remote: str | None = None
    for line in text.splitlines():
        section = _SECTION.match(line)
        if section:
            remote = section[2] if section[1].lower() == "remote" else None
            continue
        if remote is not None:
            url = _URL.match(line)
            if url and url[1]:
                found.append((remote, url[1].strip('"')))
    found.sort(key=lambda pair: pair[0] != "origin")
    return [url for _, url in found]


class Checkouts:
    """Remote URLs by document, cached per checkout config (invalidated by mtime)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._remotes: dict[Path, tuple[int, list[str]]] = {}

    def remotes(self, uri: str) -> list[str]:
        path = document_path(uri)
        if path is None:
            return []
        config = find_config(path.parent)
        if config is None:
            return []
        try:
            mtime = config.stat().st_mtime_ns
        except OSError:
            return []
        with self._lock:
            kept = self._remotes.get(config)
        if kept is not None and kept[0] == mtime:
            return kept[1]
        try:
            urls = parse_remotes(config.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return []
        with self._lock:
            self._remotes[config] = (mtime, urls)
        return urls
