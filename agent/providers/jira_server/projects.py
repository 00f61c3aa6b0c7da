"""The project list, read once and kept for a while: `projects/list` answers it, and
searches name each issue's project from it.

A search can then leave out each issue's `project` field (avatars and all, a quarter
of the answer): an issue key starts with its project's key, and the list names it.
"""

import logging
import time
from typing import Any

from agent.errors import RemoteError
from agent.providers.jira_server.api import JiraApi
from agent.providers.jira_server.issues import key_project
from protocol.types import ProjectInfo

log = logging.getLogger("issuebridge.jira")

# Projects are renamed rarely; a name at most this old is good enough for a list.
LIFETIME_SECONDS = 600.0


class ProjectNames:
    def __init__(self) -> None:
        self._projects: list[ProjectInfo] | None = None
        self._names: dict[str, str] | None = None
        self._read_at = 0.0
        self._unavailable = False

    def _fresh(self) -> bool:
        return time.monotonic() - self._read_at < LIFETIME_SECONDS

    async def projects(self, api: JiraApi, refresh: bool = False) -> list[ProjectInfo]:
        """Every project the user can see, from the cache unless `refresh` or stale;
        a failure to read it is the caller's error."""
        if self._projects is None or refresh or not self._fresh():
            await self._read(api)
        assert self._projects is not None
        return self._projects

    async def _read(self, api: JiraApi) -> None:
        projects = await api.projects()
        self._projects = projects
        self._names = {p.key: p.name for p in projects}
        self._unavailable = False
        self._read_at = time.monotonic()

    async def get(self, api: JiraApi, refresh: bool = False) -> dict[str, str] | None:
        """Key -> name, or None where the server gives no usable project list (then the
        search asks for each issue's project instead)."""
        if self._fresh() and not refresh and (self._names is not None or self._unavailable):
            return self._names
        try:
            await self._read(api)
        except RemoteError as exc:
            # Not an error for the fetch: the issues still carry their projects.
            log.info("No project list (%s); searches ask for each issue's project", exc)
            self._projects, self._names, self._unavailable = None, None, True
            self._read_at = time.monotonic()
        return self._names

    async def name_unknown(
        self, issues: list[dict[str, Any]], names: dict[str, str], api: JiraApi
    ) -> None:
        """Issues of a project `names` does not know (made since the list was read) got
        the key as a name: read the list again, once, and name them."""
        unknown = {key_project(issue["key"]) for issue in issues} - names.keys()
        if not unknown:
            return
        fresh = await self.get(api, refresh=True)
        if fresh is None:
            return
        named: dict[str, dict[str, str]] = {}
        for issue in issues:
            key = issue["project"]["key"]
            if key in unknown and key in fresh:
                issue["project"] = named.setdefault(key, {"key": key, "name": fresh[key]})
