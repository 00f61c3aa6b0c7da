"""The GitHub provider's session against its simulator: an issue with its comments,
commenting, close and reopen as transitions, assigning, assignees, and fetches (pull
requests left out, the search's total, a page link to another server refused)."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from agent.errors import InvalidParams, RateLimited, RemoteError, UnsupportedServer
from agent.providers.base import Credentials, InstanceConfig, TrackerSession
from agent.providers.github import PROVIDER
from agent.providers.github.api import GitHubApi
from agent.providers.github.fetch import fetch_all
from agent.secret import Secret
from agent.settings import Settings
from protocol.types import IssueStatus
from simulators.github import GitHubSimulator


@pytest.fixture
def sim() -> Iterator[GitHubSimulator]:
    with GitHubSimulator() as started:
        yield started


@pytest_asyncio.fixture
async def session(sim: GitHubSimulator, tmp_path: Path) -> AsyncIterator[TrackerSession]:
    instance = InstanceConfig(sim.api_url, "token")
    opened = PROVIDER.open_session(
        instance, Credentials({"token": Secret(sim.user("alice").token)}), Settings(tmp_path)
    )
    try:
        yield opened
    finally:
        await opened.aclose()


def no_progress(done: int, expected: int) -> None:
    assert 0 <= done <= expected


async def test_an_issue_comes_with_its_comments_oldest_first(
    sim: GitHubSimulator, session: TrackerSession
) -> None:
    first = sim.data.issues[0]
    detail = await session.get_issue(first.key)
    assert detail.key == first.key
    assert [c.body for c in detail.comments] == ["I can reproduce this on 2.1.", "Looking into it."]
    assert detail.comments[0].author.name == "bob"
    assert detail.reporter is not None and detail.reporter.name == "carol"
    assert detail.labels == first.labels
    assert [t.id for t in detail.transitions] == ["close", "close-not-planned"]
    added = await session.comment(first.key, "Fixed in 2.2.")
    assert added.author.name == "alice" and added.body == "Fixed in 2.2."
    assert (await session.get_issue(first.key)).comments[-1].id == added.id


async def test_close_and_reopen_are_the_transitions(
    sim: GitHubSimulator, session: TrackerSession
) -> None:
    key = sim.data.open_assigned("alice")[0].key
    closed = await session.transition(key, "close-not-planned", "Not doing this.")
    assert closed.status.category == "done"
    repo, number = key.split("#")
    issue = sim.data.find(repo, int(number))
    assert issue is not None
    assert issue.state_reason == "not_planned"
    assert issue.comments[-1].body == "Not doing this."
    with pytest.raises(InvalidParams) as refused:
        await session.transition(key, "close", None)
    assert refused.value.field == "transitionId"
    assert "Reopen (reopen)" in refused.value.message
    assert [t.id for t in (await session.get_issue(key)).transitions] == ["reopen"]
    with pytest.raises(UnsupportedServer):  # start-work: GitHub has no "in progress"
        await session.issue_with_transitions(key)
    reopened = await session.transition(key, "reopen", None)
    assert reopened.status == IssueStatus(name="Open", category="todo")


async def test_assigning_sets_one_assignee_and_refuses_who_github_drops(
    sim: GitHubSimulator, session: TrackerSession
) -> None:
    key = sim.data.open_assigned("alice")[0].key
    assigned = await session.assign(key, "bob")
    assert assigned.assignee is not None and assigned.assignee.name == "bob"
    assert (await session.assign(key, None)).assignee is None
    with pytest.raises(InvalidParams) as dropped:
        await session.assign(key, "mallory")
    assert dropped.value.field == "assignee.name"
    assert [u.name for u in await session.assignees(key, "BO")] == ["bob"]
    assert (await session.current_user()).display_name == "Alice Liddell"


async def test_an_unknown_issue_is_a_404_remote_error(session: TrackerSession) -> None:
    with pytest.raises(RemoteError) as missing:
        await session.get_issue("acme/widgets#9999")
    assert missing.value.data["httpStatus"] == 404


async def test_fetches_leave_pull_requests_out_and_count_the_search(
    sim: GitHubSimulator, session: TrackerSession
) -> None:
    sim.page_cap = 7
    mine = await session.fetch_issues(None, 1000, no_progress)
    assert [i["key"] for i in mine.issues] == [i.key for i in sim.data.open_assigned("alice")]
    assert mine.total == len(mine.issues)
    pulls = {i.key for i in sim.data.issues if i.pull_request}
    assert pulls and not pulls & {i["key"] for i in mine.issues}
    searched = await session.fetch_issues("assignee:alice", 5, no_progress)
    assert len(searched.issues) == 5
    assert searched.total == len(
        [i for i in sim.data.issues if "alice" in i.assignees and not i.pull_request]
    )


def api_of(handler: httpx.MockTransport) -> GitHubApi:
    return GitHubApi(httpx.AsyncClient(transport=handler), "https://api.github.com", 10)


async def test_a_page_link_to_another_server_is_not_followed() -> None:
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(
            200, json=[], headers={"Link": '<https://evil.example/issues?page=2>; rel="next"'}
        )

    api = api_of(httpx.MockTransport(answer))
    await fetch_all(api, None, 10, no_progress, 10)  # an empty page: nothing more to read

    def full(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        entry = {"id": len(asked), "number": 1, "repository_url": "https://x/repos/a/b"}
        return httpx.Response(
            200, json=[entry], headers={"Link": '<https://evil.example/issues?page=2>; rel="next"'}
        )

    with pytest.raises(RemoteError) as refused:
        await fetch_all(api_of(httpx.MockTransport(full)), None, 10, no_progress, 10)
    assert "another server" in refused.value.message
    assert not any("evil" in url for url in asked)


async def test_a_spent_primary_limit_is_reported_at_once() -> None:
    calls = 0

    def answer(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(
            429,
            json={"message": "API rate limit exceeded for user ID 1."},
            headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "9999999999"},
        )

    with pytest.raises(RateLimited) as limited:
        await fetch_all(api_of(httpx.MockTransport(answer)), None, 10, no_progress, 10)
    assert limited.value.data["retryAfterSeconds"] == 3600
    assert calls == 1


async def test_secondary_limits_wait_on_429_and_stop_on_403() -> None:
    calls = 0

    def answer(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        status = 429 if request.url.params.get("state") == "open" else 403
        return httpx.Response(
            status,
            json={"message": "You have exceeded a secondary rate limit."},
            headers={"retry-after": "0"},
        )

    with pytest.raises(RateLimited) as waited:
        await fetch_all(api_of(httpx.MockTransport(answer)), None, 10, no_progress, 30)
    assert calls == 4  # the first answer and three waits of retry-after (agent.retry)
    assert "GitHub" in waited.value.message
    calls = 0
    api = api_of(httpx.MockTransport(answer))
    with pytest.raises(RateLimited) as refused:
        await api.request("GET", "/user", what="the current user request")
    assert calls == 1
    assert refused.value.data["retryAfterSeconds"] == 0
