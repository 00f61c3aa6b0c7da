"""Issues by key, for hovers on keys in documents: `key in (…)` searches.

POST /rest/api/2/search (documented for JQL too long for a URL), so the JQL of 100
keys never meets Tomcat's 8 KB request-header limit that a GET's URL counts against;
100 keys a search keeps each JQL and answer small, and the searches of a large
document run a few at a time. `validateQuery: false` makes Jira match nothing for a
key that does not exist (deleted, moved, never there, or not visible) instead of
refusing the whole search with 400; a server that refuses anyway ("An issue with key
'X' does not exist for field 'key'.") has the keys it names dropped and is asked
again, a bounded number of times.
"""

import asyncio
import re
from typing import Any

from agent.errors import RemoteError
from agent.providers.jira_server.api import JiraApi
from agent.providers.jira_server.issues import (
    SEARCH_FIELDS,
    SEARCH_FIELDS_WITH_PROJECT,
    entry_problem,
    to_wire,
)
from agent.providers.jira_server.projects import ProjectNames
from agent.providers.key_lookup import chunks, unique

KEYS_PER_SEARCH = 100
CONCURRENT_SEARCHES = 4
# Searches again after a 400 naming keys that do not exist, per chunk.
MAX_RETRIES = 3

_MISSING_KEY = re.compile(r"An issue with key '([^']+)' does not exist for field '[^']+'")
_ISSUE_KEY = re.compile(r"[A-Z][A-Z0-9_]*-[1-9][0-9]*")


async def lookup_issues(
    api: JiraApi, projects: ProjectNames, keys: list[str]
) -> list[dict[str, Any]]:
    """The issues of `keys` (each once) as wire JSON; keys with no issue left out."""
    wanted = unique(k for k in keys if _ISSUE_KEY.fullmatch(k))
    if not wanted:
        return []
    names = await projects.get(api)
    fields = SEARCH_FIELDS if names is not None else SEARCH_FIELDS_WITH_PROJECT
    semaphore = asyncio.Semaphore(CONCURRENT_SEARCHES)
    shared: dict[Any, Any] = {}

    async def chunk(part: list[str]) -> list[dict[str, Any]]:
        async with semaphore:
            raw = await _search_keys(api, part, fields)
        return [to_wire(issue, api.base_url, shared, names) for issue in raw]

    found: list[dict[str, Any]] = []
    for issues in await asyncio.gather(*(chunk(part) for part in chunks(wanted, KEYS_PER_SEARCH))):
        found.extend(issues)
    if names is not None:
        await projects.name_unknown(found, names, api)
    return found


async def _search_keys(api: JiraApi, keys: list[str], fields: list[str]) -> list[dict[str, Any]]:
    remaining = list(keys)
    for attempt in range(MAX_RETRIES + 1):
        if not remaining:
            return []
        try:
            return await _all_pages(api, f"key in ({', '.join(remaining)})", len(remaining), fields)
        except RemoteError as exc:
            missing = _missing_keys(exc)
            if attempt == MAX_RETRIES or not missing & set(remaining):
                raise
            remaining = [k for k in remaining if k not in missing]
    return []


async def _all_pages(
    api: JiraApi, jql: str, wanted: int, fields: list[str]
) -> list[dict[str, Any]]:
    """Every issue of the search, following pages when the server caps `maxResults`."""
    issues: list[dict[str, Any]] = []
    start = 0
    while start < wanted:
        answer = await api.search(jql, start, wanted - start, fields, validate_query=False)
        page = [raw for raw in answer["issues"] if entry_problem(raw) is None]
        issues.extend(page)
        count = len(answer["issues"])
        total = answer.get("total")
        start += count
        if not count or (isinstance(total, int) and start >= total):
            break
    return issues


def _missing_keys(error: RemoteError) -> set[str]:
    if error.data.get("httpStatus") != 400:
        return set()
    messages = error.data.get("messages") or []
    return {m[1] for text in messages for m in _MISSING_KEY.finditer(str(text))}
