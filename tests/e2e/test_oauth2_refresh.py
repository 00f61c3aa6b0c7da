"""OAuth 2.0 tokens over time: renewed shortly before they expire and once after a
401, one renewal for many requests at once, the new refresh token kept across a
restart, and a refused renewal (revoked in Jira) that leaves the instance needing
authorization."""

from pathlib import Path
from typing import Any

from jira_flows import FETCH, error_of, oauth2_connected, token_grants
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator

LIST = "issuebridge/providers/list"


def _rest(jira: JiraSimulator, since: int) -> list[int]:
    """The statuses of REST calls since the `since`-th request."""
    return [r.status for r in jira.request_log[since:] if "/rest/api/2/" in r.path]


def _instance(agent: RawAgent, instance_id: str) -> dict[str, Any]:
    providers = agent.call(LIST, {})["result"]["providers"]
    (found,) = [i for p in providers for i in p["instances"] if i["instanceId"] == instance_id]
    return dict(found)


def test_the_access_token_is_renewed_before_it_expires(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    jira = approving_jira
    # Eight seconds: the agent renews within the last quarter (two seconds), a margin
    # that one small fetch on a loaded machine stays well inside.
    jira.oauth2_settings.access_token_seconds = 8
    instance_id, _client = oauth2_connected(agent, jira)
    since = len(jira.request_log)
    # Work goes on; before the token's eight seconds are up the agent renews it, so no
    # request is ever refused. (A refresh that never comes is caught by the test's
    # timeout, pytest-timeout's, not by a clock here.)
    while not token_grants(jira, "refresh_token", since):
        reply = agent.call(FETCH, {"instanceId": instance_id, "limit": 1}, timeout=30)
        assert "result" in reply, reply
    reply = agent.call(FETCH, {"instanceId": instance_id, "limit": 1}, timeout=30)
    assert "result" in reply, reply
    assert 401 not in _rest(jira, since)
    (refresh,) = token_grants(jira, "refresh_token", since)
    assert refresh.status == 200 and refresh.form["redirect_uri"]


def test_a_refused_access_token_is_renewed_once_and_the_request_sent_again(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    jira = approving_jira
    instance_id, _client = oauth2_connected(agent, jira)
    assert jira.expire_oauth2_access_tokens() >= 1
    since = len(jira.request_log)
    reply = agent.call(FETCH, {"instanceId": instance_id, "limit": 3}, timeout=30)
    assert len(reply["result"]["issues"]) == 3, reply
    assert _rest(jira, since)[0] == 401 and _rest(jira, since)[-1] == 200
    assert len(token_grants(jira, "refresh_token", since)) == 1
    assert _instance(agent, instance_id)["state"] == "connected"


def test_concurrent_requests_share_one_renewal(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    jira = approving_jira
    instance_id, _client = oauth2_connected(agent, jira)
    jira.expire_oauth2_access_tokens()
    since = len(jira.request_log)
    ids = [agent.request(FETCH, {"instanceId": instance_id, "limit": 2}) for _ in range(6)]
    replies = [agent.response(i, timeout=30) for i in ids]
    assert all("result" in r for r in replies), replies
    assert len(token_grants(jira, "refresh_token", since)) == 1


def test_the_renewed_refresh_token_survives_a_restart(
    home: Path, approving_jira: JiraSimulator
) -> None:
    jira = approving_jira
    assert jira.oauth2_settings.rotate_refresh_tokens  # the old one stops working
    agent = RawAgent(agent_env(home))
    try:
        agent.initialize(capabilities={"window": {"showDocument": {"support": True}}})
        instance_id, _client = oauth2_connected(agent, jira)
        jira.expire_oauth2_access_tokens()
        assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 1}, timeout=30)
    finally:
        agent.kill()
    jira.expire_oauth2_access_tokens()
    since = len(jira.request_log)
    again = RawAgent(agent_env(home))
    try:
        again.initialize()
        reply = again.call(FETCH, {"instanceId": instance_id, "limit": 1}, timeout=30)
        assert "result" in reply, reply
    finally:
        again.kill()
    (refresh,) = token_grants(jira, "refresh_token", since)
    assert refresh.status == 200  # the rotated token the first agent stored


def test_a_revoked_grant_leaves_the_instance_needing_authorization(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    jira = approving_jira
    instance_id, _client = oauth2_connected(agent, jira)
    assert jira.revoke_oauth2_tokens("alice") >= 1
    error = error_of(agent.call(FETCH, {"instanceId": instance_id}, timeout=30))
    assert error["code"] == -32001 and error["data"]["kind"] == "authenticationFailed"
    assert error["data"]["oauthError"] == "invalid_grant"
    assert error["data"]["action"] == "authorize"
    assert "Authorized applications" in error["message"]
    instance = _instance(agent, instance_id)
    assert instance["state"] == "needsAuthorization"
    assert "refused to renew" in instance["error"]
    # The tokens are forgotten: nothing more goes to Jira until the user authorizes.
    since = len(jira.request_log)
    later = error_of(agent.call(FETCH, {"instanceId": instance_id}, timeout=30))
    assert later["code"] == -32002 and later["data"]["action"] == "authorize"
    assert not jira.request_log[since:]
    # Authorizing again needs no configure: the client secret stayed.
    from jira_flows import authorize_loopback

    assert authorize_loopback(agent, instance_id)["result"]["instance"]["state"] == "connected"
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 1}, timeout=30)


def test_two_agent_processes_share_what_one_of_them_renewed(
    home: Path, approving_jira: JiraSimulator
) -> None:
    jira = approving_jira
    first, second = RawAgent(agent_env(home)), RawAgent(agent_env(home))
    try:
        first.initialize(capabilities={"window": {"showDocument": {"support": True}}})
        second.initialize()
        instance_id, _client = oauth2_connected(first, jira)
        for agent in (first, second):  # both have a session with the same tokens
            assert "result" in agent.call(
                FETCH, {"instanceId": instance_id, "limit": 1}, timeout=30
            )
        jira.expire_oauth2_access_tokens()
        since = len(jira.request_log)
        assert "result" in first.call(FETCH, {"instanceId": instance_id, "limit": 1}, timeout=30)
        # The second one's token was refused; it takes what the first one stored
        # instead of spending the rotated refresh token a second time.
        reply = second.call(FETCH, {"instanceId": instance_id, "limit": 1}, timeout=30)
        assert "result" in reply, reply
        assert len(token_grants(jira, "refresh_token", since)) == 1
        assert _instance(second, instance_id)["state"] == "connected"
    finally:
        first.kill()
        second.kill()
