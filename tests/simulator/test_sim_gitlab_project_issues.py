"""The GitLab simulator's project issue list, as GitLab documents it: one project's
issues, `scope` `all` by default, `iids[]` to pick issues, the same filters and paging
as `/issues`, 404 for an unknown project, 403 for one whose issues are off."""

from collections.abc import Iterator
from urllib.parse import quote, urlencode

import httpx
import pytest

from simulators.gitlab import GitLabSimulator


@pytest.fixture
def gitlab() -> Iterator[GitLabSimulator]:
    with GitLabSimulator() as sim:
        yield sim


def issues(sim: GitLabSimulator, project: str, query: list[tuple[str, str]]) -> httpx.Response:
    url = f"{sim.base_url}/api/v4/projects/{quote(project, safe='')}/issues?{urlencode(query)}"
    headers = {"PRIVATE-TOKEN": sim.user("alice").token}
    return httpx.get(url, headers=headers, timeout=10)


def test_iids_pick_issues_of_that_project_only(gitlab: GitLabSimulator) -> None:
    answer = issues(gitlab, "acme/backend", [("iids[]", "1"), ("iids[]", "2"), ("iids[]", "999")])
    assert answer.status_code == 200
    assert sorted(i["references"]["full"] for i in answer.json()) == [
        "acme/backend#1",
        "acme/backend#2",
    ]


def test_the_default_scope_is_every_issue_of_the_project(gitlab: GitLabSimulator) -> None:
    everything = issues(gitlab, "acme/backend", [("per_page", "100")]).json()
    with gitlab.store.lock:
        expected = [
            i for i in gitlab.store.issues if i.project.path_with_namespace == "acme/backend"
        ]
    assert len(everything) == len(expected)
    mine = issues(gitlab, "acme/backend", [("scope", "assigned_to_me"), ("state", "opened")])
    assert all("alice" in [a["username"] for a in i["assignees"]] for i in mine.json())


def test_a_bad_iid_and_an_unknown_project(gitlab: GitLabSimulator) -> None:
    assert issues(gitlab, "acme/backend", [("iids[]", "x")]).status_code == 400
    missing = issues(gitlab, "acme/nothing", [])
    assert missing.status_code == 404 and missing.json() == {"message": "404 Project Not Found"}


def test_a_project_with_issues_off_answers_403(gitlab: GitLabSimulator) -> None:
    project = gitlab.store.project("acme/frontend")
    assert project is not None
    project.issues_enabled = False
    refused = issues(gitlab, "acme/frontend", [])
    assert refused.status_code == 403 and refused.json() == {"message": "403 Forbidden"}
