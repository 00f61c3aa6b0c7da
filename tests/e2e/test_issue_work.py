"""Working on one issue, end to end: the agent over stdio against the simulated Jira.

`issues/get`, `transition`, `comment`, `assignees`, `assign` and `startWork`; what
reached Jira is read from the simulator's request log.
"""

from typing import Any

import httpx
import pytest
from jira_flows import connect, error_of
from wire import RawAgent

from simulators.jira_server import JiraSimulator

GET = "issuebridge/issues/get"
TRANSITION = "issuebridge/issues/transition"
COMMENT = "issuebridge/issues/comment"
ASSIGNEES = "issuebridge/issues/assignees"
ASSIGN = "issuebridge/issues/assign"
START_WORK = "issuebridge/issues/startWork"


def result_of(reply: dict[str, Any]) -> dict[str, Any]:
    assert "result" in reply, reply
    result: dict[str, Any] = reply["result"]
    return result


def requests_to(jira: JiraSimulator, method: str, ending: str) -> list[Any]:
    return [r for r in jira.request_log if r.method == method and r.path.endswith(ending)]


def as_bob(jira: JiraSimulator, key: str, transition_id: str) -> None:
    """A colleague moves the issue in Jira meanwhile."""
    moved = httpx.post(
        f"{jira.base_url}/rest/api/2/issue/{key}/transitions",
        headers={"Authorization": f"Bearer {jira.user('bob').pat}"},
        json={"transition": {"id": transition_id}},
        timeout=10,
    )
    assert moved.status_code == 204, moved.text


