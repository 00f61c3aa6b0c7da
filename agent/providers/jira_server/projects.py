"""Project names, read once from the project list and kept for a while.

A search can then leave out each issue's `project` field (avatars and all, a quarter
of the answer): an issue key starts with its project's key, and the list names it.
"""

import logging
import time

from agent.errors import RemoteError
from agent.providers.jira_server.api import JiraApi

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
