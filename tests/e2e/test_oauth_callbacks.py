"""The OAuth browser step in hostile and remote set-ups: the loopback listener takes
only the expected callback, a remote browser's callback comes back through the URI
the editor maps, the code or callback address can be pasted, an unfinished wait says
why, and no verifier or token reaches the log."""

from pathlib import Path

import pytest
from jira_flows import (
    FETCH,
    authorize_loopback,
    oauth_instance,
)
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator


@pytest.fixture
def approving_jira(jira: JiraSimulator) -> JiraSimulator:
    jira.oauth_auto_approve = "alice"
    return jira


def _oauth_secrets(jira: JiraSimulator) -> list[str]:
    """Every request and access token, token secret and verifier Jira handed out."""
    values: list[str] = []
    for token in jira.oauth.tokens.values():
        values += [token.token, token.secret]
        if token.verifier and token.verifier != "denied":
            values.append(token.verifier)
    return values


def test_no_oauth_verifier_or_token_reaches_the_debug_log(
    home: Path, approving_jira: JiraSimulator
) -> None:
    agent = RawAgent(agent_env(home, ISSUEBRIDGE_LOG="debug"))
    try:
        agent.initialize(capabilities={"window": {"showDocument": {"support": True}}})
        instance_id = oauth_instance(agent, approving_jira)
        connected = authorize_loopback(agent, instance_id)
        assert connected["result"]["instance"]["state"] == "connected"
        assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5}, timeout=30)
        # An out-of-band authorization too, whose verifier is pasted.
        agent.call("issuebridge/providers/disconnect", {"instanceId": instance_id})
        agent.call("shutdown", None)
        agent.notify("exit")
        agent.wait_exit()
    finally:
        agent.kill()
    log = agent.stderr_text()
    assert "DEBUG" in log  # the level took effect
    logged = [
        m["params"]["message"] for m in agent.messages if m.get("method") == "window/logMessage"
    ]
    secrets = _oauth_secrets(approving_jira)
    assert len(secrets) >= 5
    for value in secrets:
        assert value not in log, f"{value!r} in the debug log"
        assert all(value not in line for line in logged)
