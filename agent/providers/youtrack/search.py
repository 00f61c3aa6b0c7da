"""Fetch every issue a YouTrack query matches, page by page with `$skip`/`$top`.

YouTrack gives no total with a list; the count comes from `/api/issuesGetter/count`,
asked once after a first page that is not empty (when YouTrack is still counting, or
refuses, the total is the number returned). A server may cap `$top`
without saying so: a page shorter than asked is not the end unless it is empty or
shorter than an earlier page, so the pages are read one after another from where
the last ended.
"""

import asyncio
import logging
from typing import Any

from agent.errors import RemoteError, Unreachable
from agent.providers.base import FetchResult, ProgressCallback
from agent.providers.youtrack.api import YouTrackApi
from agent.providers.youtrack.issues import ISSUE_FIELDS, entry_problem, to_wire

log = logging.getLogger("issuebridge.youtrack")

# The most issues asked for per page.
PAGE_SIZE = 100


async def fetch_all(
    api: YouTrackApi,
    query: str,
    limit: int,
    on_progress: ProgressCallback,
    deadline_seconds: float,
) -> FetchResult:
    pages = 0
    try:
        async with asyncio.timeout(deadline_seconds):
            issues: list[dict[str, Any]] = []
            seen: set[str] = set()
            total: int | None = None
            largest = 0
            reported = (-1, -1)
            skip = 0
            while len(issues) < limit:
                top = min(PAGE_SIZE, limit - len(issues))
                page = await api.issues(query, skip, top, ISSUE_FIELDS)
                pages += 1
                skip += len(page)
                before = len(issues)
                for raw in page[:top]:
                    problem = entry_problem(raw)
                    if problem is not None:
                        log.warning("Skipping %s in YouTrack's issue list", problem)
                        continue
                    issue = to_wire(raw, api.base_url)
                    if issue["key"] not in seen:  # an issue that moved between pages
                        seen.add(issue["key"])
                        issues.append(issue)
                if pages == 1:
                    total = await _count(api, query) if page else 0
                expected = min(limit, total) if total is not None else limit
                reported = (min(len(issues), expected), expected)
                on_progress(*reported)
                if not page or len(page) < largest or (total is not None and skip >= total):
                    break
                if len(issues) == before:
                    # A full page of nothing new: a server that ignores $skip would
                    # answer the same page for ever.
                    log.warning("YouTrack's page at %d repeated earlier issues; stopping", skip)
                    break
                largest = max(largest, len(page))
            issues = issues[:limit]
            final_total = total if total is not None and total >= len(issues) else len(issues)
            if reported != (len(issues), min(limit, final_total)):
                on_progress(len(issues), min(limit, final_total))
            return FetchResult(issues=issues, total=final_total)
    except TimeoutError:
        import httpx

        host = httpx.URL(api.base_url).host
        raise Unreachable(
            f"{host} did not send all the issues within {deadline_seconds:g} seconds "
            f"({pages} pages had arrived).",
            hint="The server answers slowly. Try a narrower query or a smaller limit, or "
            "raise the http.operationTimeoutSeconds setting.",
            action="retry",
        ) from None


async def _count(api: YouTrackApi, query: str) -> int | None:
    try:
        return await api.count(query)
    except RemoteError as exc:
        log.info("YouTrack did not count the issues (%s); the total is the number read", exc)
        return None
