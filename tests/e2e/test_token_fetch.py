"""Personal access token: configure, fetch every issue, and every failure explained."""

import time
from pathlib import Path

from jira_flows import FETCH, configure_token, connect, error_of, expected_open_issues
from wire import RawAgent

from simulators.jira_server import JiraSimulator


def test_configure_checks_the_token_and_answers_connected(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    reply = configure_token(agent, jira.base_url + "/", jira.user("alice").pat)
    instance = reply["result"]["instance"]
    assert instance["state"] == "connected"
    assert instance["baseUrl"] == jira.base_url  # trailing slash dropped, /jira kept
    assert instance["user"] == {"name": "alice", "displayName": "Alice Anderson"}
    assert instance["serverVersion"] == "9.12.0"
    assert instance["scope"] == "user" and instance["authMethod"] == "token"
    change = agent.wait_for(lambda m: m.get("method") == "issuebridge/providers/didChange")
    listed = change["params"]["providers"][0]["instances"]
    assert [i["instanceId"] for i in listed] == [instance["instanceId"]]
    providers = agent.call("issuebridge/providers/list", {})["result"]["providers"]
    assert providers[0]["instances"][0]["state"] == "connected"


def test_same_base_url_keeps_its_instance_id(agent: RawAgent, jira: JiraSimulator) -> None:
    first = connect(agent, jira, "alice")
    again = configure_token(
        agent, jira.base_url.upper().replace("/JIRA", "/jira"), jira.user("bob").pat
    )
    assert again["result"]["instance"]["instanceId"] == first
    assert again["result"]["instance"]["user"]["name"] == "bob"
    providers = agent.call("issuebridge/providers/list", {})["result"]["providers"]
    assert len(providers[0]["instances"]) == 1


def test_fetch_returns_every_open_issue_of_the_user_past_the_page_cap(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    expected = expected_open_issues(jira, "alice")
    assert len(expected) > 130  # the simulator caps pages at 50: several pages needed
    reply = agent.call(FETCH, {"instanceId": instance_id}, timeout=30)
    result = reply["result"]
    keys = [i["key"] for i in result["issues"]]
    assert keys == expected  # all of them, once each, newest update first
    assert result["total"] == len(expected)
    searches = [r for r in jira.request_log if r.path.endswith("/rest/api/2/search")]
    assert len(searches) >= len(expected) // 50
    issue = result["issues"][0]
    assert issue["url"] == f"{jira.base_url}/browse/{issue['key']}"
    assert issue["status"]["category"] in ("todo", "inProgress")
    assert issue["assignee"]["name"] == "alice"
    assert issue["project"]["key"] == issue["key"].split("-")[0]
    assert issue["updatedAt"].endswith("+00:00")


def test_fetch_with_jql_and_limit(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connect(agent, jira)
    everything = agent.call(
        FETCH, {"instanceId": instance_id, "jql": "ORDER BY key ASC", "limit": 10000}, timeout=30
    )
    assert len(everything["result"]["issues"]) == len(jira.issues) == everything["result"]["total"]
    limited = agent.call(
        FETCH, {"instanceId": instance_id, "jql": "statusCategory = done", "limit": 70}, timeout=30
    )
    done = [i for i in jira.issues if i.status_id in ("10002", "6")]
    assert len(limited["result"]["issues"]) == 70
    assert limited["result"]["total"] == len(done)
    assert all(i["status"]["category"] == "done" for i in limited["result"]["issues"])
    assert len({i["key"] for i in limited["result"]["issues"]}) == 70


def test_fetch_reports_progress_under_the_clients_token(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    agent.call(FETCH, {"instanceId": instance_id, "workDoneToken": "fetch-1"}, timeout=30)
    reports = [
        m["params"]["value"]
        for m in agent.messages
        if m.get("method") == "$/progress" and m["params"]["token"] == "fetch-1"
    ]
    assert reports[0]["kind"] == "begin" and reports[-1]["kind"] == "end"
    percents = [r["percentage"] for r in reports if r["kind"] == "report"]
    assert len(percents) >= 3 and percents == sorted(percents) and percents[-1] == 100


def _wait_for_fetch(jira: JiraSimulator, seen: int, timeout: float = 20.0) -> None:
    """Until the simulator has received a request of the fetch (the project list or a
    search) after the first `seen` (it records requests on arrival)."""
    deadline = time.monotonic() + timeout
    paths = ("/rest/api/2/search", "/rest/api/2/project")
    while not any(r.path.endswith(paths) for r in list(jira.request_log)[seen:]):
        assert time.monotonic() < deadline, "the fetch never reached Jira"
        time.sleep(0.01)


def test_cancelling_a_fetch_answers_cancelled_promptly(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    # Jira holds every answer far longer than the wait for the cancellation below:
    # the answer can only come from cancelling the request in flight, not from
    # waiting for it to end.
    jira.faults.latency_seconds = 300
    seen = len(jira.request_log)
    msg_id = agent.request(FETCH, {"instanceId": instance_id})
    _wait_for_fetch(jira, seen)
    agent.notify("$/cancelRequest", {"id": msg_id})
    reply = agent.response(msg_id, timeout=20)
    assert reply["error"]["code"] == -32800
    jira.faults.latency_seconds = 0
    assert "result" in agent.call("issuebridge/providers/list", {})


def test_bad_jql_is_a_remote_error_with_jiras_message(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connect(agent, jira)
    error = error_of(agent.call(FETCH, {"instanceId": instance_id, "jql": "flavour = sweet"}))
    assert error["code"] == -32004
    assert error["data"]["httpStatus"] == 400
    assert any("flavour" in m for m in error["data"]["messages"])
    assert "flavour" in error["message"]


def test_a_revoked_token_fails_authentication_and_the_instance_stops_calling(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5})
    jira.revoke_pat(jira.user("alice").pat)
    error = error_of(agent.call(FETCH, {"instanceId": instance_id}))
    assert error["code"] == -32001
    assert error["data"]["httpStatus"] == 401
    assert error["data"]["loginReason"] == "AUTHENTICATED_FAILED"
    assert "token" in error["message"] and error["data"]["hint"]
    listed = agent.call("issuebridge/providers/list", {})["result"]["providers"][0]["instances"][0]
    assert listed["state"] == "error" and listed["error"]
    calls_before = len(jira.request_log)
    again = error_of(agent.call(FETCH, {"instanceId": instance_id}))
    assert again["code"] == -32002 and again["data"]["instanceId"] == instance_id
    assert len(jira.request_log) == calls_before  # no more failed logins sent
    # Reconfiguring with a good token brings it back.
    fresh = jira.create_pat("alice", "new")
    assert (
        configure_token(agent, jira.base_url, fresh)["result"]["instance"]["state"] == "connected"
    )
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5})


def test_a_failed_configure_changes_nothing_stored(
    agent: RawAgent, jira: JiraSimulator, home: Path
) -> None:
    instance_id = connect(agent, jira)
    stored = {
        p: p.read_bytes() for p in home.rglob("*") if p.is_file() and not p.name.endswith(".lock")
    }
    error = error_of(configure_token(agent, jira.base_url, "not-a-valid-token-at-all-0000000"))
    assert error["code"] == -32001
    after = {
        p: p.read_bytes() for p in home.rglob("*") if p.is_file() and not p.name.endswith(".lock")
    }
    assert after == stored
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5})


def test_disconnect_and_forget(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connect(agent, jira)
    assert (
        agent.call("issuebridge/providers/disconnect", {"instanceId": instance_id})["result"] == {}
    )
    listed = agent.call("issuebridge/providers/list", {})["result"]["providers"][0]["instances"]
    assert listed[0]["state"] == "needsAuthorization" and "user" not in listed[0]
    assert error_of(agent.call(FETCH, {"instanceId": instance_id}))["code"] == -32002
    agent.call("issuebridge/providers/disconnect", {"instanceId": instance_id, "forget": True})
    assert agent.call("issuebridge/providers/list", {})["result"]["providers"][0]["instances"] == []
    assert error_of(agent.call(FETCH, {"instanceId": instance_id}))["code"] == -32002
    assert (
        error_of(agent.call("issuebridge/providers/disconnect", {"instanceId": instance_id}))[
            "code"
        ]
        == -32002
    )


def test_configure_reports_progress_under_the_clients_token(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    agent.call(
        "issuebridge/providers/configure",
        {
            "providerId": "jira-server",
            "authMethod": "token",
            "fields": {"baseUrl": jira.base_url, "token": jira.user("alice").pat},
            "workDoneToken": 7,
        },
        timeout=20,
    )
    kinds = [
        m["params"]["value"]["kind"]
        for m in agent.messages
        if m.get("method") == "$/progress" and m["params"]["token"] == 7
    ]
    assert kinds[0] == "begin" and kinds[-1] == "end" and "report" in kinds
