"""Git remote URLs: which host and repository path a remote names.

The forms git takes (git-clone(1), "GIT URLS"): `https://[user[:password]@]host[:port]/
path`, `http://…`, `ssh://[user@]host[:port]/path`, `git://host[:port]/path`,
`git+ssh://…` and `ssh+git://…`, and the scp-like `[user@]host:path` (no scheme, a
colon before any slash). The path loses a trailing `/` and `.git`; `~user` paths,
local paths and `file://` name no hosted repository.
"""

import re
from urllib.parse import unquote, urlsplit

import attrs

_SCHEMES = ("https", "http", "ssh", "git", "git+ssh", "ssh+git")
_SCP = re.compile(
    r"(?:(?P<user>[^@/:\s]+)@)?(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(?P<path>.*)"
)


@attrs.frozen
class Remote:
    scheme: str  # "scp" for the scp-like form
    host: str  # lower case, without brackets or port
    path: str  # without leading or trailing slashes and without `.git`

    @property
    def segments(self) -> list[str]:
        return [s for s in self.path.split("/") if s]


def parse_remote(url: str) -> Remote | None:
    """The remote's host and path, or None for a local path or a form git has not."""
    text = url.strip()
    if not text or any(c.isspace() for c in text):
        return None
    if "://" in text:
        try:
            parts = urlsplit(text)
            host = parts.hostname
            _ = parts.port  # a port that is not a number: not a URL
        except ValueError:
            return None
        scheme = parts.scheme.lower()
        if scheme not in _SCHEMES or not host:
            return None
        return _remote(scheme, host, unquote(parts.path))
    scp = _SCP.fullmatch(text)
    if scp is None or "/" in scp["host"] or len(scp["host"]) < 2:
        return None  # `C:\repo` and `./x:y` are local paths
    return _remote("scp", scp["host"].strip("[]"), scp["path"])


def _remote(scheme: str, host: str, path: str) -> Remote | None:
    path = path.strip("/")
    if path.endswith(".git"):
        path = path[: -len(".git")].rstrip("/")
    if not path or path.startswith("~") or ".." in path.split("/"):
        return None
    return Remote(scheme, host.lower(), path)


def repository_path(remote_url: str, hosts: set[str], web_prefix: str = "") -> str | None:
    """The repository path of a remote on one of `hosts` (lower case), below the web
    address's path `web_prefix` for http(s) remotes (a server at `https://host/gitlab`);
    None when the remote is on another host or names no repository."""
    remote = parse_remote(remote_url)
    if remote is None or remote.host not in hosts:
        return None
    path = remote.path
    prefix = web_prefix.strip("/")
    if prefix and remote.scheme in ("http", "https"):
        if not path.startswith(prefix + "/"):
            return None
        path = path[len(prefix) + 1 :]
    return path or None
