"""YouTrack end to end: the agent over stdio against the simulated YouTrack.

What the conformance suite does not cover: the issue's shape, comments, a State
change (a command), assigning, start work, and the form's base URL forms.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from wire import RawAgent

from simulators.youtrack import YouTrackSimulator
from simulators.youtrack import query as yt_query

CONFIGURE = "issuebridge/providers/configure"
FETCH = "issuebridge/issues/fetch"
GET = "issuebridge/issues/get"
TRANSITION = "issuebridge/issues/transition"
COMMENT = "issuebridge/issues/comment"
ASSIGNEES = "issuebridge/issues/assignees"
ASSIGN = "issuebridge/issues/assign"
START_WORK = "issuebridge/issues/startWork"


@pytest.fixture
def youtrack() -> Iterator[YouTrackSimulator]:
    with YouTrackSimulator(context_path="/youtrack") as simulator:
        yield simulator


def result_of(reply: dict[str, Any]) -> dict[str, Any]:
    assert "result" in reply, reply
    result: dict[str, Any] = reply["result"]
    return result


def connect(agent: RawAgent, youtrack: YouTrackSimulator, base_url: str | None = None) -> str:
    reply = agent.call(
        CONFIGURE,
        {
            "providerId": "youtrack",
            "authMethod": "token",
            "fields": {
                "baseUrl": base_url or youtrack.base_url,
                "token": youtrack.store.users["alice"].token,
            },
        },
        timeout=20,
    )
    instance = result_of(reply)["instance"]
    assert instance["state"] == "connected"
    assert instance["user"] == {"name": "alice", "displayName": "Alice Able"}
    return str(instance["instanceId"])


def expected(youtrack: YouTrackSimulator, text: str) -> list[str]:
    parsed = yt_query.parse(text, "alice")
    found = [i for i in youtrack.store.issues.values() if parsed.matches(i)]
    return [i.id_readable for i in parsed.sort(found)]


def test_fetch_maps_youtrack_issues_to_the_contract_shape(
    agent: RawAgent, youtrack: YouTrackSimulator
) -> None:
    instance_id = connect(agent, youtrack, youtrack.base_url + "/api/")
    youtrack.page_size = 7
    result = result_of(agent.call(FETCH, {"instanceId": instance_id}, timeout=30))
    keys = [i["key"] for i in result["issues"]]
    assert keys == expected(youtrack, "for: me #Unresolved sort by: updated desc")
    assert result["total"] == len(keys)
    issue = result["issues"][0]
    stored = youtrack.store.issues[issue["key"]]
    assert issue["url"] == f"{youtrack.base_url}/issue/{issue['key']}"
    assert issue["title"] == stored.summary
    assert issue["status"]["name"] == stored.state
    assert issue["project"] == {
        "key": stored.project,
        "name": youtrack.store.projects[stored.project].name,
    }
    assert issue["assignee"] == {"name": "alice", "displayName": "Alice Able"}
    assert issue["type"] == stored.type and issue["priority"] == stored.priority
    assert issue["updatedAt"].endswith("Z")
    in_progress = [i for i in result["issues"] if i["status"]["name"] == "In Progress"]
    assert in_progress and all(i["status"]["category"] == "inProgress" for i in in_progress)
    lists = [r for r in youtrack.request_log if r.path == "/youtrack/api/issues"]
    assert lists[0].query["query"] == ["for: me #Unresolved sort by: updated desc"]
    assert "idReadable" in lists[0].query["fields"][0]
    assert all(r.headers["Authorization"].startswith("Bearer perm:") for r in lists)


def test_get_comment_transition_and_assign(agent: RawAgent, youtrack: YouTrackSimulator) -> None:
    instance_id = connect(agent, youtrack)
    key = next(k for k, i in youtrack.store.issues.items() if i.comments and i.state == "Open")
    detail = result_of(agent.call(GET, {"instanceId": instance_id, "key": key}))["issue"]
    assert [c["body"] for c in detail["comments"]] == [
        c.text for c in youtrack.store.issues[key].comments
    ]
    assert detail["comments"][0]["author"]["name"] == "bob"
    names = {t["id"]: t["to"]["category"] for t in detail["transitions"]}
    assert names["In Progress"] == "inProgress" and names["Fixed"] == "done"
    assert "Open" not in names  # the state it is in

    comment = result_of(
        agent.call(COMMENT, {"instanceId": instance_id, "key": key, "body": "On it."})
    )["comment"]
    assert comment["body"] == "On it." and comment["author"]["name"] == "alice"

    moved = result_of(
        agent.call(TRANSITION, {"instanceId": instance_id, "key": key, "transitionId": "Fixed"})
    )["issue"]
    assert moved["status"] == {"name": "Fixed", "category": "done"}
    commands = [r for r in youtrack.request_log if r.path.endswith("/api/commands")]
    assert b'"State Fixed"' in commands[-1].body

    refused = agent.call(
        TRANSITION, {"instanceId": instance_id, "key": key, "transitionId": "Nonsense"}
    )
    assert refused["error"]["data"]["field"] == "transitionId"

    users = result_of(
        agent.call(ASSIGNEES, {"instanceId": instance_id, "key": key, "query": "bo"})
    )["users"]
    assert users == [{"name": "bob", "displayName": "Bob Baker"}]
    assigned = result_of(
        agent.call(ASSIGN, {"instanceId": instance_id, "key": key, "assignee": {"name": "bob"}})
    )["issue"]
    assert assigned["assignee"]["name"] == "bob"
    unassigned = result_of(
        agent.call(ASSIGN, {"instanceId": instance_id, "key": key, "assignee": None})
    )["issue"]
    assert "assignee" not in unassigned


def test_start_work_assigns_to_me_and_moves_into_progress(
    agent: RawAgent, youtrack: YouTrackSimulator
) -> None:
    instance_id = connect(agent, youtrack)
    key = next(
        k for k, i in youtrack.store.issues.items() if i.assignee == "bob" and i.state == "Open"
    )
    result = result_of(agent.call(START_WORK, {"instanceId": instance_id, "key": key}))
    assert result["issue"]["status"] == {"name": "In Progress", "category": "inProgress"}
    assert result["issue"]["assignee"]["name"] == "alice"
    assert key.lower() in result["branchName"].lower()
    commands = [r.body for r in youtrack.request_log if r.path.endswith("/api/commands")]
    assert b'"Assignee alice"' in commands[0] and b'"State {In Progress}"' in commands[1]


def test_unknown_issue_and_capabilities(agent: RawAgent, youtrack: YouTrackSimulator) -> None:
    instance_id = connect(agent, youtrack)
    missing = agent.call(GET, {"instanceId": instance_id, "key": "DEMO-9999"})
    assert missing["error"]["data"]["httpStatus"] == 404
    assert "DEMO-9999" in missing["error"]["message"]
    providers = result_of(agent.call("issuebridge/providers/list", {}))["providers"]
    mine = next(p for p in providers if p["id"] == "youtrack")
    assert "issuebridge/issues/create" not in mine["capabilities"]
    assert "issuebridge/issues/startWork" in mine["capabilities"]
    created = agent.call("issuebridge/projects/list", {"instanceId": instance_id})
    assert created["error"]["code"] == -32005
