"""Jira's login throttling: once an account must solve a CAPTCHA, Jira (Seraph) refuses
every API login with `X-Seraph-LoginReason: AUTHENTICATION_DENIED`. The agent says to log
in once in the browser, and sends that server nothing more until the user connects again.
"""

from jira_flows import FETCH, configure_token, connect, error_of
from wire import RawAgent

from simulators.jira_server import JiraSimulator

LIST = "issuebridge/providers/list"


def test_a_captcha_is_explained_and_the_instance_is_not_hammered(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    login_url = f"{jira.base_url}/login.jsp"
    jira.request_log.clear()
    jira.faults.captcha(1, match="/rest/api/2/search")

    error = error_of(agent.call(FETCH, {"instanceId": instance_id}))
    assert error["code"] == -32001
    assert "log in once in the browser" in error["message"] and login_url in error["message"]
    assert error["data"]["loginReason"] == "AUTHENTICATION_DENIED"
    assert error["data"]["loginUrl"] == login_url
    assert error["data"]["action"] == "configure"
    searches = [r.status for r in list(jira.request_log) if "/search" in r.path]
    assert searches == [403]  # an authentication failure is never retried
    sent = len(jira.request_log)

    # Jira would answer now (the fault is spent), but the agent does not ask it: each
    # further attempt would count against the account.
    for _ in range(3):
        again = error_of(agent.call(FETCH, {"instanceId": instance_id, "fresh": True}))
        assert again["code"] == -32002
        assert login_url in again["message"] and again["data"]["loginUrl"] == login_url
        assert again["data"]["action"] == "configure"
    assert len(jira.request_log) == sent
    providers = agent.call(LIST, {})["result"]["providers"]
    (listed,) = [i for p in providers for i in p["instances"] if i["instanceId"] == instance_id]
    assert listed["state"] == "error" and login_url in listed["error"]

    # The user logged in in the browser and connects again: one deliberate attempt.
    assert "result" in configure_token(agent, jira.base_url, jira.user("alice").pat)
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5})
