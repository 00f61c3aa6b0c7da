"""Fetch every issue a JQL query matches, whatever page size the server caps.

Jira caps `maxResults` (often 50 to 1000) without saying so except by returning
fewer issues. The first page tells the real page size and the total; the rest
are fetched concurrently (bounded), each asked from where the last one ended.

Offset paging reads a result that may move while it is read: an issue updated
during the fetch jumps to the front of `ORDER BY updated DESC`, shifting every
page after it by one, so a page read after the move repeats an issue and one read
before it misses one. Issues are therefore kept once each by id, and the count is
checked against `total`: when issues are missing, the pages are read again from the
front until they are found (`top_up`); when `total` itself changed (issues joined
or left the result), the whole result is read again (`read_all`). Both are bounded
(`MAX_REPAIRS`); a result that keeps moving beyond that is returned as read, with
a warning in the log.

Pages are mapped to wire JSON as they arrive and the raw answer is dropped, so a
fetch holds one copy of each issue, not three.
"""

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from agent.errors import AgentError, RemoteError, Unreachable
from agent.providers.base import FetchResult, ProgressCallback
from agent.providers.jira_server.api import JiraApi
from agent.providers.jira_server.issues import (
    SEARCH_FIELDS,
    SEARCH_FIELDS_WITH_PROJECT,
    entry_problem,
    to_wire,
)
from agent.providers.jira_server.projects import ProjectNames

log = logging.getLogger("issuebridge.jira")

# Pages in flight at once. Jira's own UI loads several resources in parallel;
# ten stays well within what a Jira server tolerates from one client.
CONCURRENT_PAGES = 10
# The most any Jira returns per page (jira.search.views.default.max default).
LARGEST_PAGE = 1000
# Pages after the first ask for at most this many: ten 1000-issue pages in flight
# (2 MB of JSON each, 4-8 times that once parsed) took a 10,000-issue fetch past
# 100 MB; smaller pages, ten at a time, cost no time.
LATER_PAGE = 250
# Extra passes over a result that moved while it was read.
MAX_REPAIRS = 3
# Jira's `total` is a Java int.
LARGEST_TOTAL = 2**31 - 1

Page = list[dict[str, Any]]


class _View:
    """The pages of one pass over the result: start -> issues, and the totals seen."""

    def __init__(self) -> None:
        self.pages: dict[int, Page] = {}
        # How many entries each page answered, issues or not: what paging counts.
        self.spans: dict[int, int] = {}
        self.totals: set[int] = set()
        # Positions of entries that were not issues (logged and left out).
        self.skipped: set[int] = set()

    def ids(self) -> set[str]:
        return {issue["id"] for page in self.pages.values() for issue in page}

    def moved(self) -> bool:
        return len(self.totals) > 1


class _Fetch:
    def __init__(
        self,
        api: JiraApi,
        jql: str,
        limit: int,
        on_progress: ProgressCallback,
    ) -> None:
        self.api = api
        # Project key -> name, or None: then each issue carries its `project` field.
        self.names: dict[str, str] | None = None
        self.jql = jql
        self.limit = limit
        self.on_progress = on_progress
        self.page_size = 0
        self.total = 0
        self.requests = 0
        self.reported = -1
        # Equal statuses, projects and users as one object each (see `to_wire`).
        self.shared: dict[Any, Any] = {}

    @property
    def fields(self) -> list[str]:
        return SEARCH_FIELDS if self.names is not None else SEARCH_FIELDS_WITH_PROJECT

    async def run(self, names: dict[str, str] | None) -> FetchResult:
        self.names = names
        views = [await self.read_all()]
        for _ in range(MAX_REPAIRS):
            if self.settled(views):
                break
            if views[-1].moved():
                views.append(await self.read_all("changed size"))
                if self.settled(views[-1:]):
                    views = views[-1:]  # a fresh, steady read replaces what moved
                continue
            found = len(self.merged_ids(views))
            views.append(await self.top_up(views))
            if len(self.merged_ids(views)) == found and not views[-1].moved():
                break  # nothing moved: the server just has fewer issues than it counts
        if not self.settled(views):
            log.warning(
                "The search result changed while it was read; returning %d of %d issues",
                len(self.merged_ids(views)),
                self.wanted,
            )
        issues = _in_order(views, self.limit)
        self.progress(len(issues))
        return FetchResult(issues=issues, total=self.total)

    def progress(self, done: int) -> None:
        """Report progress, never backwards (a pass read again counts nothing new)."""
        if done > self.reported:
            self.reported = done
            self.on_progress(min(done, self.wanted), self.wanted)

    @property
    def wanted(self) -> int:
        return min(self.limit, self.total)

    def settled(self, views: list[_View]) -> bool:
        if views[-1].moved():
            return False
        skipped = set().union(*(view.skipped for view in views))
        return len(self.merged_ids(views)) + len(skipped) >= self.wanted

    @staticmethod
    def merged_ids(views: list[_View]) -> set[str]:
        return set().union(*(view.ids() for view in views))

    # --- reading pages ------------------------------------------------------------

    async def page(self, view: _View, start: int, size: int) -> Page:
        answer = await self.api.search(self.jql, start, size, self.fields)
        self.requests += 1
        self.total = _total(answer)
        view.totals.add(self.total)
        issues: Page = []
        base_url = self.api.base_url
        entries = answer["issues"][:size]
        for position, raw in enumerate(entries, start):
            problem = entry_problem(raw)
            if problem is None:
                issues.append(to_wire(raw, base_url, self.shared, self.names))
            else:
                view.skipped.add(position)
                log.warning("Skipping %s in Jira's search answer", problem)
        view.pages[start] = issues
        view.spans[start] = len(entries)
        return issues

    def starts(self, first: int = 0) -> range:
        return range(first, self.wanted, self.page_size)

    async def read_all(self, why: str = "") -> _View:
        """One pass: the first page, then the rest concurrently, then any gaps."""
        if why:
            log.info("The search result %s while it was read; reading it again", why)
        view = _View()
        await self.page(view, 0, min(self.limit, LARGEST_PAGE))
        first = view.spans[0]
        self.page_size = min(first, LATER_PAGE) or self.page_size
        self.progress(first)
        if 0 < first < self.wanted:
            await self.read_rest(view, first)
            await self.fill_gaps(view)
        return view

    async def read_rest(self, view: _View, first: int) -> None:
        semaphore = asyncio.Semaphore(CONCURRENT_PAGES)
        fetched = first

        async def read(start: int) -> None:
            nonlocal fetched
            async with semaphore:
                issues = await self.page(view, start, min(self.page_size, self.wanted - start))
            fetched += len(issues)
            self.progress(fetched)

        await _all(read(start) for start in self.starts(first))

    async def fill_gaps(self, view: _View) -> None:
        """Fetch what short pages left out, one page at a time from each gap."""
        while True:
            gap = _first_gap(view.spans, self.wanted)
            if gap is None:
                return
            start, end = gap
            await self.page(view, start, min(end - start, LATER_PAGE))
            if not view.spans[start]:
                return  # the server has fewer issues than it said: nothing left to get

    async def top_up(self, views: list[_View]) -> _View:
        """Issues are missing (a page read after a move skipped one): read the pages
        again from the front, a window at a time, until the count is complete."""
        log.info("Issues moved while the search result was read; reading it again")
        view = _View()
        if not self.page_size:
            return view  # the server sent no issues at all: nothing to read again
        starts = list(self.starts())
        for index in range(0, len(starts), CONCURRENT_PAGES):
            window = starts[index : index + CONCURRENT_PAGES]
            await _all(self.page(view, s, min(self.page_size, self.wanted - s)) for s in window)
            if self.settled([*views, view]):
                break
        return view


