"""Fetch the user's open issues, or a search's, following GitHub's `Link` pages.

The default list is `GET /issues?filter=assigned&state=open&sort=updated&direction=desc`
(every repository the token can see); a query goes to `GET /search/issues?q=…` with
`sort=updated&order=desc` and `is:issue` added unless the query says `is:`/`type:` issue
or pull request itself. Both endpoints list pull requests as issues (they carry a
`pull_request` key): those are left out.

Pages are read one after another, each from the `next` link of the one before, as
GitHub asks (it counts concurrent requests against a secondary rate limit). `per_page`
is 100, or the limit when that is smaller; a server that caps it lower is followed all
the same. An issue that moves to the front while the pages are read (it was updated)
may come twice: it is kept once, by id. `total` is the search's `total_count`, and for
the list (which gives no count) the number returned. Progress is reported per page
against the count, or for the list against what its `last` link promises.
"""

import asyncio
import logging
import re
from typing import Any
from urllib.parse import urlencode

from agent.errors import RemoteError, Unreachable
from agent.providers.base import FetchResult, ProgressCallback
from agent.providers.github import issues, links
from agent.providers.github.api import GitHubApi

log = logging.getLogger("issuebridge.github")

LARGEST_PAGE = 100
# What the search API reaches at most, whatever its total_count.
SEARCH_REACH = 1000
_KIND = re.compile(r"(?:^|\s)-?(?:is|type):(?:issue|pr|pull-request)(?:\s|$)", re.I)


def default_url(per_page: int) -> str:
    query = {
        "filter": "assigned",
        "state": "open",
        "sort": "updated",
        "direction": "desc",
        "per_page": per_page,
    }
    return f"/issues?{urlencode(query)}"


def search_url(text: str, per_page: int) -> str:
    q = text.strip() if _KIND.search(text) else f"{text.strip()} is:issue"
    query = {"q": q, "sort": "updated", "order": "desc", "per_page": per_page}
    return f"/search/issues?{urlencode(query)}"


async def fetch_all(
    api: GitHubApi,
    query: str | None,
    limit: int,
    on_progress: ProgressCallback,
    deadline_seconds: float,
    me: str | None = None,
) -> FetchResult:
    """Every issue up to `limit`; `me` (the connected login) is the assignee shown where
    an issue has several."""
    per_page = min(LARGEST_PAGE, limit)
    searching = bool(query and query.strip())
    url: str | None = search_url(query or "", per_page) if searching else default_url(per_page)
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    shared: dict[Any, Any] = {}
    total: int | None = None
    pages = 0
    try:
        async with asyncio.timeout(deadline_seconds):
            while url is not None and len(found) < limit:
                response = await api.send("GET", url)
                what = "the search" if searching else "the issue list"
                body = api.read(response, what)
                pages += 1
                entries, count = _entries(body, searching)
                if count is not None:
                    total = count
                for raw in entries:
                    problem = issues.entry_problem(raw)
                    if problem is not None:
                        log.warning("Skipping %s in GitHub's answer", problem)
                        continue
                    if issues.is_pull_request(raw):
                        continue
                    issue = issues.to_wire(raw, shared, me)
                    if issue["id"] in seen:
                        continue
                    seen.add(issue["id"])
                    found.append(issue)
                    if len(found) >= limit:
                        break
                page_links = links.parse_links(response.headers.get("Link"))
                url = page_links.get("next") if entries else None
                expected = _expected(total, page_links, per_page, limit, len(found), url)
                on_progress(min(len(found), expected), expected)
    except TimeoutError:
        raise Unreachable(
            f"GitHub did not send all the issues within {deadline_seconds:g} seconds "
            f"({pages} pages had arrived).",
            hint="Try a narrower search or a smaller limit, or raise the "
            "http.operationTimeoutSeconds setting.",
            action="retry",
        ) from None
    if searching and total is not None:
        return FetchResult(issues=found, total=total)
    return FetchResult(issues=found, total=len(found))


def _entries(body: Any, searching: bool) -> tuple[list[Any], int | None]:
    if searching:
        if isinstance(body, dict) and isinstance(body.get("items"), list):
            count = body.get("total_count")
            good = isinstance(count, int) and not isinstance(count, bool) and count >= 0
            return body["items"], count if good else None
    elif isinstance(body, list):
        return body, None
    raise RemoteError(
        "GitHub's answer has no issue list, which is not what GitHub sends.",
        hint="Something other than GitHub's API may be answering at this address; check "
        "the base URL (https://api.github.com, or https://HOST/api/v3).",
        httpStatus=200,
        messages=["unexpected answer"],
    )


def _expected(
    total: int | None,
    page_links: dict[str, str],
    per_page: int,
    limit: int,
    done: int,
    next_url: str | None,
) -> int:
    """How many issues the fetch will end with, as well as it is known now."""
    if next_url is None:
        return done
    if total is not None:
        return max(done, min(limit, total, SEARCH_REACH))
    last = links.page_number(page_links.get("last"))
    estimate = last * per_page if last else done + per_page
    return max(done, min(limit, estimate))
