"""When the server is away (the simulator stopped: "connection refused", as after a VPN
drop), `issues/fetch` answers the last result of the same query, kept on disk, marked
`stale` with its `fetchedAt`; `fresh: true` asks for the error instead. A network
failure never costs the instance its credentials or its connected state."""

import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from jira_flows import FETCH, connect, error_of
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator

UNREACHABLE = -32003
PROVIDERS_LIST = "issuebridge/providers/list"
DISCONNECT = "issuebridge/providers/disconnect"


def fetch(agent: RawAgent, instance_id: str, **params: Any) -> dict[str, Any]:
    return agent.call(FETCH, {"instanceId": instance_id, **params}, timeout=60)


def result_of(reply: dict[str, Any]) -> dict[str, Any]:
    assert "result" in reply, reply
    result = reply["result"]
    assert isinstance(result, dict)
    return result


def kept_files(home: Path) -> list[Path]:
    return sorted((home / "last-results").rglob("*.json"))


def instance_state(agent: RawAgent, instance_id: str) -> dict[str, Any]:
    providers = result_of(agent.call(PROVIDERS_LIST, {}))["providers"]
    found = [i for p in providers for i in p["instances"] if i["instanceId"] == instance_id]
    assert len(found) == 1, providers
    instance = found[0]
    assert isinstance(instance, dict)
    return instance


