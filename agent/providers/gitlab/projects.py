"""Project names by path: GitLab's issue JSON names its project only by id, so each
project a result mentions is read once (`GET /projects/:id`) and kept for the session.
A project that cannot be read is named by its path."""

import asyncio
from typing import Any

from agent.errors import AgentError
from agent.providers.gitlab.api import GitLabApi
from agent.providers.gitlab.issues import reference
from protocol.types import ProjectInfo

CONCURRENT = 4


class ProjectNames:
    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self._known_ids: set[int] = set()

    async def learn(self, api: GitLabApi, raws: list[dict[str, Any]]) -> None:
        wanted: dict[int, str] = {}
        for raw in raws:
            ref, pid = reference(raw), raw.get("project_id")
            known = pid in self._known_ids or (ref is not None and ref.project in self.names)
            if ref is not None and isinstance(pid, int) and not known:
                wanted[pid] = ref.project
        semaphore = asyncio.Semaphore(CONCURRENT)

        async def one(pid: int, path: str) -> None:
            async with semaphore:
                try:
                    body = await api.request("GET", f"/projects/{pid}", what="the project")
                except AgentError:
                    body = None
            name = body.get("name") if isinstance(body, dict) else None
            self.names[path] = name if isinstance(name, str) and name else path
            self._known_ids.add(pid)

        if wanted:
            await asyncio.gather(*(one(pid, path) for pid, path in wanted.items()))

    async def list_projects(self, api: GitLabApi) -> list[ProjectInfo]:
        """The projects the user is a member of, with issues enabled (all pages)."""
        found: list[ProjectInfo] = []
        url: str | None = (
            "/projects?membership=true&with_issues_enabled=true&simple=true"
            "&order_by=last_activity_at&sort=desc&per_page=100"
        )
        while url:
            response = await api.send("GET", url)
            body = api.expect_list(api.read(response, "the project list"), "the project list")
            for raw in body:
                if isinstance(raw, dict) and isinstance(raw.get("path_with_namespace"), str):
                    path = raw["path_with_namespace"]
                    name = str(raw.get("name") or path)
                    self.names[path] = name
                    found.append(ProjectInfo(key=path, name=name, id=str(raw.get("id", ""))))
            next_page = response.headers.get("X-Next-Page", "")
            url = f"{url.split('&page=')[0]}&page={next_page}" if next_page.isdigit() else None
        return found
