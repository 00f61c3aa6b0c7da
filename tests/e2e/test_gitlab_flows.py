"""The GitLab provider end to end: the agent over stdio against simulators/gitlab.

What the conformance suite does not cover: the issue's notes as comments (system notes
left out), commenting, closing and reopening as transitions, assigning by username,
the project names, and paging by `Link` when `X-Next-Page` is missing.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from wire import RawAgent

from simulators.gitlab import GitLabSimulator

CONFIGURE = "issuebridge/providers/configure"
FETCH = "issuebridge/issues/fetch"
GET = "issuebridge/issues/get"
TRANSITION = "issuebridge/issues/transition"
COMMENT = "issuebridge/issues/comment"
ASSIGN = "issuebridge/issues/assign"
ASSIGNEES = "issuebridge/issues/assignees"
PROVIDERS = "issuebridge/providers/list"


@pytest.fixture
def gitlab() -> Iterator[GitLabSimulator]:
    with GitLabSimulator() as sim:
        yield sim


def result_of(reply: dict[str, Any]) -> dict[str, Any]:
    assert "result" in reply, reply
    result: dict[str, Any] = reply["result"]
    return result


def connect(agent: RawAgent, gitlab: GitLabSimulator, user: str = "alice") -> str:
    reply = agent.call(
        CONFIGURE,
        {
            "providerId": "gitlab",
            "authMethod": "token",
            "fields": {"baseUrl": gitlab.base_url, "token": gitlab.user(user).token},
        },
        timeout=20,
    )
    instance = result_of(reply)["instance"]
    assert instance["state"] == "connected", instance
    assert instance["user"] == {"name": user, "displayName": gitlab.user(user).name}
    assert instance["serverVersion"] == "17.6.1-ee"
    return str(instance["instanceId"])


def test_providers_list_shows_gitlab_with_its_form(agent: RawAgent) -> None:
    providers = result_of(agent.call(PROVIDERS, {}))["providers"]
    gitlab = next(p for p in providers if p["id"] == "gitlab")
    (method,) = gitlab["authMethods"]
    assert method["id"] == "token"
    base_url = next(f for f in method["fields"] if f["name"] == "baseUrl")
    assert base_url["default"] == "https://gitlab.com"
    assert "issuebridge/issues/startWork" not in gitlab["capabilities"]
    assert "issuebridge/issues/comment" in gitlab["capabilities"]


def test_fetch_maps_issues_and_names_projects(agent: RawAgent, gitlab: GitLabSimulator) -> None:
    instance = connect(agent, gitlab)
    gitlab.page_size = 7
    result = result_of(agent.call(FETCH, {"instanceId": instance}, timeout=30))
    keys = [i["key"] for i in result["issues"]]
    assert keys == gitlab.open_assigned("alice")
    assert result["total"] == len(keys)
    first = result["issues"][0]
    path, _, iid = first["key"].partition("#")
    assert first["url"] == f"{gitlab.base_url}/{path}/-/issues/{iid}"
    assert first["status"] == {"name": "Open", "category": "todo"}
    assert first["assignee"]["name"] == "alice"
    names = {p.path_with_namespace: p.name for p in gitlab.store.projects}
    assert all(i["project"]["name"] == names[i["project"]["key"]] for i in result["issues"])
    # Each project was looked up once, not once per issue.
    lookups = [r for r in gitlab.request_log if r.path.startswith("/api/v4/projects/")]
    assert len(lookups) == len({i["project"]["key"] for i in result["issues"]})
    # The token went as PRIVATE-TOKEN (redacted in the simulator's log).
    assert all(r.headers.get("PRIVATE-TOKEN") == "<redacted>" for r in lookups)


def test_a_list_without_x_next_page_is_paged_by_link(
    agent: RawAgent, gitlab: GitLabSimulator
) -> None:
    instance = connect(agent, gitlab)
    gitlab.page_size = 10
    gitlab.api.strip_next_page = True
    gitlab.api.count_limit = 5  # as past 10,000: no X-Total, no `last` link
    result = result_of(agent.call(FETCH, {"instanceId": instance}, timeout=30))
    assert [i["key"] for i in result["issues"]] == gitlab.open_assigned("alice")
    assert result["total"] == len(result["issues"])
    assert gitlab.list_requests() == 5


def test_get_comment_close_and_reopen(agent: RawAgent, gitlab: GitLabSimulator) -> None:
    instance = connect(agent, gitlab)
    backend = gitlab.store.project("acme/backend")
    assert backend is not None
    issue = gitlab.store.add_issue(
        backend,
        "Fix the runner cache",
        assignees=["alice"],
        labels=["bug", "priority::high"],
        description="Steps: run twice.",
    )
    for n in range(130):  # more than one page of notes (100)
        gitlab.store.add_note(issue, "bob", f"note {n}")
    gitlab.store.add_note(issue, "bob", "changed the milestone", system=True)
    key = issue.reference

    detail = result_of(agent.call(GET, {"instanceId": instance, "key": key}))["issue"]
    assert detail["key"] == key and detail["priority"] == "high"
    assert detail["description"] == "Steps: run twice."
    assert detail["reporter"]["name"] == "carol"
    assert detail["labels"] == ["bug", "priority::high"]
    assert [c["body"] for c in detail["comments"]] == [f"note {n}" for n in range(130)]
    assert [t["id"] for t in detail["transitions"]] == ["close"]

    said = result_of(agent.call(COMMENT, {"instanceId": instance, "key": key, "body": "On it"}))
    assert said["comment"]["body"] == "On it"
    assert said["comment"]["author"]["name"] == "alice"
    assert issue.notes[-1].body == "On it"

    closed = agent.call(
        TRANSITION, {"instanceId": instance, "key": key, "transitionId": "close", "comment": "Done"}
    )
    assert result_of(closed)["issue"]["status"] == {"name": "Closed", "category": "done"}
    assert issue.state == "closed"
    again = agent.call(TRANSITION, {"instanceId": instance, "key": key, "transitionId": "close"})
    assert again["error"]["data"]["field"] == "transitionId"
    reopened = agent.call(
        TRANSITION, {"instanceId": instance, "key": key, "transitionId": "reopen"}
    )
    assert result_of(reopened)["issue"]["status"]["category"] == "todo"


def test_assign_by_username_and_unassign(agent: RawAgent, gitlab: GitLabSimulator) -> None:
    instance = connect(agent, gitlab)
    project = gitlab.store.project("tools/cli")
    assert project is not None
    issue = gitlab.store.add_issue(project, "Shell completion", assignees=["alice"])
    key = issue.reference
    found = result_of(agent.call(ASSIGNEES, {"instanceId": instance, "key": key, "query": "bo"}))
    assert found["users"] == [{"name": "bob", "displayName": "Bob Baker"}]
    moved = agent.call(ASSIGN, {"instanceId": instance, "key": key, "assignee": {"name": "bob"}})
    assert result_of(moved)["issue"]["assignee"]["name"] == "bob"
    assert issue.assignees == ["bob"]
    none = agent.call(ASSIGN, {"instanceId": instance, "key": key, "assignee": None})
    assert "assignee" not in result_of(none)["issue"]
    assert issue.assignees == []
    unknown = agent.call(ASSIGN, {"instanceId": instance, "key": key, "assignee": {"name": "zed"}})
    assert unknown["error"]["data"]["field"] == "assignee.name"
