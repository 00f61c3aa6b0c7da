"""OAuth 2.0's secrets stay secret: the client secret, codes, verifiers, access and
refresh tokens reach no log line (at debug), no response and no file that others can
read; disconnect forgets the user's tokens and keeps the link's secret."""

import re
import stat
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from jira_flows import (
    AUTHORIZE,
    COMPLETE,
    FETCH,
    authorize_loopback,
    error_of,
    oauth2_connected,
    redirect_of,
)
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator


def _granted(jira: JiraSimulator) -> list[str]:
    """Every code, access token and refresh token the simulator handed out."""
    provider = jira.oauth2
    return [*provider.codes, *provider.tokens]


def test_no_secret_reaches_the_debug_log_a_response_or_a_readable_file(
    home: Path, approving_jira: JiraSimulator
) -> None:
    jira = approving_jira
    jira.oauth2_settings.access_token_seconds = 3600
    agent = RawAgent(agent_env(home, ISSUEBRIDGE_LOG="debug"))
    try:
        agent.initialize(capabilities={"window": {"showDocument": {"support": True}}})
        instance_id, client = oauth2_connected(agent, jira)
        assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5}, timeout=30)
        jira.expire_oauth2_access_tokens()  # a refresh, after a 401
        assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5}, timeout=30)
        # An out-of-band authorization too, whose whole address is pasted.
        reply = agent.call(AUTHORIZE, {"instanceId": instance_id, "callback": "oob"}, timeout=20)
        landed = redirect_of(reply["result"]["authorizeUrl"])
        done = agent.call(COMPLETE, {"instanceId": instance_id, "verifier": landed}, timeout=20)
        assert done["result"]["instance"]["state"] == "connected"
        stored = [p for p in home.rglob("*") if p.is_file()]
        agent.call("shutdown", None)
        agent.notify("exit")
        agent.wait_exit()
    finally:
        agent.kill()
    log = agent.stderr_text()
    assert "DEBUG" in log  # the level took effect
    wire = bytes(agent.raw_stdout).decode()
    granted = _granted(jira)
    assert len(granted) >= 6
    for value in [client.client_secret, *granted]:
        assert value not in log, "a secret in the debug log"
        assert value not in wire, "a secret in a message to the editor"
    # The states went to the browser (in the authorize URL), and to no log line.
    shown = [m["params"]["uri"] for m in agent.messages if m.get("method") == "window/showDocument"]
    states = [parse_qs(urlsplit(url).query)["state"][0] for url in shown]
    states.append(parse_qs(urlsplit(landed).query)["state"][0])
    for state in states:
        assert state not in log
    for name in ("code_verifier", "client_secret", "refresh_token", "access_token"):
        assert not re.search(name + r"=(?!<secret>)\w", log), name
    for path in stored:
        data = path.read_text(errors="replace")
        if client.client_secret in data or any(t in data for t in granted):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_disconnect_forgets_the_tokens_and_keeps_the_client_secret(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    jira = approving_jira
    instance_id, _client = oauth2_connected(agent, jira)
    agent.call("issuebridge/providers/disconnect", {"instanceId": instance_id}, timeout=20)
    assert agent.wait_for_stderr("Authorized applications")
    error = error_of(agent.call(FETCH, {"instanceId": instance_id}, timeout=30))
    assert error["code"] == -32002 and error["data"]["action"] == "authorize"
    # Only authorizing again is needed: the link's secret stayed.
    assert authorize_loopback(agent, instance_id)["result"]["instance"]["state"] == "connected"
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 1}, timeout=30)
