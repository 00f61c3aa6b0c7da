"""Issue keys in documents on Jira Cloud: project keys, issues by key, completion.

- Project keys: `GET /rest/api/3/project/search` (paged: `startAt`, `maxResults`,
  `isLast`), read once per session.
- Issues by key: `POST /rest/api/3/issue/bulkfetch` with `issueIdsOrKeys` (at most 100
  a request) and the fields an `Issue` needs. Keys with no issue the user may see are
  simply not in the answer. JQL's `key in (…)` is not used: Jira refuses a whole query
  (400) when one of its keys names no issue, and the enhanced search
  (`/rest/api/3/search/jql`) has no `validateQuery` switch to turn that off.
- Completion: two enhanced searches, the user's unresolved issues of the project
  (matching the typed words, `text ~`), then the project's issues matching them, both
  most recently updated first.
"""

import logging
from typing import Any

from agent.errors import RemoteError
from agent.providers.jira_cloud import normalise
from agent.providers.jira_cloud.api import API, CloudApi
from agent.providers.jira_server.issues import SEARCH_FIELDS_WITH_PROJECT, entry_problem, to_wire
from agent.providers.key_lookup import chunks, merge, room, search_words, unique

log = logging.getLogger("issuebridge.jira_cloud")

# What Jira Cloud's bulk fetch takes per request (more with narrow fields, but 100 always).
BULK_FETCH_SIZE = 100
PROJECT_PAGE = 100
MAX_PROJECT_PAGES = 100


async def project_keys(api: CloudApi) -> set[str]:
    keys: set[str] = set()
    start = 0
    for _ in range(MAX_PROJECT_PAGES):
        page = await api.request(
            "GET",
            f"{API}/project/search",
            what="the project list",
            params={"startAt": start, "maxResults": PROJECT_PAGE},
        )
        values = page.get("values") if isinstance(page, dict) else None
        if not isinstance(values, list):
            raise RemoteError(
                "Jira Cloud's project list has no values, which is not what Jira Cloud sends.",
                httpStatus=200,
                messages=["unexpected project list"],
            )
        keys.update(
            p["key"] for p in values if isinstance(p, dict) and isinstance(p.get("key"), str)
        )
        start += len(values)
        if page.get("isLast") is True or not values:
            break
    return keys


async def lookup(api: CloudApi, keys: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    shared: dict[Any, Any] = {}
    for batch in chunks(unique(keys), BULK_FETCH_SIZE):
        answer = await api.request(
            "POST",
            f"{API}/issue/bulkfetch",
            what="the issue lookup",
            json={"issueIdsOrKeys": batch, "fields": SEARCH_FIELDS_WITH_PROJECT},
            idempotent=True,  # a read sent as POST
        )
        issues = answer.get("issues") if isinstance(answer, dict) else None
        if not isinstance(issues, list):
            raise RemoteError(
                "Jira Cloud's bulk fetch answer has no issue list.",
                httpStatus=200,
                messages=["unexpected bulk fetch response"],
            )
        found.extend(_wire(api, issues, shared))
    return found


def _wire(api: CloudApi, raws: list[Any], shared: dict[Any, Any]) -> list[dict[str, Any]]:
    issues = []
    for raw in raws:
        cloud = normalise.issue(raw)
        problem = entry_problem(cloud)
        if problem is not None:
            log.warning("Skipping %s in Jira Cloud's answer", problem)
        else:
            issues.append(to_wire(cloud, api.base_url, shared))
    return issues


def _jql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


async def suggest(api: CloudApi, project: str, text: str, limit: int) -> list[dict[str, Any]]:
    words = search_words(text)
    scope = f"project = {_jql_string(project)}"
    if words:
        scope += f" AND text ~ {_jql_string(words)}"
    order = " ORDER BY updated DESC"
    mine_jql = f"{scope} AND assignee = currentUser() AND resolution = Unresolved{order}"
    mine = await _search(api, mine_jql, limit)
    others = await _search(api, scope + order, room(mine, limit)) if len(mine) < limit else []
    return merge(mine, others, limit)


async def _search(api: CloudApi, jql: str, limit: int) -> list[dict[str, Any]]:
    answer = await api.search_jql(jql, limit, SEARCH_FIELDS_WITH_PROJECT, None)
    return _wire(api, answer["issues"][:limit], {})