def test_the_stale_list_is_answered_after_the_simulator_stops_then_fresh_after_it_returns(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    before = datetime.now(UTC).replace(microsecond=0)
    fresh = result_of(fetch(agent, instance_id))
    assert "stale" not in fresh and "fetchedAt" not in fresh
    assert len(fresh["issues"]) > 50  # several pages: the whole list is kept

    jira.drop_network()
    stale = result_of(fetch(agent, instance_id))
    assert stale["stale"] is True
    assert stale["issues"] == fresh["issues"]
    assert stale["total"] == fresh["total"]
    fetched_at = datetime.fromisoformat(stale["fetchedAt"].replace("Z", "+00:00"))
    assert fetched_at.tzinfo is not None and fetched_at.utcoffset() == UTC.utcoffset(None)
    assert before <= fetched_at <= datetime.now(UTC)
    assert "Could not connect" in stale["staleReason"]

    jira.restore_network()
    again = result_of(fetch(agent, instance_id))
    assert "stale" not in again and "fetchedAt" not in again
    assert [i["key"] for i in again["issues"]] == [i["key"] for i in fresh["issues"]]


def test_fresh_true_gives_unreachable_even_with_a_kept_result(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    result_of(fetch(agent, instance_id))
    jira.drop_network()
    error = error_of(fetch(agent, instance_id, fresh=True))
    assert error["code"] == UNREACHABLE
    assert error["data"]["kind"] == "unreachable"


def test_without_a_kept_result_the_fetch_gives_unreachable(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    result_of(fetch(agent, instance_id, jql="project = ISB ORDER BY key"))
    jira.drop_network()
    # The default query was never fetched: nothing kept for it, whatever other queries kept.
    assert error_of(fetch(agent, instance_id))["code"] == UNREACHABLE
    assert error_of(fetch(agent, instance_id, jql="project = WEB"))["code"] == UNREACHABLE
    kept = result_of(fetch(agent, instance_id, jql="  project = ISB ORDER BY key "))
    assert kept["stale"] is True


def test_a_stale_answer_has_at_most_limit_issues(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connect(agent, jira)
    fresh = result_of(fetch(agent, instance_id, limit=120))
    jira.drop_network()
    stale = result_of(fetch(agent, instance_id, limit=7))
    assert stale["stale"] is True
    assert stale["issues"] == fresh["issues"][:7]
    assert stale["total"] == fresh["total"]


def test_a_network_failure_keeps_the_credentials_and_the_instance_connected(
    agent: RawAgent, jira: JiraSimulator, home: Path
) -> None:
    token = jira.user("alice").pat
    instance_id = connect(agent, jira)
    result_of(fetch(agent, instance_id))
    connected = instance_state(agent, instance_id)
    assert connected["state"] == "connected"

    jira.drop_network()
    assert result_of(fetch(agent, instance_id))["stale"] is True
    assert error_of(fetch(agent, instance_id, fresh=True))["code"] == UNREACHABLE
    assert error_of(fetch(agent, instance_id, jql="project = OPS"))["code"] == UNREACHABLE

    assert instance_state(agent, instance_id) == connected  # connected, no error, same user
    holding = [p for p in home.rglob("*") if p.is_file() and token.encode() in p.read_bytes()]
    assert holding, "the token is still stored"
    changes = [m for m in agent.messages if m.get("method") == "issuebridge/providers/didChange"]
    states = {i["state"] for m in changes for p in m["params"]["providers"] for i in p["instances"]}
    assert states <= {"connected"}, states

    jira.restore_network()
    again = result_of(fetch(agent, instance_id, fresh=True))  # the same credentials work
    assert "stale" not in again
    assert instance_state(agent, instance_id)["state"] == "connected"


def test_the_admin_network_switch_makes_the_fetch_stale_until_it_is_switched_back(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    fresh = result_of(fetch(agent, instance_id))
    httpx.put(f"{jira.base_url}/_sim/network", json={"down": True}, timeout=10).raise_for_status()
    stale = result_of(fetch(agent, instance_id))
    assert stale["stale"] is True and stale["issues"] == fresh["issues"]
    httpx.put(f"{jira.base_url}/_sim/network", json={"down": False}, timeout=10).raise_for_status()
    assert "stale" not in result_of(fetch(agent, instance_id))


def test_the_log_says_once_per_outage_that_a_stale_list_was_answered(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    result_of(fetch(agent, instance_id))

    def told() -> list[str]:
        return [
            m["params"]["message"]
            for m in agent.messages
            if m.get("method") == "window/logMessage" and "marked stale" in m["params"]["message"]
        ]

    jira.drop_network()
    for _ in range(3):
        assert result_of(fetch(agent, instance_id))["stale"] is True
    assert len(told()) == 1, told()
    assert jira.base_url in told()[0]
    jira.restore_network()
    result_of(fetch(agent, instance_id))
    jira.drop_network()
    result_of(fetch(agent, instance_id))
    assert len(told()) == 2, told()  # a new outage is told again


def test_the_kept_result_is_0600_and_holds_no_secret(home: Path, jira: JiraSimulator) -> None:
    token = jira.user("alice").pat
    agent = RawAgent(agent_env(home, ISSUEBRIDGE_LOG="debug"))
    try:
        agent.initialize()
        instance_id = connect(agent, jira)
        fresh = result_of(fetch(agent, instance_id))
        result_of(fetch(agent, instance_id, jql="project = DOC"))
    finally:
        agent.kill()
    files = kept_files(home)
    assert len(files) == 2, files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700, path.parent
        assert stat.S_IMODE((home / "last-results").stat().st_mode) == 0o700
        data = path.read_bytes()
        assert token.encode() not in data
        assert b"Bearer" not in data and b"password" not in data.lower()
    kept = [json.loads(p.read_bytes()) for p in files]
    assert any(k["issues"] == fresh["issues"] for k in kept)
    assert {k["instanceId"] for k in kept} == {instance_id}


def test_a_corrupt_kept_result_is_ignored_and_replaced(
    agent: RawAgent, jira: JiraSimulator, home: Path
) -> None:
    instance_id = connect(agent, jira)
    fresh = result_of(fetch(agent, instance_id))
    (path,) = kept_files(home)

    path.write_bytes(b'{"version": 1, "issues": [{"key": "ISB-1"')  # cut off mid-write
    jira.drop_network()
    assert error_of(fetch(agent, instance_id))["code"] == UNREACHABLE  # ignored: nothing kept
    jira.restore_network()

    path.write_bytes(b"\x00\xff not json at all")
    assert result_of(fetch(agent, instance_id))["issues"] == fresh["issues"]  # fetch works
    replaced = json.loads(path.read_bytes())  # and the file is whole again
    assert replaced["issues"] == fresh["issues"]
    jira.drop_network()
    assert result_of(fetch(agent, instance_id))["stale"] is True


def test_forgetting_the_instance_removes_its_kept_results(
    agent: RawAgent, jira: JiraSimulator, home: Path
) -> None:
    instance_id = connect(agent, jira)
    result_of(fetch(agent, instance_id))
    result_of(agent.call(DISCONNECT, {"instanceId": instance_id, "forget": False}))
    assert kept_files(home), "a disconnect without forget keeps them"
    instance_id = connect(agent, jira)
    result_of(agent.call(DISCONNECT, {"instanceId": instance_id, "forget": True}))
    assert kept_files(home) == []
    assert not (home / "last-results" / instance_id).exists()


def test_another_users_kept_list_is_never_answered(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connect(agent, jira, user="alice")
    result_of(fetch(agent, instance_id))
    assert connect(agent, jira, user="bob") == instance_id  # same server, bob's token now
    jira.drop_network()
    assert error_of(fetch(agent, instance_id))["code"] == UNREACHABLE