async def fetch_all(
    api: JiraApi,
    jql: str,
    limit: int,
    on_progress: ProgressCallback,
    deadline_seconds: float,
    projects: ProjectNames,
) -> FetchResult:
    """Every issue `jql` matches up to `limit`, within `deadline_seconds` in all."""
    fetch = _Fetch(api, jql, limit, on_progress)
    try:
        async with asyncio.timeout(deadline_seconds):
            names = await projects.get(api)
            result = await fetch.run(names)
            if names is not None:
                await projects.name_unknown(result.issues, names, api)
            return result
    except TimeoutError:
        import httpx

        host = httpx.URL(api.base_url).host
        raise Unreachable(
            f"{host} did not send all the issues within {_seconds(deadline_seconds)} "
            f"({fetch.requests} pages of {fetch.page_size or '?'} issues had arrived).",
            hint="The server answers slowly. Try a narrower query or a smaller limit, or "
            "raise the http.operationTimeoutSeconds setting.",
            action="retry",
        ) from None


def _seconds(value: float) -> str:
    return f"{value:g} second" + ("" if value == 1 else "s")


async def _all(coroutines: Iterable[Any]) -> None:
    """Run page reads concurrently; the first failure cancels the rest and is raised
    as itself (a TaskGroup would wrap it in an ExceptionGroup)."""
    try:
        async with asyncio.TaskGroup() as group:
            for coroutine in coroutines:
                group.create_task(coroutine)
    except BaseExceptionGroup as failures:
        raise _first_leaf(failures) from None


def _first_leaf(group: BaseExceptionGroup[BaseException]) -> BaseException:
    agent_errors = group.subgroup(lambda e: isinstance(e, AgentError))
    chosen = agent_errors or group
    leaf: BaseException = chosen
    while isinstance(leaf, BaseExceptionGroup):
        leaf = leaf.exceptions[0]
    return leaf


def _total(answer: dict[str, Any]) -> int:
    total = answer.get("total", 0)
    if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= LARGEST_TOTAL:
        shown = repr(total)[:40]
        raise RemoteError(
            f"Jira's search answer has a total of {shown}, which is not what Jira sends "
            "(a count from 0 up).",
            hint="Something other than Jira may be answering at this address (a proxy or "
            "another application); check the base URL.",
            httpStatus=200,
            messages=[f"unexpected total: {shown}"],
        )
    return total


def _first_gap(spans: dict[int, int], wanted: int) -> tuple[int, int] | None:
    position = 0
    for start in sorted(spans):
        if start > position:
            return position, start
        position = max(position, start + spans[start])
    return (position, wanted) if position < wanted else None


def _in_order(views: list[_View], limit: int) -> Page:
    """The issues of the newest pass first, in page order, then those only earlier
    passes saw; each once, by id."""
    seen: set[str] = set()
    issues: Page = []
    for view in reversed(views):
        for start in sorted(view.pages):
            for issue in view.pages[start]:
                if issue["id"] not in seen:
                    seen.add(issue["id"])
                    issues.append(issue)
    return issues[:limit]
