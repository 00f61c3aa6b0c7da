"""Jira Cloud end to end: the agent over stdio against the Jira Cloud simulator, for
what the conformance suite does not cover — the form, Cloud-only checks, ADF bodies
read and written, transitions, assigning by accountId, start work."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from jira_flows import error_of
from wire import RawAgent

from simulators.jira_cloud import JiraCloudSimulator
from simulators.jira_cloud.data import adf

CONFIGURE = "issuebridge/providers/configure"
FETCH = "issuebridge/issues/fetch"
GET = "issuebridge/issues/get"
COMMENT = "issuebridge/issues/comment"
TRANSITION = "issuebridge/issues/transition"
ASSIGN = "issuebridge/issues/assign"
ASSIGNEES = "issuebridge/issues/assignees"
START_WORK = "issuebridge/issues/startWork"


@pytest.fixture
def cloud() -> Iterator[JiraCloudSimulator]:
    with JiraCloudSimulator() as sim:
        yield sim


def result_of(reply: dict[str, Any]) -> dict[str, Any]:
    assert "result" in reply, reply
    result: dict[str, Any] = reply["result"]
    return result


def configure(agent: RawAgent, base_url: str, email: str, token: str) -> dict[str, Any]:
    return agent.call(
        CONFIGURE,
        {
            "providerId": "jira-cloud",
            "authMethod": "apiToken",
            "fields": {"baseUrl": base_url, "email": email, "token": token},
        },
        timeout=20,
    )


def connect(agent: RawAgent, cloud: JiraCloudSimulator, user: str = "alice") -> str:
    account = cloud.user(user)
    instance = result_of(configure(agent, cloud.base_url, account.email, account.api_token))
    return str(instance["instance"]["instanceId"])


def test_the_form_and_the_capabilities(agent: RawAgent) -> None:
    providers = result_of(agent.call("issuebridge/providers/list"))["providers"]
    cloud = next(p for p in providers if p["id"] == "jira-cloud")
    assert cloud["name"] == "Jira Cloud"
    (method,) = cloud["authMethods"]
    assert method["id"] == "apiToken"
    assert [(f["name"], f["kind"]) for f in method["fields"]] == [
        ("baseUrl", "url"),
        ("email", "text"),
        ("token", "secret"),
    ]
    assert "issuebridge/issues/create" not in cloud["capabilities"]
    assert "issuebridge/issues/startWork" in cloud["capabilities"]


def test_configure_names_the_user_by_account_id(agent: RawAgent, cloud: JiraCloudSimulator) -> None:
    alice = cloud.user("alice")
    instance = result_of(configure(agent, cloud.base_url, alice.email, alice.api_token))["instance"]
    assert instance["state"] == "connected"
    assert instance["user"] == {"name": alice.account_id, "displayName": "Alice Anders"}
    assert instance["serverVersion"] == "1001.0.0-SNAPSHOT"
    # Basic email:token; the old search (410 Gone) is never asked.
    searched = [r.path for r in cloud.request_log if "search" in r.path]
    assert all(p == "/rest/api/3/search/jql" for p in searched)


def test_http_is_refused_for_a_site_that_is_not_loopback(agent: RawAgent) -> None:
    reply = configure(agent, "http://team.atlassian.net", "a@example.com", "t0ken")
    error = error_of(reply)
    assert error["code"] == -32602
    assert error["data"]["field"] == "fields.baseUrl"
    assert "https" in error["message"]


def test_a_bad_email_is_refused_on_its_field(agent: RawAgent, cloud: JiraCloudSimulator) -> None:
    error = error_of(configure(agent, cloud.base_url, "alice", "t0ken"))
    assert error["code"] == -32602
    assert error["data"]["field"] == "fields.email"


def test_a_jira_server_is_not_taken_for_cloud(agent: RawAgent) -> None:
    from simulators.jira_server import JiraSimulator, SimulatorConfig

    with JiraSimulator(SimulatorConfig(context_path="")) as server:
        error = error_of(configure(agent, server.base_url, "alice@example.com", "t0ken"))
    assert error["code"] == -32005
    assert "not Jira Cloud" in error["message"]


def test_fetch_pages_with_next_page_token(agent: RawAgent, cloud: JiraCloudSimulator) -> None:
    instance_id = connect(agent, cloud)
    cloud.page_cap = 7
    result = result_of(agent.call(FETCH, {"instanceId": instance_id}, timeout=30))
    mine = [i for i in cloud.issues if i.assignee == cloud.user("alice").account_id]
    open_mine = sorted((i for i in mine if not i.resolved), key=lambda i: i.updated, reverse=True)
    assert [i["key"] for i in result["issues"]] == [i.key for i in open_mine]
    assert result["total"] == len(open_mine)  # no total on Cloud: the count returned
    searches = [r for r in cloud.request_log if r.path == "/rest/api/3/search/jql"]
    assert len(searches) == -(-len(open_mine) // 7)
    bodies = [json.loads(r.body) for r in searches]
    assert "nextPageToken" not in bodies[0]
    assert all(b["nextPageToken"] for b in bodies[1:])
    assert all("summary" in b["fields"] for b in bodies)
    first = result["issues"][0]
    assert first["assignee"]["name"] == cloud.user("alice").account_id
    assert first["url"] == f"{cloud.base_url}/browse/{first['key']}"
    assert first["status"]["category"] in ("todo", "inProgress")


def test_get_turns_adf_into_text(agent: RawAgent, cloud: JiraCloudSimulator) -> None:
    instance_id = connect(agent, cloud)
    rich = cloud.issues[0]  # index 0: the rich description, no comments
    rich.comments.clear()
    detail = result_of(agent.call(GET, {"instanceId": instance_id, "key": rich.key}))["issue"]
    description = detail["description"]
    assert description.startswith("## Context\n\n")
    assert "see the runbook (https://example.com/runbook)." in description
    assert "- first step\n- second step" in description
    assert "```python\nprint('hi')\n```" in description
    assert "@Bob Builder please check 😄" in description
    with_comments = next(i for i in cloud.issues if len(i.comments) == 2)
    detail = result_of(agent.call(GET, {"instanceId": instance_id, "key": with_comments.key}))
    comments = detail["issue"]["comments"]
    assert [c["body"] for c in comments] == [
        f"Comment {n} on {with_comments.key}.\n\nSecond paragraph." for n in (1, 2)
    ]
    assert comments[0]["author"]["name"] == cloud.user("bob").account_id
    assert {t["id"] for t in detail["issue"]["transitions"]}


def test_comment_is_sent_as_adf(agent: RawAgent, cloud: JiraCloudSimulator) -> None:
    instance_id = connect(agent, cloud)
    key = cloud.issues[1].key
    body = "Looked at it.\nLine two.\n\nNew paragraph."
    comment = result_of(agent.call(COMMENT, {"instanceId": instance_id, "key": key, "body": body}))
    assert comment["comment"]["body"] == body
    assert comment["comment"]["author"]["name"] == cloud.user("alice").account_id
    stored = cloud.issue(key)
    assert stored is not None
    assert stored.comments[-1].body == {
        "version": 1,
        "type": "doc",
        "content": [
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "Looked at it."},
                    {"type": "hardBreak"},
                    {"type": "text", "text": "Line two."},
                ],
            },
            {"type": "paragraph", "content": [{"type": "text", "text": "New paragraph."}]},
        ],
    }
    assert adf("x")["type"] == "doc"


def test_transition_with_a_comment_and_one_not_offered(
    agent: RawAgent, cloud: JiraCloudSimulator
) -> None:
    instance_id = connect(agent, cloud)
    todo = next(i for i in cloud.issues if i.status == "To Do")
    moved = result_of(
        agent.call(
            TRANSITION,
            {"instanceId": instance_id, "key": todo.key, "transitionId": "41", "comment": "Done."},
        )
    )["issue"]
    assert moved["status"] == {"name": "Done", "category": "done"}
    assert todo.comments[-1].body["content"][0]["content"][0]["text"] == "Done."
    error = error_of(
        agent.call(TRANSITION, {"instanceId": instance_id, "key": todo.key, "transitionId": "41"})
    )
    assert error["code"] == -32602
    assert error["data"]["field"] == "transitionId"
    assert "Start progress (21)" in error["message"]


def test_assign_by_account_id_me_and_nobody(agent: RawAgent, cloud: JiraCloudSimulator) -> None:
    instance_id = connect(agent, cloud)
    key = cloud.issues[2].key
    users = result_of(agent.call(ASSIGNEES, {"instanceId": instance_id, "key": key, "query": "bo"}))
    bob = cloud.user("bob")
    assert users["users"] == [{"name": bob.account_id, "displayName": "Bob Builder"}]
    issue = result_of(
        agent.call(
            ASSIGN, {"instanceId": instance_id, "key": key, "assignee": {"name": bob.account_id}}
        )
    )["issue"]
    assert issue["assignee"]["name"] == bob.account_id
    issue = result_of(agent.call(ASSIGN, {"instanceId": instance_id, "key": key, "assignee": "me"}))
    assert issue["issue"]["assignee"]["name"] == cloud.user("alice").account_id
    issue = result_of(agent.call(ASSIGN, {"instanceId": instance_id, "key": key, "assignee": None}))
    assert "assignee" not in issue["issue"]
    puts = [json.loads(r.body) for r in cloud.request_log if r.path.endswith("/assignee")]
    assert puts == [
        {"accountId": bob.account_id},
        {"accountId": cloud.user("alice").account_id},
        {"accountId": None},
    ]


def test_start_work(agent: RawAgent, cloud: JiraCloudSimulator) -> None:
    instance_id = connect(agent, cloud)
    todo = next(i for i in cloud.issues if i.status == "To Do" and i.assignee is None)
    result = result_of(agent.call(START_WORK, {"instanceId": instance_id, "key": todo.key}))
    assert result["issue"]["status"]["category"] == "inProgress"
    assert result["issue"]["assignee"]["name"] == cloud.user("alice").account_id
    assert result["branchName"].startswith(f"{todo.key}-")


def test_unknown_key_is_cloud_404(agent: RawAgent, cloud: JiraCloudSimulator) -> None:
    instance_id = connect(agent, cloud)
    error = error_of(agent.call(GET, {"instanceId": instance_id, "key": "CORE-999"}))
    assert error["code"] == -32004
    assert error["data"]["httpStatus"] == 404


def test_projects_list_is_not_offered(agent: RawAgent, cloud: JiraCloudSimulator) -> None:
    instance_id = connect(agent, cloud)
    error = error_of(agent.call("issuebridge/projects/list", {"instanceId": instance_id}))
    assert error["code"] == -32005