def test_get_shows_description_comments_and_transitions(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance = connect(agent, jira)
    issue = jira.add_issue(
        "ISB",
        "Fix the login redirect loop",
        status="To Do",
        assignee="alice",
        reporter="carol",
        labels=["backend", "ux"],
        description="Steps: log in twice.",
    )
    for n in range(120):  # more than the issue embeds (50) and than one page (50)
        jira.store.add_comment(issue, "bob" if n % 2 else "zoe", f"comment {n}")
    jira.request_log.clear()
    detail = result_of(agent.call(GET, {"instanceId": instance, "key": issue.key}))["issue"]
    assert detail["key"] == issue.key and detail["title"] == "Fix the login redirect loop"
    assert detail["status"] == {"name": "To Do", "category": "todo"}
    assert detail["project"] == {"key": "ISB", "name": "IssueBridge"}
    assert detail["assignee"] == {"name": "alice", "displayName": "Alice Anderson"}
    assert detail["reporter"] == {"name": "carol", "displayName": "Carol Chen"}
    assert detail["description"] == "Steps: log in twice."
    assert detail["labels"] == ["backend", "ux"]
    assert detail["createdAt"].endswith("+00:00")
    assert [c["body"] for c in detail["comments"]] == [f"comment {n}" for n in range(120)]
    assert detail["comments"][0]["author"] == {"name": "zoe", "displayName": "Zoë Ünal"}
    assert set(detail["comments"][0]) == {"id", "author", "body", "createdAt"}
    assert detail["transitions"] == [
        {
            "id": "11",
            "name": "Start Progress",
            "to": {"name": "In Progress", "category": "inProgress"},
        },
        {"id": "61", "name": "Close Issue", "to": {"name": "Done", "category": "done"}},
    ]
    # One request for the issue with its transitions, then the comments after the 50 it
    # embeds, page by page as Jira answers them.
    assert len(requests_to(jira, "GET", f"/issue/{issue.key}")) == 1
    pages = requests_to(jira, "GET", f"/issue/{issue.key}/comment")
    assert [p.query["startAt"] for p in pages] == [["50"], ["100"]]
    assert len(jira.request_log) == 3


def test_get_of_an_issue_with_few_comments_is_one_request(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance = connect(agent, jira)
    issue = jira.add_issue("WEB", "Quiet", status="In Progress")
    jira.store.add_comment(issue, "bob", "Only one")
    jira.request_log.clear()
    detail = result_of(agent.call(GET, {"instanceId": instance, "key": issue.key.lower()}))
    assert [c["body"] for c in detail["issue"]["comments"]] == ["Only one"]
    assert "description" not in detail["issue"]  # none: left out
    assert [t["name"] for t in detail["issue"]["transitions"]] == ["Stop Progress", "Resolve Issue"]
    assert len(jira.request_log) == 1


def test_get_unknown_key_is_jiras_404(agent: RawAgent, jira: JiraSimulator) -> None:
    instance = connect(agent, jira)
    error = error_of(agent.call(GET, {"instanceId": instance, "key": "ISB-99999"}))
    assert error["code"] == -32004
    assert error["data"]["httpStatus"] == 404
    assert error["data"]["messages"] == ["Issue Does Not Exist"]
    assert "ISB-99999" in error["message"]


def test_a_transition_that_no_longer_exists_names_the_offered_ones(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance = connect(agent, jira)
    issue = jira.add_issue("ISB", "Contested", status="To Do", assignee="alice")
    detail = result_of(agent.call(GET, {"instanceId": instance, "key": issue.key}))["issue"]
    start = next(t for t in detail["transitions"] if t["name"] == "Start Progress")
    as_bob(jira, issue.key, start["id"])  # bob started it first
    error = error_of(
        agent.call(
            TRANSITION, {"instanceId": instance, "key": issue.key, "transitionId": start["id"]}
        )
    )
    assert error["code"] == -32602
    assert error["data"]["field"] == "transitionId"
    for offered in ("Stop Progress (21)", "Request Review (31)", "Resolve Issue (51)"):
        assert offered in error["message"]
    assert issue.status_id == "3" and issue.comments == []  # bob's move stands


def test_transition_with_a_comment(agent: RawAgent, jira: JiraSimulator) -> None:
    instance = connect(agent, jira)
    issue = jira.add_issue("ISB", "Move me", status="To Do", assignee="alice")
    reply = agent.call(
        TRANSITION,
        {"instanceId": instance, "key": issue.key, "transitionId": "11", "comment": "On it."},
    )
    moved = result_of(reply)["issue"]
    assert moved["key"] == issue.key
    assert moved["status"] == {"name": "In Progress", "category": "inProgress"}
    assert set(moved) <= {
        "id",
        "key",
        "title",
        "url",
        "status",
        "project",
        "updatedAt",
        "type",
        "priority",
        "assignee",
    }
    assert [(c.author, c.body) for c in issue.comments] == [("alice", "On it.")]
    (posted,) = requests_to(jira, "POST", f"/issue/{issue.key}/transitions")
    assert b'"update"' in posted.body


def test_comment(agent: RawAgent, jira: JiraSimulator) -> None:
    instance = connect(agent, jira)
    issue = jira.add_issue("DOC", "Talk about it")
    reply = agent.call(COMMENT, {"instanceId": instance, "key": issue.key, "body": "Übersetzt 👍"})
    comment = result_of(reply)["comment"]
    assert comment["body"] == "Übersetzt 👍"
    assert comment["author"] == {"name": "alice", "displayName": "Alice Anderson"}
    assert comment["id"] == issue.comments[-1].id and comment["createdAt"].endswith("+00:00")


def test_assignee_search_sends_the_query_to_jira(agent: RawAgent, jira: JiraSimulator) -> None:
    instance = connect(agent, jira)
    jira.request_log.clear()
    reply = agent.call(ASSIGNEES, {"instanceId": instance, "key": "ISB-1", "query": "zo"})
    assert result_of(reply)["users"] == [{"name": "zoe", "displayName": "Zoë Ünal"}]
    (search,) = requests_to(jira, "GET", "/user/assignable/search")
    assert search.query["username"] == ["zo"]
    assert search.query["issueKey"] == ["ISB-1"]
    assert int(search.query["maxResults"][0]) <= 50  # a picker's worth, never everyone
    # The admin API's request log says the same, for clients in other processes.
    logged = httpx.get(f"{jira.base_url}/_sim/requests", timeout=10).json()
    assert any("username=zo" in r["query"] for r in logged)


def test_assign_me_a_user_and_nobody(agent: RawAgent, jira: JiraSimulator) -> None:
    instance = connect(agent, jira)
    issue = jira.add_issue("WEB", "Whose is it", assignee="bob")
    params = {"instanceId": instance, "key": issue.key}
    mine = result_of(agent.call(ASSIGN, {**params, "assignee": "me"}))["issue"]
    assert mine["assignee"] == {"name": "alice", "displayName": "Alice Anderson"}
    zoe = result_of(agent.call(ASSIGN, {**params, "assignee": {"name": "zoe"}}))["issue"]
    assert zoe["assignee"]["name"] == "zoe" and issue.assignee == "zoe"
    nobody = result_of(agent.call(ASSIGN, {**params, "assignee": None}))["issue"]
    assert "assignee" not in nobody and issue.assignee is None
    bodies = [r.body for r in requests_to(jira, "PUT", f"/issue/{issue.key}/assignee")]
    assert bodies == [b'{"name":"alice"}', b'{"name":"zoe"}', b'{"name":null}']
    unknown = error_of(agent.call(ASSIGN, {**params, "assignee": {"name": "nobody"}}))
    assert unknown["code"] == -32602 and unknown["data"]["field"] == "assignee"
    assert "User 'nobody' does not exist." in unknown["message"]


def test_start_work_on_a_to_do_issue(agent: RawAgent, jira: JiraSimulator) -> None:
    instance = connect(agent, jira)
    issue = jira.add_issue("ISB", "Fix naïve café menu encoding!", status="To Do", assignee="bob")
    reply = agent.call(START_WORK, {"instanceId": instance, "key": issue.key})
    result = result_of(reply)
    assert result["issue"]["assignee"]["name"] == "alice"
    assert result["issue"]["status"] == {"name": "In Progress", "category": "inProgress"}
    assert result["branchName"] == f"{issue.key}-fix-naive-cafe-menu-encoding"
    assert issue.assignee == "alice" and issue.status_id == "3"
    (moved,) = requests_to(jira, "POST", f"/issue/{issue.key}/transitions")
    assert b'"11"' in moved.body


def test_start_work_on_an_issue_already_in_progress(agent: RawAgent, jira: JiraSimulator) -> None:
    instance = connect(agent, jira)
    issue = jira.add_issue("OPS", "Disk usage alert", status="In Progress")
    jira.request_log.clear()
    result = result_of(agent.call(START_WORK, {"instanceId": instance, "key": issue.key}))
    assert result["issue"]["status"]["name"] == "In Progress"
    assert result["issue"]["assignee"]["name"] == "alice"
    assert result["branchName"] == f"{issue.key}-disk-usage-alert"
    assert requests_to(jira, "POST", "/transitions") == []
    # Already mine and in progress: nothing to change, nothing sent but the read.
    jira.request_log.clear()
    again = result_of(agent.call(START_WORK, {"instanceId": instance, "key": issue.key}))
    assert again["branchName"] == result["branchName"]
    assert [r.method for r in jira.request_log] == ["GET"]


def test_start_work_with_no_way_into_progress_changes_nothing(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance = connect(agent, jira)
    issue = jira.add_issue("WEB", "Finished", status="Done", assignee="bob")
    error = error_of(agent.call(START_WORK, {"instanceId": instance, "key": issue.key}))
    assert error["code"] == -32602 and error["data"]["field"] == "transitionId"
    assert "Reopen Issue (71)" in error["message"]
    assert issue.assignee == "bob"
    assert [r.method for r in jira.request_log if "/issue/" in r.path] == ["GET"]
    chosen = result_of(
        agent.call(START_WORK, {"instanceId": instance, "key": issue.key, "transitionId": "71"})
    )
    assert chosen["issue"]["status"]["name"] == "To Do" and issue.assignee == "alice"


def test_branch_template_setting(raw_agent: RawAgent, jira: JiraSimulator) -> None:
    template = {"issues": {"branchTemplate": "feature/{type}/{key}_{summary}"}}
    raw_agent.initialize(options={**template, "http": {"timeoutSeconds": 20}})
    instance = connect(raw_agent, jira)
    issue = jira.add_issue("ISB", "Dark mode colours", issuetype="Story", status="To Do")
    params = {"instanceId": instance, "key": issue.key}
    first = result_of(raw_agent.call(START_WORK, params))
    assert first["branchName"] == f"feature/story/{issue.key}_dark-mode-colours"
    raw_agent.notify(
        "workspace/didChangeConfiguration",
        {"settings": {"issuebridge": {"issues": {"branchTemplate": "{key}"}}}},
    )
    # Notifications are handled in order: the next request sees the new setting.
    second = result_of(raw_agent.call(START_WORK, params))
    assert second["branchName"] == issue.key


def test_an_invalid_branch_template_names_the_setting(raw_agent: RawAgent) -> None:
    reply = raw_agent.initialize(options={"issues": {"branchTemplate": "{summary} {key}"}})
    error = error_of(reply)
    assert error["code"] == -32602
    assert error["data"]["field"] == "initializationOptions.issues.branchTemplate"


@pytest.mark.parametrize(
    ("method", "params", "field"),
    [
        (GET, {"key": "ISB-1/../../myself"}, "key"),
        (GET, {"key": ""}, "key"),
        (GET, {"key": 12}, "key"),
        (GET, {}, "key"),
        (TRANSITION, {"key": "ISB-1"}, "transitionId"),
        (TRANSITION, {"key": "ISB-1", "transitionId": 11}, "transitionId"),
        (TRANSITION, {"key": "ISB-1", "transitionId": "11", "comment": " "}, "comment"),
        (COMMENT, {"key": "ISB-1", "body": "  "}, "body"),
        (COMMENT, {"key": "ISB-1"}, "body"),
        (ASSIGNEES, {"key": "ISB-1"}, "query"),
        (ASSIGNEES, {"key": "ISB-1", "query": "x" * 300}, "query"),
        (ASSIGN, {"key": "ISB-1", "assignee": "bob"}, "assignee"),
        (ASSIGN, {"key": "ISB-1"}, "assignee"),
        (ASSIGN, {"key": "ISB-1", "assignee": {"name": ""}}, "assignee.name"),
        (START_WORK, {"key": "ISB-1", "transitionId": ["11"]}, "transitionId"),
    ],
)
def test_malformed_params_name_the_field(
    agent: RawAgent, jira: JiraSimulator, method: str, params: dict[str, Any], field: str
) -> None:
    instance = connect(agent, jira)
    jira.request_log.clear()
    error = error_of(agent.call(method, {"instanceId": instance, **params}))
    assert error["code"] == -32602, error
    assert error["data"]["field"] == field
    assert [r for r in jira.request_log if "/issue/" in r.path or "/user/" in r.path] == []


def test_a_rejected_token_marks_the_instance_as_a_fetch_does(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance = connect(agent, jira)
    jira.revoke_pat(jira.user("alice").pat)
    params = {"instanceId": instance, "key": "ISB-1", "body": "hello"}
    assert error_of(agent.call(COMMENT, params))["code"] == -32001
    jira.request_log.clear()
    again = error_of(agent.call(START_WORK, {"instanceId": instance, "key": "ISB-1"}))
    assert again["code"] == -32002 and again["data"]["action"] == "configure"
    assert list(jira.request_log) == []  # no more logins with a rejected token
