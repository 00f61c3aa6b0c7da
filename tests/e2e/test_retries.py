"""Retries only where safe, seen from the simulator's side: how many attempts reached it.

Reads (and the search, a read sent as POST) are sent again after a 503, a 429 or a cut
connection; a create or a comment never is; a TLS failure never is.
"""

from pathlib import Path
from typing import Any

from create_flows import TASK, connected, create
from jira_flows import FETCH, configure_token, connect, error_of
from wire import RawAgent, agent_env

from agent.retry import ATTEMPTS
from simulators.jira_server import JiraSimulator, SimulatorConfig

COMMENT = "issuebridge/issues/comment"
ASSIGN = "issuebridge/issues/assign"


def attempts(jira: JiraSimulator, method: str, path_part: str) -> list[int]:
    """The statuses the simulator answered to each matching request, in order."""
    return [r.status for r in list(jira.request_log) if r.method == method and path_part in r.path]


def test_a_503_then_200_is_retried_and_the_fetch_succeeds(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    jira.request_log.clear()
    jira.faults.unavailable_503(1, match="/rest/api/2/search")
    reply = agent.call(FETCH, {"instanceId": instance_id, "limit": 20}, timeout=30)
    assert len(reply["result"]["issues"]) == 20
    assert attempts(jira, "POST", "/rest/api/2/search") == [503, 200]


def test_a_503_that_stays_is_reported_after_the_bounded_attempts(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    jira.request_log.clear()
    jira.faults.unavailable_503(ATTEMPTS + 5, match="/rest/api/2/search")
    error = error_of(agent.call(FETCH, {"instanceId": instance_id, "limit": 20}, timeout=30))
    assert error["code"] == -32004 and error["data"]["httpStatus"] == 503
    assert attempts(jira, "POST", "/rest/api/2/search") == [503] * ATTEMPTS


def test_a_cut_connection_of_a_read_is_retried(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connect(agent, jira)
    issue = jira.add_issue("ISB", "Read me twice")
    jira.faults.drop_connection(1, match=f"/rest/api/2/issue/{issue.key}")
    reply = agent.call("issuebridge/issues/get", {"instanceId": instance_id, "key": issue.key})
    assert reply["result"]["issue"]["key"] == issue.key


def test_an_assignment_put_is_idempotent_and_retried(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connect(agent, jira)
    issue = jira.add_issue("ISB", "Give it to me", assignee="bob")
    jira.request_log.clear()
    jira.faults.unavailable_503(1, match="/assignee", method="PUT")
    reply = agent.call(ASSIGN, {"instanceId": instance_id, "key": issue.key, "assignee": "me"})
    assert reply["result"]["issue"]["assignee"]["name"] == "alice", reply
    assert attempts(jira, "PUT", "/assignee") == [503, 204]


def test_a_create_answered_503_is_not_sent_again(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connected(agent, jira)
    issues_before = len(jira.issues)
    jira.faults.unavailable_503(ATTEMPTS, match="/rest/api/2/issue", method="POST")
    error = error_of(create(agent, instance_id, "ISB", TASK, {"summary": "Only once"}))
    assert error["code"] == -32004 and error["data"]["httpStatus"] == 503
    assert attempts(jira, "POST", "/rest/api/2/issue") == [503]
    assert len(jira.issues) == issues_before


def test_a_comment_answered_503_is_not_sent_again(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connect(agent, jira)
    issue = jira.add_issue("ISB", "Say it once")
    jira.request_log.clear()
    jira.faults.unavailable_503(ATTEMPTS, match="/comment", method="POST")
    params: dict[str, Any] = {"instanceId": instance_id, "key": issue.key, "body": "once"}
    error = error_of(agent.call(COMMENT, params))
    assert error["code"] == -32004 and error["data"]["httpStatus"] == 503
    assert attempts(jira, "POST", "/comment") == [503]
    assert issue.comments == []


def test_a_429_is_retried_after_its_retry_after(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connect(agent, jira)
    jira.request_log.clear()
    jira.faults.rate_limit(1, retry_after=1, match="/rest/api/2/search")
    reply = agent.call(FETCH, {"instanceId": instance_id, "limit": 20}, timeout=30)
    assert len(reply["result"]["issues"]) == 20
    assert attempts(jira, "POST", "/rest/api/2/search") == [429, 200]


def test_a_retry_after_beyond_the_deadline_is_reported_at_once(
    raw_agent: RawAgent, jira: JiraSimulator
) -> None:
    raw_agent.initialize(options={"http": {"timeoutSeconds": 5}})
    instance_id = connect(raw_agent, jira)
    jira.request_log.clear()
    jira.faults.rate_limit(1, retry_after=600, match="/rest/api/2/search")
    error = error_of(raw_agent.call(FETCH, {"instanceId": instance_id, "limit": 20}))
    assert error["code"] == -32006 and error["data"]["retryAfterSeconds"] == 600
    assert attempts(jira, "POST", "/rest/api/2/search") == [429]


def test_a_tls_failure_is_not_retried(tmp_path: Path) -> None:
    with JiraSimulator(SimulatorConfig(https=True)) as jira:
        home = tmp_path / "home"
        home.mkdir()
        agent = RawAgent(agent_env(home))
        try:
            agent.initialize()
            error = error_of(configure_token(agent, jira.base_url, jira.user("alice").pat))
        finally:
            agent.kill()
        assert error["code"] == -32003 and error["data"]["tls"] is True
        assert jira.failed_handshakes == 1
        assert list(jira.request_log) == []
