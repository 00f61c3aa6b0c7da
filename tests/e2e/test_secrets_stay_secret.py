"""A token never appears in the log, on the wire back to the editor, or in a
file that others can read, even when everything goes wrong."""

import stat
from pathlib import Path

from jira_flows import FETCH, configure_token, connect
from wire import RawAgent, agent_env

from agent.retry import ATTEMPTS
from simulators.jira_server import JiraSimulator


def test_tokens_stay_out_of_logs_responses_and_readable_files(
    home: Path, jira: JiraSimulator
) -> None:
    agent = RawAgent(agent_env(home, ISSUEBRIDGE_LOG="debug"))
    good = jira.user("alice").pat
    bad = "definitely-wrong-token-1234567890abcd"
    try:
        agent.initialize()
        instance_id = connect(agent, jira)
        agent.call(FETCH, {"instanceId": instance_id, "limit": 120}, timeout=30)
        configure_token(agent, jira.base_url, bad)  # authentication failure
        jira.faults.html_502(ATTEMPTS, match="/search")
        agent.call(FETCH, {"instanceId": instance_id})  # remote error
        agent.call("issuebridge/test/crash", {})  # internal error
        jira.revoke_pat(good)
        agent.call(FETCH, {"instanceId": instance_id})  # authentication failure mid-session
        agent.call("shutdown", None)
        agent.notify("exit")
        agent.wait_exit()
    finally:
        agent.kill()

    wire = bytes(agent.raw_stdout).decode("utf-8")
    log = agent.stderr_text()
    assert "DEBUG" in log  # the most talkative log level was on
    for secret in (good, bad):
        assert secret not in wire
        assert secret not in log
    # The token is stored, but only where no one else can read it.
    holding = [p for p in home.rglob("*") if p.is_file() and good.encode() in p.read_bytes()]
    assert holding, "the token should be stored somewhere"
    for path in holding:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700, path.parent
    assert bad.encode() not in b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
