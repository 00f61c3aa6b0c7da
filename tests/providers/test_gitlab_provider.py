"""The GitLab provider in process against simulators/gitlab: the form, the key, paging
headers, the error mapping, and the work on one issue through the session."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from agent.errors import (
    AuthenticationFailed,
    InvalidParams,
    RateLimited,
    RemoteError,
    UnsupportedServer,
)
from agent.providers.base import Credentials, InstanceConfig
from agent.providers.gitlab import PROVIDER
from agent.providers.gitlab.keys import parse_key
from agent.providers.gitlab.paging import next_link, next_url
from agent.providers.gitlab.session import GitLabSession
from agent.secret import Secret
from agent.settings import Settings
from protocol.types import HttpSettings
from simulators.gitlab import GitLabSimulator


@pytest.fixture
def gitlab() -> Iterator[GitLabSimulator]:
    with GitLabSimulator() as sim:
        yield sim


def settings(tmp_path: Path) -> Settings:
    return Settings(storage_dir=tmp_path, http=HttpSettings(timeout_seconds=10))


@pytest.fixture
async def session(gitlab: GitLabSimulator, tmp_path: Path) -> AsyncIterator[GitLabSession]:
    instance = InstanceConfig(gitlab.base_url, "token")
    credentials = Credentials({"token": Secret(gitlab.user("alice").token)})
    opened = PROVIDER.open_session(instance, credentials, settings(tmp_path))
    assert isinstance(opened, GitLabSession)
    yield opened
    await opened.aclose()


def test_the_form_defaults_to_gitlab_com_and_drops_api_v4() -> None:
    parsed = PROVIDER.parse_configuration("token", {"baseUrl": "", "token": "glpat-x"})
    assert parsed.base_url == "https://gitlab.com"
    parsed = PROVIDER.parse_configuration(
        "token", {"baseUrl": "https://gitlab.example.com/api/v4/", "token": " glpat-x "}
    )
    assert parsed.base_url == "https://gitlab.example.com"
    assert parsed.secrets["token"].reveal() == "glpat-x"
    with pytest.raises(InvalidParams) as missing:
        PROVIDER.parse_configuration("token", {"baseUrl": "https://gitlab.com", "token": ""})
    assert missing.value.field == "fields.token"
    with pytest.raises(InvalidParams) as bad_url:
        PROVIDER.parse_configuration("token", {"baseUrl": "gitlab", "token": "glpat-x"})
    assert bad_url.value.field == "fields.baseUrl"
    with pytest.raises(InvalidParams) as query:
        PROVIDER.parse_configuration("token", {"baseUrl": "https://x.org/?a=1", "token": "t"})
    assert "Jira" not in f"{query.value.message} {query.value.hint}"
    assert "https://gitlab.example.com" in str(query.value.hint)


def test_keys_are_full_references() -> None:
    ref = parse_key("acme/platform/infra#12")
    assert (ref.project, ref.iid) == ("acme/platform/infra", 12)
    assert ref.path == "/projects/acme%2Fplatform%2Finfra/issues/12"
    for wrong in ("CORE-12", "#12", "acme#x", "acme/backend#"):
        with pytest.raises(InvalidParams):
            parse_key(wrong)


def test_next_page_from_x_next_page_else_link() -> None:
    request = httpx.Request("GET", "https://gitlab.example.com/api/v4/issues")
    base = "https://gitlab.example.com"
    said = httpx.Response(200, headers={"X-Next-Page": "3"}, request=request)
    assert next_url(said, "/issues?per_page=20&page=2", base) == "/issues?per_page=20&page=3"
    assert next_url(said, "/issues?per_page=20", base) == "/issues?per_page=20&page=3"
    last = httpx.Response(200, headers={"X-Next-Page": ""}, request=request)
    assert next_url(last, "/issues?page=3", base) is None
    link = f'<{base}/api/v4/issues?cursor=abc>; rel="next", <{base}/x>; rel="first"'
    keyset = httpx.Response(200, headers={"Link": link}, request=request)
    assert next_url(keyset, "/issues", base) == f"{base}/api/v4/issues?cursor=abc"
    elsewhere = httpx.Response(
        200, headers={"Link": '<https://evil.example/next>; rel="next"'}, request=request
    )
    assert next_url(elsewhere, "/issues", base) is None
    assert next_link('<a>; rel="prev"') is None


async def test_check_names_the_user_and_refuses_a_wrong_token(
    gitlab: GitLabSimulator, tmp_path: Path
) -> None:
    parsed = PROVIDER.parse_configuration(
        "token", {"baseUrl": gitlab.base_url, "token": gitlab.user("bob").token}
    )
    check = await PROVIDER.check(parsed, Credentials(parsed.secrets), settings(tmp_path))
    assert check.connected and check.user is not None and check.user.name == "bob"
    wrong = PROVIDER.parse_configuration(
        "token", {"baseUrl": gitlab.base_url, "token": "glpat-nope"}
    )
    with pytest.raises(AuthenticationFailed) as refused:
        await PROVIDER.check(wrong, Credentials(wrong.secrets), settings(tmp_path))
    assert refused.value.data["action"] == "configure"


async def test_check_of_an_address_without_gitlab(gitlab: GitLabSimulator, tmp_path: Path) -> None:
    parsed = PROVIDER.parse_configuration(
        "token", {"baseUrl": f"{gitlab.base_url}/nothing", "token": "glpat-x"}
    )
    with pytest.raises(UnsupportedServer) as no_gitlab:
        await PROVIDER.check(parsed, Credentials(parsed.secrets), settings(tmp_path))
    assert "not GitLab's REST API v4" in no_gitlab.value.message


async def test_fetch_respects_limit_and_reports_x_total(
    gitlab: GitLabSimulator, session: GitLabSession
) -> None:
    gitlab.page_size = 10
    progress: list[tuple[int, int]] = []
    result = await session.fetch_issues(None, 25, lambda n, of: progress.append((n, of)))
    assert [i["key"] for i in result.issues] == gitlab.open_assigned("alice")[:25]
    assert result.total == len(gitlab.open_assigned("alice"))
    assert progress == [(10, 25), (20, 25), (25, 25)]
    assert gitlab.list_requests() == 3
    listed = next(r for r in gitlab.request_log if r.path == "/api/v4/issues").query
    assert listed["scope"] == ["assigned_to_me"] and listed["state"] == ["opened"]
    assert listed["order_by"] == ["updated_at"] and listed["sort"] == ["desc"]


async def test_failures_become_the_agent_errors(
    gitlab: GitLabSimulator, session: GitLabSession
) -> None:
    gitlab.faults.fail_lists(500, 1)
    with pytest.raises(RemoteError) as failing:
        await session.fetch_issues(None, 10, lambda n, of: None)
    assert failing.value.data["httpStatus"] == 500
    assert failing.value.data["action"] == "retry"
    gitlab.faults.fail_lists(429, 5)
    with pytest.raises(RateLimited) as limited:
        await session.fetch_issues(None, 10, lambda n, of: None)
    assert limited.value.data["retryAfterSeconds"] == 60
    assert limited.value.message.startswith("GitLab is rate-limiting")
    gitlab.faults.fail_lists(503, 5)  # retried (agent.retry), then the proxy's page
    with pytest.raises(RemoteError) as proxy:
        await session.fetch_issues(None, 10, lambda n, of: None)
    assert "HTML page titled" in proxy.value.message


async def test_work_on_one_issue(gitlab: GitLabSimulator, session: GitLabSession) -> None:
    project = gitlab.store.project("acme/frontend")
    assert project is not None
    issue = gitlab.store.add_issue(project, "Dark mode", assignees=["alice"])
    gitlab.store.add_note(issue, "bob", "Looks good")
    gitlab.store.add_note(issue, "bob", "added ~ux label", system=True)
    detail = await session.get_issue(issue.reference)
    assert [c.body for c in detail.comments] == ["Looks good"]
    assert detail.project.name == "Frontend"
    comment = await session.comment(issue.reference, "Working on it")
    assert comment.author.name == "alice"
    closed = await session.transition(issue.reference, "close", None)
    assert closed.status.category == "done" and issue.state == "closed"
    with pytest.raises(InvalidParams):
        await session.transition(issue.reference, "close", None)
    assigned = await session.assign(issue.reference, "carol")
    assert assigned.assignee is not None and assigned.assignee.name == "carol"
    me = await session.current_user()
    assert me.name == "alice"
    projects = await session.list_projects(refresh=False)
    assert {p.key for p in projects} == {p.path_with_namespace for p in gitlab.store.projects}
    with pytest.raises(RemoteError) as missing:
        await session.get_issue("acme/frontend#999")
    assert missing.value.data["httpStatus"] == 404


async def test_a_read_only_token_lists_but_cannot_comment(
    gitlab: GitLabSimulator, tmp_path: Path
) -> None:
    gitlab.store.add_user("rita", "Rita Reader", "glpat-rita-readonly-01", ("read_api",))
    instance = InstanceConfig(gitlab.base_url, "token")
    credentials = Credentials({"token": Secret("glpat-rita-readonly-01")})
    session = PROVIDER.open_session(instance, credentials, settings(tmp_path))
    try:
        await session.fetch_issues(None, 5, lambda n, of: None)
        with pytest.raises(RemoteError) as refused:
            await session.comment(gitlab.store.issues[0].reference, "hello")
        assert "scopes do not allow it" in refused.value.message
        assert refused.value.data["action"] == "configure"
    finally:
        await session.aclose()


async def test_check_with_a_token_that_may_not_read_the_user(
    gitlab: GitLabSimulator, tmp_path: Path
) -> None:
    gitlab.store.add_user("rex", "Rex", "glpat-rex-repository-01", ("read_repository",))
    parsed = PROVIDER.parse_configuration(
        "token", {"baseUrl": gitlab.base_url, "token": "glpat-rex-repository-01"}
    )
    with pytest.raises(RemoteError) as refused:
        await PROVIDER.check(parsed, Credentials(parsed.secrets), settings(tmp_path))
    assert refused.value.data["httpStatus"] == 403
