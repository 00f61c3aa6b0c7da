"""Reading Jira's create metadata: a project's issue types and one type's fields.

Jira 8.4 added the paged `issue/createmeta/{project}/issuetypes[/{typeId}]`; 9.0
removed the old `issue/createmeta?projectKeys=…&expand=projects.issuetypes.fields`,
whose one answer held every type's fields. The paged ones are used from 8.4 on (every
page read: `startAt`, `isLast`), the old one only before, narrowed to the one type
asked with `issuetypeIds`. The version comes from the server info, read once.
"""

import logging
from typing import Any
from urllib.parse import quote

from agent.errors import InvalidParams, RemoteError
from agent.providers.jira_server.api import JiraApi

log = logging.getLogger("issuebridge.jira")

PAGED_SINCE = (8, 4, 0)
# Jira's default page for these; asking for it keeps requests few where the server
# allows it, and paging follows what the server actually returns.
PAGE_SIZE = 50
# A bound on pages for one list: a server that never says `isLast` cannot loop us.
MAX_PAGES = 100

Meta = dict[str, Any]


class CreateMetaReader:
    def __init__(self) -> None:
        self._version: tuple[int, ...] | None = None

    async def version(self, api: JiraApi) -> tuple[int, ...]:
        if self._version is None:
            info = await api.server_info(anonymous=False)
            self._version = tuple(info["versionNumbers"])
        return self._version

    async def issue_types(self, api: JiraApi, project: str) -> list[Meta]:
        """The issue types `project` offers for creating issues, as Jira lists them."""
        if await self.version(api) >= PAGED_SINCE:
            path = f"/rest/api/2/issue/createmeta/{quote(project, safe='')}/issuetypes"
            return await self._all_pages(api, path, "the issue types", project=project)
        found = await self._old(api, project, {})
        return [t for t in _list(found.get("issuetypes")) if isinstance(t, dict)]

    async def fields(self, api: JiraApi, project: str, type_id: str) -> list[Meta]:
        """The create fields of one issue type, each with its `fieldId`."""
        if await self.version(api) >= PAGED_SINCE:
            path = (
                f"/rest/api/2/issue/createmeta/{quote(project, safe='')}"
                f"/issuetypes/{quote(type_id, safe='')}"
            )
            return await self._all_pages(api, path, "the create fields", project=project)
        found = await self._old(
            api, project, {"issuetypeIds": type_id, "expand": "projects.issuetypes.fields"}
        )
        types = [t for t in _list(found.get("issuetypes")) if isinstance(t, dict)]
        chosen = next((t for t in types if str(t.get("id")) == type_id), None)
        if chosen is None:
            raise _unknown_type(type_id)
        fields = chosen.get("fields")
        if not isinstance(fields, dict):
            return []
        # The old answer is a map by field id; newer 8.x also repeat it as `fieldId`.
        return [{"fieldId": fid, **meta} for fid, meta in fields.items() if isinstance(meta, dict)]

    async def _all_pages(self, api: JiraApi, path: str, what: str, project: str) -> list[Meta]:
        values: list[Meta] = []
        for _ in range(MAX_PAGES):
            try:
                page = await api.request(
                    "GET",
                    path,
                    what=what,
                    params={"startAt": len(values), "maxResults": PAGE_SIZE},
                )
            except RemoteError as exc:
                if exc.data.get("httpStatus") == 404:
                    raise _not_found(exc, project) from None
                raise
            if not isinstance(page, dict) or not isinstance(page.get("values"), list):
                raise RemoteError(
                    f"Jira's answer for {what} has no values, which is not what Jira sends.",
                    httpStatus=200,
                    messages=["unexpected create metadata"],
                )
            got = page["values"]
            values += [v for v in got if isinstance(v, dict)]
            total = page.get("total")
            if (
                not got
                or page.get("isLast") is True
                or (isinstance(total, int) and len(values) >= total)
            ):
                return values
        log.warning("%s of %s: still not the last page after %d pages", what, project, MAX_PAGES)
        return values

    async def _old(self, api: JiraApi, project: str, extra: dict[str, str]) -> Meta:
        answer = await api.request(
            "GET",
            "/rest/api/2/issue/createmeta",
            what="the create metadata",
            params={"projectKeys": project, **extra},
        )
        projects = _list(answer.get("projects")) if isinstance(answer, dict) else []
        found = next(
            (
                p
                for p in projects
                if isinstance(p, dict) and str(p.get("key", "")).upper() == project.upper()
            ),
            None,
        )
        if found is None:
            raise unknown_project(project, [])
        return found


def unknown_project(project: str, said: list[str]) -> InvalidParams:
    words = f" ({'; '.join(said)})" if said else ""
    return InvalidParams(
        "projectKey",
        f"There is no project {project} you can create issues in{words}.",
        hint="Check the project key; the project list shows the projects you can see.",
    )


def _not_found(exc: RemoteError, project: str) -> InvalidParams:
    messages = [str(m) for m in exc.data.get("messages", [])]
    if any("issue type" in m.lower() for m in messages):
        return InvalidParams("issueType", f"{project} has no such issue type ({messages[0]}).")
    return unknown_project(project, messages)


def _unknown_type(type_id: str) -> InvalidParams:
    return InvalidParams("issueType", f"The project offers no issue type {type_id}.")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
