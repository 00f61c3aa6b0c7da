"""The issue list: `GET /issues` across every page up to `limit`.

The default is GitLab's own "assigned to me, open" dashboard list:
`scope=assigned_to_me&state=opened&order_by=updated_at&sort=desc`. A `query` is
GitLab's `search` parameter (words in the title or description) over the same list.
Pages are read one after another (`paging`); an issue that an update moved onto a
later page while the list was read is kept once, by id. `total` is `X-Total` where
GitLab sends it (capped by `limit` in the progress it reports), else the count read.
"""

import asyncio
import logging
from typing import Any
from urllib.parse import urlencode

from agent.errors import Unreachable
from agent.providers.base import FetchResult, ProgressCallback
from agent.providers.gitlab import paging
from agent.providers.gitlab.api import GitLabApi
from agent.providers.gitlab.issues import entry_problem, to_wire
from agent.providers.gitlab.projects import ProjectNames

log = logging.getLogger("issuebridge.gitlab")


def list_path(query: str | None, per_page: int) -> str:
    params = {
        "scope": "assigned_to_me",
        "state": "opened",
        "order_by": "updated_at",
        "sort": "desc",
    }
    if query and query.strip():
        params["search"] = query.strip()
    params["per_page"] = str(per_page)
    return f"/issues?{urlencode(params)}"


async def fetch_all(
    api: GitLabApi,
    query: str | None,
    limit: int,
    on_progress: ProgressCallback,
    deadline_seconds: float,
    projects: ProjectNames,
) -> FetchResult:
    pages = 0
    try:
        async with asyncio.timeout(deadline_seconds):
            raws: list[dict[str, Any]] = []
            seen: set[int] = set()
            total: int | None = None
            url: str | None = list_path(query, min(limit, paging.MAX_PER_PAGE))
            while url and len(raws) < limit:
                response = await api.send("GET", url)
                body = api.expect_list(api.read(response, "the issue list"), "the issue list")
                pages += 1
                total = paging.total_of(response) if pages == 1 else total
                for raw in body:
                    problem = entry_problem(raw)
                    if problem is not None:
                        log.warning("Skipping %s in GitLab's issue list", problem)
                    elif raw["id"] not in seen:
                        seen.add(raw["id"])
                        raws.append(raw)
                expected = min(limit, total) if total is not None else limit
                on_progress(min(len(raws), limit), max(expected, min(len(raws), limit)))
                url = paging.next_url(response, url, api.base_url) if body else None
            raws = raws[:limit]
            await projects.learn(api, raws)
    except TimeoutError:
        raise Unreachable(
            f"GitLab did not send all the issues within {deadline_seconds:g} seconds "
            f"({pages} pages had arrived).",
            hint="The server answers slowly. Try a narrower query or a smaller limit, or "
            "raise the http.operationTimeoutSeconds setting.",
            action="retry",
        ) from None
    issues = [to_wire(raw, projects.names) for raw in raws]
    return FetchResult(issues=issues, total=total if total is not None else len(issues))
