"""Project names, read once from the project list and kept for a while.

A search can then leave out each issue's `project` field (avatars and all, a quarter
of the answer): an issue key starts with its project's key, and the list names it.
"""

import logging
import time
from typing import Any

from agent.errors import RemoteError
from agent.providers.jira_server.api import JiraApi
from agent.providers.jira_server.issues import key_project

log = logging.getLogger("issuebridge.jira")

# Projects are renamed rarely; a name at most this old is good enough for a list.
LIFETIME_SECONDS = 600.0


class ProjectNames:
    def __init__(self) -> None:
        self._names: dict[str, str] | None = None
        self._read_at = 0.0
        self._unavailable = False

    async def get(self, api: JiraApi, refresh: bool = False) -> dict[str, str] | None:
        """Key -> name, or None where the server gives no usable project list (then the
        search asks for each issue's project instead)."""
        fresh = time.monotonic() - self._read_at < LIFETIME_SECONDS
        if fresh and not refresh and (self._names is not None or self._unavailable):
            return self._names
        try:
            self._names = await api.project_names()
            self._unavailable = False
        except RemoteError as exc:
            # Not an error for the fetch: the issues still carry their projects.
            log.info("No project list (%s); searches ask for each issue's project", exc)
            self._names, self._unavailable = None, True
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
