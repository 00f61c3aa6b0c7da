"""GitLab's issue keys in documents, in process against simulators/gitlab: a lookup asks
each project once (`iids[]`), leaves out projects the user may not see or whose issues
are off, and completion comes from that project only."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from agent.providers.base import Credentials, InstanceConfig
from agent.providers.gitlab import PROVIDER
from agent.providers.gitlab.session import GitLabSession
from agent.secret import Secret
from agent.settings import Settings
from protocol.types import HttpSettings
from simulators.gitlab import GitLabSimulator


@pytest.fixture
def gitlab() -> Iterator[GitLabSimulator]:
    with GitLabSimulator() as sim:
        yield sim


@pytest.fixture
async def session(gitlab: GitLabSimulator, tmp_path: Path) -> AsyncIterator[GitLabSession]:
    instance = InstanceConfig(gitlab.base_url, "token")
    credentials = Credentials({"token": Secret(gitlab.user("alice").token)})
    settings = Settings(storage_dir=tmp_path, http=HttpSettings(timeout_seconds=10))
    opened = PROVIDER.open_session(instance, credentials, settings)
    assert isinstance(opened, GitLabSession)
    yield opened
    await opened.aclose()


def issue_requests(sim: GitLabSimulator, since: int) -> list[str]:
    return [r.path for r in sim.request_log[since:] if r.path.endswith("/issues")]


async def test_one_request_per_project_whatever_the_number_of_keys(
    gitlab: GitLabSimulator, session: GitLabSession
) -> None:
    keys = [f"acme/backend#{n}" for n in (1, 2, 3)] + ["acme/platform/infra#1", "tools/cli#999"]
    before = len(gitlab.request_log)
    found = await session.lookup_issues(keys)
    assert sorted(issue_requests(gitlab, before)) == [
        "/api/v4/projects/acme%2Fbackend/issues",
        "/api/v4/projects/acme%2Fplatform%2Finfra/issues",
        "/api/v4/projects/tools%2Fcli/issues",
    ]
    assert sorted(i["key"] for i in found) == sorted(keys[:4])
    assert {i["project"]["name"] for i in found} == {"Backend", "Infra"}
    again = len(gitlab.request_log)
    await session.lookup_issues(keys[:1])
    assert len(gitlab.request_log) - again == 1, "project names are read once per session"


async def test_projects_hidden_or_without_issues_are_left_out(
    gitlab: GitLabSimulator, session: GitLabSession
) -> None:
    gitlab.store.project("acme/frontend").issues_enabled = False  # type: ignore[union-attr]
    found = await session.lookup_issues(
        ["acme/frontend#1", "nobody/nothing#1", "acme/backend#1", "not a key"]
    )
    assert [i["key"] for i in found] == ["acme/backend#1"]
    assert await session.suggest_issues("acme/frontend", "", 10) == []
    assert await session.suggest_issues("nobody/nothing", "login", 10) == []
