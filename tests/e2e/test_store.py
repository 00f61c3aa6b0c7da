"""Configuration that survives: kill -9, two agents at once, a corrupt file,
secret file permissions, and the OS keyring."""

import json
import os
import random
import signal
import stat
import time
from pathlib import Path
from typing import Any

from jira_flows import configure_token, connect, error_of
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator

LIST = "issuebridge/providers/list"


def _instances(agent: RawAgent) -> list[dict[str, Any]]:
    instances = agent.call(LIST, {})["result"]["providers"][0]["instances"]
    assert isinstance(instances, list)
    return instances


def test_kill_9_during_configure_leaves_a_readable_configuration(
    home: Path, jira: JiraSimulator
) -> None:
    rng = random.Random(7)
    token = jira.user("alice").pat
    agent = RawAgent(agent_env(home))
    agent.initialize()
    for attempt in range(8):
        for n in range(6):  # a burst of configures, each rewriting config and secrets
            agent.request(
                "issuebridge/providers/configure",
                {
                    "providerId": "jira-server",
                    "authMethod": "token",
                    # The same instance each time (trailing slashes are dropped).
                    "fields": {"baseUrl": jira.base_url + "/" * n, "token": token},
                },
            )
        time.sleep(rng.uniform(0.05, 0.4))
        os.kill(agent.proc.pid, signal.SIGKILL)
        agent.proc.wait(5)
        # Whatever moment the kill hit, the files parse and a new agent reads them.
        config = home / "config.json"
        if config.exists():
            json.loads(config.read_text())
        secrets = home / "secrets" / "secrets.json"
        if secrets.exists():
            json.loads(secrets.read_text())
        fresh = RawAgent(agent_env(home))
        try:
            fresh.initialize()
            listed = _instances(fresh)
            assert all(i["state"] == "connected" for i in listed), (attempt, listed)
        except BaseException:
            fresh.kill()
            raise
        agent = fresh  # the next one killed: one agent start-up per attempt, not two
    agent.kill()
    assert not list(home.glob("config.json.corrupt-*"))


def test_two_agents_configuring_at_once_lose_nothing(home: Path) -> None:
    from simulators.jira_server import SimulatorConfig

    sims = [JiraSimulator(SimulatorConfig(context_path=f"/jira{n}")).start() for n in range(2)]
    agents = [RawAgent(agent_env(home)) for _ in range(2)]
    try:
        for agent in agents:
            agent.initialize()
        for _round in range(5):
            ids = [
                agent.request(
                    "issuebridge/providers/configure",
                    {
                        "providerId": "jira-server",
                        "authMethod": "token",
                        "fields": {"baseUrl": sim.base_url, "token": sim.user("bob").pat},
                    },
                )
                for agent, sim in zip(agents, sims, strict=True)
            ]
            for agent, msg_id in zip(agents, ids, strict=True):
                assert "result" in agent.response(msg_id, timeout=20)
        # Each agent sees both instances: the other's write was re-read, not overwritten.
        for agent in agents:
            assert sorted(i["baseUrl"] for i in _instances(agent)) == sorted(
                s.base_url for s in sims
            )
        data = json.loads((home / "config.json").read_text())
        assert len(data["instances"]) == 2
    finally:
        for agent in agents:
            agent.kill()
        for sim in sims:
            sim.stop()


def test_a_corrupt_configuration_is_reported_and_kept(home: Path, jira: JiraSimulator) -> None:
    (home / "config.json").write_text('{"version": 1, "instances": {"x": ', encoding="utf-8")
    agent = RawAgent(agent_env(home))
    try:
        agent.initialize()
        assert _instances(agent) == []
        shown = agent.wait_for(lambda m: m.get("method") == "window/showMessage")
        assert shown["params"]["type"] == 1
        kept = list(home.glob("config.json.corrupt-*"))
        assert len(kept) == 1 and str(kept[0]) in shown["params"]["message"]
        assert kept[0].read_text() == '{"version": 1, "instances": {"x": '
        # The agent goes on and can be configured again.
        assert connect(agent, jira)
    finally:
        agent.kill()


def test_a_configuration_from_a_newer_version_is_not_overwritten(home: Path) -> None:
    (home / "config.json").write_text('{"version": 99, "instances": {}}', encoding="utf-8")
    agent = RawAgent(agent_env(home))
    try:
        agent.initialize()
        _instances(agent)
        kept = list(home.glob("config.json.corrupt-*"))
        assert kept and '"version": 99' in kept[0].read_text()
    finally:
        agent.kill()


def test_secret_files_are_private_and_looser_ones_are_refused(
    agent: RawAgent, jira: JiraSimulator, home: Path
) -> None:
    connect(agent, jira)
    secrets_dir, secrets_file = home / "secrets", home / "secrets" / "secrets.json"
    assert stat.S_IMODE(secrets_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "config.json").stat().st_mode) == 0o600
    secrets_file.chmod(0o644)
    error = error_of(configure_token(agent, jira.base_url, jira.user("bob").pat))
    assert "other users" in error["message"] and "chmod 600" in error["data"]["hint"]
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o644  # not silently "fixed"


def test_secrets_can_live_in_a_keyring(home: Path, jira: JiraSimulator, tmp_path: Path) -> None:
    keyring_dir = tmp_path / "keyring"
    env = agent_env(
        home,
        ISSUEBRIDGE_SECRET_STORE="keyring",
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        XDG_DATA_HOME=str(keyring_dir),
    )
    agent = RawAgent(env)
    try:
        agent.initialize()
        instance_id = connect(agent, jira)
        assert "result" in agent.call(
            "issuebridge/issues/fetch", {"instanceId": instance_id, "limit": 5}
        )
        token = jira.user("alice").pat
        assert not (home / "secrets" / "secrets.json").exists()
        stored = b"".join(p.read_bytes() for p in keyring_dir.rglob("*") if p.is_file())
        assert stored  # the keyring backend holds it
        assert token.encode() not in b"".join(
            p.read_bytes() for p in home.rglob("*") if p.is_file()
        )
        agent.call("issuebridge/providers/disconnect", {"instanceId": instance_id, "forget": True})
        index = json.loads((home / "secrets" / "keyring-index.json").read_text())
        assert index == []
    finally:
        agent.kill()
