"""Network settings per instance: `providers/configure`'s `http` and `httpSecrets`,
stored with the instance, applied over the global settings to that instance only.
"""

import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jira_flows import CONFIGURE, FETCH, error_of
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator, SimulatorConfig

LIST = "issuebridge/providers/list"
INSECURE_WARNING = "TLS verification is OFF for"


@pytest.fixture
def other_jira() -> Iterator[JiraSimulator]:
    with JiraSimulator(SimulatorConfig(max_results_cap=50)) as sim:
        yield sim


def configure(
    agent: RawAgent,
    jira: JiraSimulator,
    http: dict[str, Any] | None = None,
    secrets: dict[str, str] | None = None,
    user: str = "alice",
) -> dict[str, Any]:
    params: dict[str, Any] = {
        "providerId": "jira-server",
        "authMethod": "token",
        "fields": {"baseUrl": jira.base_url, "token": jira.user(user).pat},
    }
    if http is not None:
        params["http"] = http
    if secrets is not None:
        params["httpSecrets"] = secrets
    return agent.call(CONFIGURE, params, timeout=30)


def instance_of(reply: dict[str, Any]) -> dict[str, Any]:
    assert "result" in reply, reply
    instance: dict[str, Any] = reply["result"]["instance"]
    return instance


def listed(agent: RawAgent) -> dict[str, dict[str, Any]]:
    providers = agent.call(LIST, {})["result"]["providers"]
    return {i["baseUrl"]: i for p in providers for i in p["instances"]}


def stored_config(home: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((home / "config.json").read_text())
    return data


def test_per_instance_timeouts_differ_between_two_instances_and_persist(
    agent: RawAgent, jira: JiraSimulator, other_jira: JiraSimulator, home: Path
) -> None:
    short = instance_of(configure(agent, jira, http={"timeoutSeconds": 1}))["instanceId"]
    default = instance_of(configure(agent, other_jira))["instanceId"]
    stored = stored_config(home)["instances"]
    assert stored[short]["http"] == {"timeoutSeconds": 1}
    assert "http" not in stored[default]

    for sim in (jira, other_jira):
        sim.faults.slow_response(3, match="/search")
    error = error_of(agent.call(FETCH, {"instanceId": short}, timeout=30))
    assert "did not answer within 1 second." in error["message"]
    # The other instance keeps the global timeout (20 s): the same slow answer arrives.
    assert "result" in agent.call(FETCH, {"instanceId": default, "limit": 5}, timeout=30)

    # A new agent (the editor restarted) reads the instance's own setting back.
    again = RawAgent(agent_env(home))
    try:
        again.initialize(options={"http": {"timeoutSeconds": 20}})
        jira.faults.slow_response(3, match="/search")
        error = error_of(again.call(FETCH, {"instanceId": short}, timeout=30))
        assert "did not answer within 1 second." in error["message"]
    finally:
        again.kill()


def test_reconfiguring_without_http_replaces_the_instance_settings(
    agent: RawAgent, jira: JiraSimulator, home: Path
) -> None:
    instance_id = instance_of(configure(agent, jira, http={"timeoutSeconds": 1}))["instanceId"]
    instance_of(configure(agent, jira))  # the same base URL: a new configuration
    assert "http" not in stored_config(home)["instances"][instance_id]
    jira.faults.slow_response(3, match="/search")
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5}, timeout=30)


def test_the_listed_instance_shows_its_own_settings_and_never_their_secrets(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    """What a client fills in again when the user reconnects."""
    http = {"timeoutSeconds": 15, "proxy": "http://someone@proxy.invalid:3128"}
    secrets = {"proxyPassword": "proxy-pw-Vb3n8Rt5"}
    configured = instance_of(configure(agent, jira, http=http, secrets=secrets))
    assert configured["http"] == http
    again = listed(agent)[jira.base_url]
    assert again["http"] == http
    assert "proxy-pw-Vb3n8Rt5" not in json.dumps(again)
    # Configured again without its own settings: it has none, and says so.
    assert "http" not in instance_of(configure(agent, jira))


def test_a_global_settings_change_takes_effect_on_the_next_request(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = instance_of(configure(agent, jira))["instanceId"]
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5})
    agent.notify("workspace/didChangeConfiguration", {"settings": {"http": {"timeoutSeconds": 1}}})
    jira.faults.slow_response(3, match="/search")
    params = {"instanceId": instance_id, "limit": 5, "fresh": True}
    error = error_of(agent.call(FETCH, params, timeout=30))
    assert "did not answer within 1 second." in error["message"]


