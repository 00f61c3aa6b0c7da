"""Fetch every issue a JQL query matches, whatever page size the server caps.

Jira caps `maxResults` (often 50 to 1000) without saying so except by returning
fewer issues. The first page tells the real page size and the total; the rest
are fetched concurrently (bounded), each asked from where the last one ended.
A page that comes back short (the cap changed, issues moved) is topped up, so
the result has every issue, in the server's order, once.
"""

import asyncio
from typing import Any

from agent.providers.base import FetchResult, ProgressCallback
from agent.providers.jira_server.api import JiraApi
from agent.providers.jira_server.issues import SEARCH_FIELDS, to_issue
from protocol.types import Issue

# Pages in flight at once. Jira's own UI loads several resources in parallel;
# ten stays well within what a Jira server tolerates from one client.
CONCURRENT_PAGES = 10
# The most any Jira returns per page (jira.search.views.default.max default).
LARGEST_PAGE = 1000


async def fetch_all(
    api: JiraApi, jql: str, limit: int, on_progress: ProgressCallback
) -> FetchResult:
    first = await api.search(jql, 0, min(limit, LARGEST_PAGE), SEARCH_FIELDS)
    total = int(first.get("total") or 0)
    wanted = min(limit, total)
    # Pages are mapped to `Issue` as they arrive, while later ones are still in flight.
    pages: dict[int, list[Issue]] = {0: _issues(api, first["issues"][:limit])}
    page_size = len(pages[0])
    on_progress(page_size, wanted)

    if 0 < page_size < wanted:
        fetched = page_size
        semaphore = asyncio.Semaphore(CONCURRENT_PAGES)

        async def fetch_page(start: int) -> None:
            nonlocal fetched
            size = min(page_size, wanted - start)
            async with semaphore:
                page = await api.search(jql, start, size, SEARCH_FIELDS)
            pages[start] = _issues(api, page["issues"][:size])
            fetched += len(pages[start])
            on_progress(min(fetched, wanted), wanted)

        async with asyncio.TaskGroup() as group:
            for start in range(page_size, wanted, page_size):
                group.create_task(fetch_page(start))
        await _fill_gaps(api, jql, pages, wanted)

    return FetchResult(issues=_in_order(pages, wanted), total=total)


def _issues(api: JiraApi, raw: list[dict[str, Any]]) -> list[Issue]:
    return [to_issue(item, api.base_url) for item in raw]


async def _fill_gaps(api: JiraApi, jql: str, pages: dict[int, list[Issue]], wanted: int) -> None:
    """Fetch what short pages left out, one page at a time from each gap."""
    while True:
        gap = _first_gap(pages, wanted)
        if gap is None:
            return
        start, end = gap
        page = await api.search(jql, start, min(end - start, LARGEST_PAGE), SEARCH_FIELDS)
        if not page["issues"]:
            return  # the server has fewer issues than it said: nothing left to get
        pages[start] = _issues(api, page["issues"][: end - start])


def _first_gap(pages: dict[int, list[Issue]], wanted: int) -> tuple[int, int] | None:
    position = 0
    for start in sorted(pages):
        if start > position:
            return position, start
        position = max(position, start + len(pages[start]))
    return (position, wanted) if position < wanted else None


def _in_order(pages: dict[int, list[Issue]], wanted: int) -> list[Issue]:
    seen: set[str] = set()
    issues = []
    for start in sorted(pages):
        for issue in pages[start]:
            if issue.id in seen:
                continue
            seen.add(issue.id)
            issues.append(issue)
    return issues[:wanted]
