"""Issue keys in documents on GitLab: issues by reference, and completion.

- A lookup groups the keys by project and asks each project once:
  `GET /projects/:path/issues?iids[]=1&iids[]=7&scope=all&per_page=100` (up to 100 iids
  a request, the projects at most 4 at a time). A project that does not exist or that
  the user cannot see (404) has no issues to show; an iid with no issue is not in the
  answer; a project whose issues the user may not see (403 not about the token's
  scopes) likewise. Each project's name is read once per session (`ProjectNames`), so
  a project costs two requests the first time and one after.
- Completion for `group/project#`: that project's issues assigned to me and opened,
  then its issues matching the typed words (`search=`, title and description), both
  `order_by=updated_at&sort=desc`, `per_page` the limit.
"""

import asyncio
from typing import Any
from urllib.parse import quote, urlencode

from agent.errors import InvalidParams
from agent.providers.gitlab import failures
from agent.providers.gitlab.api import GitLabApi
from agent.providers.gitlab.issues import entry_problem, reference, to_wire
from agent.providers.gitlab.keys import IssueRef, parse_key
from agent.providers.gitlab.paging import MAX_PER_PAGE
from agent.providers.gitlab.projects import ProjectNames
from agent.providers.key_lookup import chunks, merge, room, search_words, unique

CONCURRENT_PROJECTS = 4


def _refs(keys: list[str]) -> dict[str, list[int]]:
    by_project: dict[str, list[int]] = {}
    for key in unique(keys):
        try:
            ref = parse_key(key)
        except InvalidParams:
            continue
        by_project.setdefault(ref.project, []).append(ref.iid)
    return by_project


async def lookup(api: GitLabApi, keys: list[str], projects: ProjectNames) -> list[dict[str, Any]]:
    semaphore = asyncio.Semaphore(CONCURRENT_PROJECTS)

    async def one(project: str, iids: list[int]) -> list[dict[str, Any]]:
        async with semaphore:
            found: list[dict[str, Any]] = []
            for batch in chunks(sorted(set(iids)), MAX_PER_PAGE):
                query = [("iids[]", str(i)) for i in batch]
                query += [("scope", "all"), ("per_page", str(MAX_PER_PAGE))]
                page = await _issues(api, project, query)
                if page is None:
                    return []
                wanted = {IssueRef(project, i).key.lower() for i in batch}
                found += [r for r in page if _key(r).lower() in wanted]
            return found

    grouped = _refs(keys)
    pages = await asyncio.gather(*(one(p, iids) for p, iids in grouped.items()))
    raws = [raw for page in pages for raw in page]
    await projects.learn(api, raws)
    return [to_wire(raw, projects.names) for raw in raws]


async def suggest(
    api: GitLabApi, project: str, text: str, limit: int, projects: ProjectNames
) -> list[dict[str, Any]]:
    order = [("order_by", "updated_at"), ("sort", "desc")]
    words = search_words(text)
    searched = [("search", words)] if words else []
    mine_query = [("scope", "assigned_to_me"), ("state", "opened"), *searched, *order]
    mine = await _issues(api, project, [*mine_query, ("per_page", _page(limit))])
    if mine is None:
        return []
    others = []
    if len(mine) < limit:
        wider = [("scope", "all"), *searched, *order, ("per_page", _page(room(mine, limit)))]
        others = await _issues(api, project, wider) or []
    await projects.learn(api, [*mine, *others])
    wire = [to_wire(r, projects.names) for r in mine], [to_wire(r, projects.names) for r in others]
    return merge(*wire, limit)


async def _issues(
    api: GitLabApi, project: str, query: list[tuple[str, str]]
) -> list[dict[str, Any]] | None:
    """One page of a project's issues; None when the user may not see them: no such
    project for the user (404), or its issues closed to them (403, where the token's
    scopes are not what is missing)."""
    path = f"/projects/{quote(project, safe='')}/issues?{urlencode(query)}"
    response = await api.send("GET", path)
    hidden = response.status_code == 404 or (
        response.status_code == 403 and not failures.insufficient_scope(response)
    )
    if hidden:
        return None
    body = api.expect_list(api.read(response, "the issue lookup"), "the issue lookup")
    return [raw for raw in body if entry_problem(raw) is None]


def _page(size: int) -> str:
    return str(max(1, min(size, MAX_PER_PAGE)))


def _key(raw: dict[str, Any]) -> str:
    ref = reference(raw)
    return ref.key if ref is not None else ""
