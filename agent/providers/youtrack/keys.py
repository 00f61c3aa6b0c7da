"""Issue keys in documents on YouTrack: project short names, issues by id, completion.

- Project keys: `GET /api/admin/projects?fields=shortName` with `$skip`/`$top` (YouTrack
  answers 42 a page when `$top` is not given), read once per session.
- Issues by id: one search per 50 ids, `query=issue id: A-1, A-2, …` (the query
  grammar's comma-separated values of one attribute match any of them), `$top` the
  number of ids, the fields an `Issue` needs. An id that names no issue matches
  nothing; it is not an error.
- Completion: `project: P for: me #Unresolved <words> sort by: updated desc`, then
  `project: P <words> sort by: updated desc` (the second only when the first left room).
"""

import re
from typing import Any

from agent.errors import RemoteError
from agent.providers.key_lookup import chunks, merge, room, search_words, unique
from agent.providers.youtrack.api import YouTrackApi
from agent.providers.youtrack.issues import ISSUE_FIELDS, entry_problem, to_wire

IDS_PER_SEARCH = 50
PROJECT_PAGE = 100
MAX_PROJECT_PAGES = 100
# What an issue id can be: a short name (no spaces, commas, braces, `#` or `:`), a dash
# and a number; anything else would be query syntax.
_ISSUE_ID = re.compile(r"[^\s,{}#:()\"]+-[0-9]+")
_SHORT_NAME = re.compile(r"[^\s,{}#:()\"]+")


async def project_keys(api: YouTrackApi) -> set[str]:
    keys: set[str] = set()
    skip = 0
    for _ in range(MAX_PROJECT_PAGES):
        page = await api.request(
            "GET",
            "/admin/projects",
            what="the project list",
            params={"fields": "shortName", "$skip": skip, "$top": PROJECT_PAGE},
        )
        if not isinstance(page, list):
            raise RemoteError(
                "YouTrack's project list is not a list, which is not what YouTrack sends.",
                httpStatus=200,
                messages=["unexpected project list"],
            )
        keys.update(
            p["shortName"]
            for p in page
            if isinstance(p, dict) and isinstance(p.get("shortName"), str)
        )
        skip += len(page)
        if not page:
            break
    return keys


async def lookup(api: YouTrackApi, keys: list[str]) -> list[dict[str, Any]]:
    ids = [k for k in unique(keys) if _ISSUE_ID.fullmatch(k)]
    found: list[dict[str, Any]] = []
    for batch in chunks(ids, IDS_PER_SEARCH):
        found.extend(await _search(api, "issue id: " + ", ".join(batch), len(batch)))
    return found


async def suggest(api: YouTrackApi, project: str, text: str, limit: int) -> list[dict[str, Any]]:
    if not _SHORT_NAME.fullmatch(project):
        return []
    words = search_words(text)
    scope = f"project: {project}" + (f" {words}" if words else "")
    order = " sort by: updated desc"
    mine = await _search(api, f"{scope} for: me #Unresolved{order}", limit)
    others = await _search(api, scope + order, room(mine, limit)) if len(mine) < limit else []
    return merge(mine, others, limit)


async def _search(api: YouTrackApi, query: str, top: int) -> list[dict[str, Any]]:
    page = await api.issues(query, 0, top, ISSUE_FIELDS)
    return [to_wire(raw, api.base_url) for raw in page[:top] if entry_problem(raw) is None]
