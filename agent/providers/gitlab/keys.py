"""Issue keys: `group/subgroup/project#12`, GitLab's `references.full`."""

import re
from urllib.parse import quote

import attrs

from agent.errors import InvalidParams

_KEY = re.compile(r"([A-Za-z0-9_.][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+)#([0-9]+)")


@attrs.frozen
class IssueRef:
    project: str  # the project's path with namespace
    iid: int

    @property
    def path(self) -> str:
        """`/projects/<url-encoded path>/issues/<iid>`, as the API addresses it."""
        return f"/projects/{quote(self.project, safe='')}/issues/{self.iid}"

    @property
    def key(self) -> str:
        return f"{self.project}#{self.iid}"


def parse_key(key: str) -> IssueRef:
    match = _KEY.fullmatch(key.strip())
    if match is None:
        raise InvalidParams(
            "key", f"{key[:60]!r} is not a GitLab issue reference such as group/project#12."
        )
    return IssueRef(match[1], int(match[2]))