def test_http_secrets_are_kept_in_the_secret_store_only(home: Path, jira: JiraSimulator) -> None:
    agent = RawAgent(agent_env(home, ISSUEBRIDGE_LOG="debug"))
    password, passphrase = "proxy-pw-Zk4u9wQ2", "key-passphrase-Hq7c1Lm8"
    secrets = {"proxyPassword": password, "clientKeyPassphrase": passphrase}
    try:
        agent.initialize()
        reply = configure(agent, jira, http={"timeoutSeconds": 15}, secrets=secrets)
        instance_id = instance_of(reply)["instanceId"]
        assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5})
        files = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
        holding = [p for p, data in files.items() if password.encode() in data]
        assert holding, "the proxy password should be stored"
        for path in holding:
            assert passphrase.encode() in files[path]
            assert path.name == "secrets.json", path
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        config = (home / "config.json").read_bytes()
        assert password.encode() not in config and passphrase.encode() not in config

        # Configured again without them: the new configuration has none.
        instance_of(configure(agent, jira))
        data = b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
        assert password.encode() not in data and passphrase.encode() not in data
    finally:
        agent.kill()
    wire = bytes(agent.raw_stdout).decode("utf-8")
    log = agent.stderr_text()
    assert "DEBUG" in log
    for secret in (password, passphrase):
        assert secret not in wire and secret not in log


def test_insecure_skip_verify_is_shown_and_warned_about_at_each_start(
    agent: RawAgent, jira: JiraSimulator, home: Path, tmp_path: Path
) -> None:
    with (
        JiraSimulator(SimulatorConfig(https=True)) as unverified,
        JiraSimulator(SimulatorConfig(https=True)) as verified,
    ):
        reply = configure(agent, unverified, http={"insecureSkipVerify": True})
        instance = instance_of(reply)
        assert instance["insecure"] is True
        assert INSECURE_WARNING in agent.stderr_text()
        assert any(
            m.get("method") == "window/showMessage" and INSECURE_WARNING in m["params"]["message"]
            for m in agent.messages
        )
        # Only that instance: another server with a certificate of an unknown CA is
        # still refused, and a plain one is not marked.
        error = error_of(configure(agent, verified))
        assert error["code"] == -32003 and error["data"]["tls"] is True
        instance_of(configure(agent, jira))
        shown = listed(agent)
        assert shown[unverified.base_url]["insecure"] is True
        assert shown[jira.base_url].get("insecure", False) is False
        assert "result" in agent.call(FETCH, {"instanceId": instance["instanceId"], "limit": 5})

        # Every start warns again, naming the instance.
        again = RawAgent(agent_env(home))
        try:
            again.initialize()
            log = again.wait_for_stderr(INSECURE_WARNING)
        finally:
            again.kill()
        warning = next(line for line in log.splitlines() if INSECURE_WARNING in line)
        assert "WARNING" in warning
        assert unverified.base_url in warning and instance["instanceId"] in warning


@pytest.mark.parametrize(
    "options",
    [
        {"http": {"insecureSkipVerify": True}},
        {"issuebridge": {"http": {"insecureSkipVerify": True}}},
    ],
)
def test_insecure_skip_verify_is_refused_in_the_global_settings(
    raw_agent: RawAgent, options: dict[str, Any]
) -> None:
    reply = raw_agent.call("initialize", {"capabilities": {}, "initializationOptions": options})
    error = error_of(reply)
    assert error["code"] == -32602
    assert error["data"]["field"] == "initializationOptions.http.insecureSkipVerify"
    assert "per instance" in error["message"] or "one instance" in error["message"]


def test_insecure_skip_verify_is_refused_in_changed_settings(agent: RawAgent) -> None:
    settings = {"settings": {"http": {"insecureSkipVerify": True}}}
    agent.notify("workspace/didChangeConfiguration", settings)
    shown = agent.wait_for(
        lambda m: (
            m.get("method") == "window/showMessage"
            and "settings.http.insecureSkipVerify" in m["params"]["message"]
        )
    )
    assert shown["params"]["type"] == 1  # an error


@pytest.mark.parametrize(
    ("http", "field"),
    [
        ({"timeoutSeconds": -1}, "http.timeoutSeconds"),
        ({"insecureSkipVerify": "yes"}, "http.insecureSkipVerify"),
        ({"proxy": "http://me:hunter2@proxy.example:3128"}, "http.proxy"),
        ({"operationTimeoutSeconds": 0}, "http.operationTimeoutSeconds"),
    ],
)
def test_malformed_instance_http_settings_name_the_field(
    agent: RawAgent, jira: JiraSimulator, http: dict[str, Any], field: str
) -> None:
    jira.request_log.clear()
    error = error_of(configure(agent, jira, http=http))
    assert (error["code"], error["data"]["field"]) == (-32602, field)
    assert "hunter2" not in json.dumps(error)
    assert list(jira.request_log) == []  # refused before anything was sent
