"""The YouTrack provider in process against its simulator: the form, the issue shape,
paging with a total from the count, and YouTrack's failures as the agent's errors."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.errors import (
    AuthenticationFailed,
    InvalidParams,
    RateLimited,
    RemoteError,
    UnsupportedServer,
)
from agent.providers.base import Credentials, InstanceConfig
from agent.providers.youtrack import PROVIDER
from agent.providers.youtrack.issues import category, iso_timestamp, to_issue, to_wire
from agent.providers.youtrack.session import YouTrackSession
from agent.settings import Settings
from protocol.converter import unstructure
from protocol.types import HttpSettings
from simulators.youtrack import YouTrackSimulator


@pytest.fixture
def youtrack() -> Iterator[YouTrackSimulator]:
    with YouTrackSimulator() as simulator:
        yield simulator


def settings(tmp_path: Path) -> Settings:
    return Settings(storage_dir=tmp_path, http=HttpSettings(timeout_seconds=10))


def session(sim: YouTrackSimulator, tmp_path: Path, user: str = "alice") -> YouTrackSession:
    parsed = PROVIDER.parse_configuration(
        "token", {"baseUrl": sim.base_url, "token": sim.store.users[user].token}
    )
    opened = PROVIDER.open_session(
        InstanceConfig(parsed.base_url, "token"), Credentials(parsed.secrets), settings(tmp_path)
    )
    assert isinstance(opened, YouTrackSession)
    return opened


def test_the_form_takes_a_service_url_and_a_permanent_token() -> None:
    parsed = PROVIDER.parse_configuration(
        "token", {"baseUrl": "https://Example.youtrack.cloud/api/", "token": " Bearer perm:a.b.c "}
    )
    assert parsed.base_url == "https://example.youtrack.cloud"
    assert parsed.secrets["token"].reveal() == "perm:a.b.c"
    server = PROVIDER.parse_configuration(
        "token", {"baseUrl": "https://example.com/youtrack", "token": "perm:x"}
    )
    assert server.base_url == "https://example.com/youtrack"
    with pytest.raises(InvalidParams) as spaced:
        PROVIDER.parse_configuration("token", {"baseUrl": "https://y.test", "token": "perm:a b"})
    assert spaced.value.field == "fields.token"
    with pytest.raises(InvalidParams) as missing:
        PROVIDER.parse_configuration("token", {"baseUrl": "", "token": "perm:a"})
    assert missing.value.field == "fields.baseUrl"
    for wrong in (
        "example.com/tracker",
        "https://example.com/?q=1",
        "https://x.test/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5",
    ):
        with pytest.raises(InvalidParams) as refused:
            PROVIDER.parse_configuration("token", {"baseUrl": wrong, "token": "perm:a"})
        words = f"{refused.value.message} {refused.value.hint}"
        assert "jira" not in words.lower(), words
        assert refused.value.field == "fields.baseUrl"
    [method] = PROVIDER.auth_methods()
    assert [f.name for f in method.fields] == ["baseUrl", "token"]


def test_state_categories_and_times() -> None:
    assert category("Fixed", True) == "done"
    assert category("In Progress", False) == "inProgress"
    assert category("In Review", False) == "inProgress"
    assert category("Submitted", False) == "todo"
    assert category("Open", None) == "todo"
    assert iso_timestamp(1_767_603_600_000) == "2026-01-05T09:00:00.000Z"
    assert iso_timestamp(None) == "" and iso_timestamp(True) == ""


def test_wire_json_is_the_converters_json_of_the_issue(youtrack: YouTrackSimulator) -> None:
    for issue in list(youtrack.store.issues.values())[:20]:
        raw = youtrack.store.issue_json(issue)
        assert to_wire(raw, "https://y.test") == unstructure(to_issue(raw, "https://y.test"))
    sparse: dict[str, Any] = {"idReadable": "X-1", "resolved": 5, "customFields": "junk"}
    assert to_wire(sparse, "https://y.test")["status"] == {"name": "Resolved", "category": "done"}


async def test_fetch_reads_every_page_and_takes_the_total_from_the_count(
    youtrack: YouTrackSimulator, tmp_path: Path
) -> None:
    youtrack.page_size = 10
    progress: list[tuple[int, int]] = []
    yt = session(youtrack, tmp_path)
    try:
        result = await yt.fetch_issues(
            None, 1000, lambda done, total: progress.append((done, total))
        )
        open_count = len(result.issues)
        assert open_count > 30 and result.total == open_count
        assert youtrack.list_requests == -(-open_count // 10)  # no extra empty page
        assert [done for done, _ in progress] == sorted({done for done, _ in progress})
        assert progress[-1] == (open_count, open_count)

        before = youtrack.list_requests
        limited = await yt.fetch_issues(None, 15, lambda done, total: None)
        assert len(limited.issues) == 15 and limited.total == open_count
        assert youtrack.list_requests - before == 2
    finally:
        await yt.aclose()


async def test_a_count_still_pending_leaves_the_number_returned_as_total(
    youtrack: YouTrackSimulator, tmp_path: Path
) -> None:
    youtrack.count_pending = True
    yt = session(youtrack, tmp_path)
    try:
        result = await yt.fetch_issues(None, 12, lambda done, total: None)
        assert len(result.issues) == 12 and result.total == 12
        everything = await yt.fetch_issues("#Unresolved", 1000, lambda done, total: None)
        assert everything.total == len(everything.issues) > 42
    finally:
        await yt.aclose()


async def test_failures_become_the_agents_errors(
    youtrack: YouTrackSimulator, tmp_path: Path
) -> None:
    yt = session(youtrack, tmp_path)
    try:
        youtrack.fail_lists(500, 1)
        with pytest.raises(RemoteError) as failing:
            await yt.fetch_issues(None, 10, lambda d, t: None)
        assert failing.value.data["httpStatus"] == 500 and failing.value.data["action"] == "retry"
        with pytest.raises(RemoteError) as refused:
            await yt.fetch_issues("nosuchfield: x", 10, lambda d, t: None)
        assert "Unknown field: nosuchfield" in refused.value.message
        youtrack.fail_lists(429, 10)
        with pytest.raises(RateLimited) as limited:
            await yt.fetch_issues(None, 10, lambda d, t: None)
        assert limited.value.message.startswith("YouTrack is rate-limiting")
        assert limited.value.data["retryAfterSeconds"] == 1
    finally:
        youtrack.fail_lists(0, 0)
        await yt.aclose()

    parsed = PROVIDER.parse_configuration(
        "token", {"baseUrl": youtrack.base_url, "token": "perm:wrong"}
    )
    with pytest.raises(AuthenticationFailed) as wrong:
        await PROVIDER.check(parsed, Credentials(parsed.secrets), settings(tmp_path))
    assert wrong.value.data["action"] == "configure"
    assert "perm:wrong" not in wrong.value.message

    elsewhere = PROVIDER.parse_configuration(
        "token", {"baseUrl": youtrack.base_url + "/elsewhere", "token": "perm:x"}
    )
    with pytest.raises(UnsupportedServer):
        await PROVIDER.check(elsewhere, Credentials(elsewhere.secrets), settings(tmp_path))


async def test_a_server_that_ignores_skip_does_not_loop(
    youtrack: YouTrackSimulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulators.common.wire import Request

    real = youtrack.rest.handle

    def same_page(request: Request, user: Any) -> Any:
        request.query_string = request.query_string.replace("%24skip=", "ignored=")
        return real(request, user)

    monkeypatch.setattr(youtrack.rest, "handle", same_page)
    youtrack.page_size = 5
    youtrack.count_pending = True
    yt = session(youtrack, tmp_path)
    try:
        result = await yt.fetch_issues(None, 1000, lambda done, total: None)
    finally:
        await yt.aclose()
    assert len(result.issues) == 5 and youtrack.list_requests == 2
