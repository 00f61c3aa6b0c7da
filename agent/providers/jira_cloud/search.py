"""Every issue a JQL query matches, through Cloud's enhanced search.

`POST /rest/api/3/search/jql` pages with a cursor: each answer carries `isLast` and,
while there is more, a `nextPageToken` for the next page. There is no random access
(pages come one after the other) and no total: the count is the number returned.
Without `fields` the answer holds ids only, so the fields an `Issue` needs are asked
for. The search is eventually consistent: an issue changed during the fetch may
appear twice across pages, so issues are kept once each by id.
"""

import asyncio
import logging
from typing import Any

import httpx

from agent.errors import Unreachable
from agent.providers.base import FetchResult, ProgressCallback
from agent.providers.jira_cloud import normalise
from agent.providers.jira_cloud.api import CloudApi
from agent.providers.jira_server.issues import SEARCH_FIELDS_WITH_PROJECT, entry_problem, to_wire

log = logging.getLogger("issuebridge.jira_cloud")

# Cloud answers at most 100 issues with fields a page (up to 5000 for ids only).
PAGE_SIZE = 100
# A bound on pages for one fetch: a cursor that never ends is a server's bug.
MAX_PAGES = 10_000


async def fetch_all(
    api: CloudApi,
    jql: str,
    limit: int,
    on_progress: ProgressCallback,
    deadline_seconds: float,
) -> FetchResult:
    pages = 0
    try:
        async with asyncio.timeout(deadline_seconds):
            issues: list[dict[str, Any]] = []
            seen: set[str] = set()
            shared: dict[Any, Any] = {}
            token: str | None = None
            used: set[str] = set()
            while len(issues) < limit and pages < MAX_PAGES:
                size = min(limit - len(issues), PAGE_SIZE)
                answer = await api.search_jql(jql, size, SEARCH_FIELDS_WITH_PROJECT, token)
                pages += 1
                entries = answer["issues"][:size]
                for raw in entries:
                    cloud = normalise.issue(raw)
                    problem = entry_problem(cloud)
                    if problem is not None:
                        log.warning("Skipping %s in Jira Cloud's search answer", problem)
                        continue
                    wire = to_wire(cloud, api.base_url, shared)
                    if wire["id"] not in seen:
                        seen.add(wire["id"])
                        issues.append(wire)
                token = _next_token(answer)
                last = answer.get("isLast") is True or token is None or not entries
                if token in used:
                    log.warning("Jira Cloud sent the same page token twice; stopping there")
                    last = True
                on_progress(min(len(issues), limit), len(issues) if last else limit)
                if last:
                    break
                assert token is not None
                used.add(token)
            issues = issues[:limit]
            return FetchResult(issues=issues, total=len(issues))
    except TimeoutError:
        host = httpx.URL(api.base_url).host
        raise Unreachable(
            f"{host} did not send all the issues within {deadline_seconds:g} seconds "
            f"({pages} pages had arrived).",
            hint="The site answers slowly. Try a narrower query or a smaller limit, or "
            "raise the http.operationTimeoutSeconds setting.",
            action="retry",
        ) from None


def _next_token(answer: dict[str, Any]) -> str | None:
    token = answer.get("nextPageToken")
    return token if isinstance(token, str) and token else None
