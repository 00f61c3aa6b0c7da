"""Proxies, end to end: the agent (a subprocess over stdio) reaches the simulator
through a real tinyproxy on loopback, which logs what it was asked to do.

The simulator listens on 127.0.0.1 only, and the agent never proxies loopback. So the
tests that go through the proxy set ISSUEBRIDGE_TEST_PROXY_LOOPBACK=1 (a test hook:
agent/testing_hooks.py), which lifts that one exemption and nothing else; the proxy
choice, the CONNECT tunnel, the proxy's authentication and its 407 are all real.
The first test shows the exemption itself, without the hook.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jira_flows import FETCH, configure_with_http, error_of
from tinyproxy import MISSING, SKIP, Tinyproxy
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator, SimulatorConfig

pytestmark = pytest.mark.skipif(SKIP, reason=MISSING)

PROXY_USER = "proxyuser"
PROXY_PASSWORD = "tiny-proxy-pass-4821"
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def _agent(home: Path, *, proxy_loopback: bool = True, **env: str) -> RawAgent:
    """An agent whose environment has exactly the given proxy variables."""
    environment = agent_env(home)
    for name in [*_PROXY_VARIABLES, *(n.upper() for n in _PROXY_VARIABLES)]:
        environment.pop(name, None)
    if proxy_loopback:
        environment["ISSUEBRIDGE_TEST_PROXY_LOOPBACK"] = "1"
    environment.update(env)
    return RawAgent(environment)


@pytest.fixture
def agents() -> Iterator[list[RawAgent]]:
    started: list[RawAgent] = []
    yield started
    for agent in started:
        agent.kill()


@pytest.fixture
def tinyproxy(tmp_path: Path) -> Iterator[Tinyproxy]:
    with Tinyproxy(tmp_path / "tinyproxy") as proxy:
        yield proxy


@pytest.fixture
def tinyproxy_with_auth(tmp_path: Path) -> Iterator[Tinyproxy]:
    with Tinyproxy(tmp_path / "tinyproxy-auth", (PROXY_USER, PROXY_PASSWORD)) as proxy:
        yield proxy


@pytest.fixture
def https_jira() -> Iterator[JiraSimulator]:
    with JiraSimulator(SimulatorConfig(https=True, max_results_cap=50)) as sim:
        yield sim


def _http_options(jira: JiraSimulator, **http: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {"timeoutSeconds": 20, **http}
    if jira.ca_cert_path:
        settings["caBundle"] = str(jira.ca_cert_path)
    return {"http": settings}


def _connected(reply: dict[str, Any]) -> str:
    assert "result" in reply, reply
    assert reply["result"]["instance"]["state"] == "connected", reply
    return str(reply["result"]["instance"]["instanceId"])


def _stored_files_text(home: Path) -> str:
    return "\n".join(
        path.read_text(errors="replace")
        for path in home.rglob("*")
        if path.is_file() and "secret" not in path.name.lower()
    )


# --- loopback is never proxied -----------------------------------------------------


def test_loopback_is_never_proxied_by_default_whatever_the_environment_says(
    home: Path, jira: JiraSimulator, tinyproxy: Tinyproxy, agents: list[RawAgent]
) -> None:
    agent = _agent(
        home,
        proxy_loopback=False,
        HTTP_PROXY=tinyproxy.url,
        HTTPS_PROXY=tinyproxy.url,
        ALL_PROXY=tinyproxy.url,
    )
    agents.append(agent)
    # The setting too: loopback is exempt from every proxy.
    agent.initialize(options=_http_options(jira, proxy=tinyproxy.url))
    instance_id = _connected(configure_with_http(agent, jira))
    assert "result" in agent.call(FETCH, {"instanceId": instance_id}, timeout=30)
    assert jira.request_log, "the simulator was reached"
    assert tinyproxy.requests() == []


# --- through the proxy ---------------------------------------------------------------


def test_http_requests_go_through_the_proxy_setting(
    home: Path, jira: JiraSimulator, tinyproxy: Tinyproxy, agents: list[RawAgent]
) -> None:
    agent = _agent(home)
    agents.append(agent)
    agent.initialize(options=_http_options(jira, proxy=tinyproxy.url))
    instance_id = _connected(configure_with_http(agent, jira))
    reply = agent.call(FETCH, {"instanceId": instance_id}, timeout=30)
    assert reply["result"]["issues"], reply
    forwarded = [line for line in tinyproxy.requests() if " http://" in line]
    assert any(f"127.0.0.1:{jira.port}/jira/rest/api/2/search" in line for line in forwarded)
    # The proxy said so in the warning: the token travels in clear through it.
    warnings = [m for m in agent.messages if m.get("method") == "window/showMessage"]
    assert any(tinyproxy.address in m["params"]["message"] for m in warnings)


def test_https_goes_through_the_proxy_in_a_connect_tunnel(
    home: Path, https_jira: JiraSimulator, tinyproxy: Tinyproxy, agents: list[RawAgent]
) -> None:
    agent = _agent(home)
    agents.append(agent)
    agent.initialize(options=_http_options(https_jira, proxy=tinyproxy.url))
    instance_id = _connected(configure_with_http(agent, https_jira))
    assert agent.call(FETCH, {"instanceId": instance_id}, timeout=30)["result"]["issues"]
    assert f"CONNECT 127.0.0.1:{https_jira.port} HTTP/1.1" in tinyproxy.requests()
    # Inside the tunnel it is TLS end to end: the proxy never saw a path.
    assert not any("/rest/api" in line for line in tinyproxy.requests())


def test_the_https_proxy_variable_is_used_for_https(
    home: Path, https_jira: JiraSimulator, tinyproxy: Tinyproxy, agents: list[RawAgent]
) -> None:
    agent = _agent(home, HTTPS_PROXY=tinyproxy.url)
    agents.append(agent)
    agent.initialize(options=_http_options(https_jira))
    _connected(configure_with_http(agent, https_jira))
    assert f"CONNECT 127.0.0.1:{https_jira.port} HTTP/1.1" in tinyproxy.requests()


def test_no_proxy_is_honoured(
    home: Path, https_jira: JiraSimulator, tinyproxy: Tinyproxy, agents: list[RawAgent]
) -> None:
    agent = _agent(home, HTTPS_PROXY=tinyproxy.url, NO_PROXY="jira.example.com,127.0.0.0/8")
    agents.append(agent)
    agent.initialize(options=_http_options(https_jira))
    _connected(configure_with_http(agent, https_jira))
    assert https_jira.request_log
    assert tinyproxy.requests() == []


# --- the proxy's credentials ----------------------------------------------------------


def test_proxy_credentials_with_the_password_as_a_secret(
    home: Path,
    https_jira: JiraSimulator,
    tinyproxy_with_auth: Tinyproxy,
    agents: list[RawAgent],
) -> None:
    proxy = tinyproxy_with_auth
    agent = _agent(home, ISSUEBRIDGE_LOG="debug")
    agents.append(agent)
    agent.initialize(options=_http_options(https_jira))
    reply = configure_with_http(
        agent,
        https_jira,
        http={"proxy": f"http://{PROXY_USER}@{proxy.address}"},
        secrets={"proxyPassword": PROXY_PASSWORD},
    )
    instance_id = _connected(reply)
    assert agent.call(FETCH, {"instanceId": instance_id}, timeout=30)["result"]["issues"]
    assert f"CONNECT 127.0.0.1:{https_jira.port} HTTP/1.1" in proxy.requests()
    # The proxy's user is a setting; its password is only in the secret store.
    config = json.loads((home / "config.json").read_text())
    assert PROXY_USER in json.dumps(config)
    assert PROXY_PASSWORD not in _stored_files_text(home)
    assert PROXY_PASSWORD not in agent.stderr_text()
    assert PROXY_PASSWORD not in json.dumps(agent.messages)


def test_407_without_credentials_is_explained(
    home: Path, jira: JiraSimulator, tinyproxy_with_auth: Tinyproxy, agents: list[RawAgent]
) -> None:
    proxy = tinyproxy_with_auth
    agent = _agent(home)
    agents.append(agent)
    agent.initialize(options=_http_options(jira, proxy=proxy.url))
    error = error_of(configure_with_http(agent, jira))
    assert error["code"] == -32003 and error["data"]["kind"] == "unreachable", error
    assert proxy.address in error["message"] and "407" in error["message"]
    assert "asks for a user name and password" in error["message"]
    assert "httpSecrets.proxyPassword" in error["data"]["hint"]
    assert error["data"]["action"] == "configure"
    assert not error["data"].get("tls")
    assert any(line.startswith("GET http://") for line in proxy.requests())


def test_407_without_credentials_on_connect_is_explained(
    home: Path,
    https_jira: JiraSimulator,
    tinyproxy_with_auth: Tinyproxy,
    agents: list[RawAgent],
) -> None:
    proxy = tinyproxy_with_auth
    agent = _agent(home)
    agents.append(agent)
    agent.initialize(options=_http_options(https_jira, proxy=proxy.url))
    error = error_of(configure_with_http(agent, https_jira))
    assert error["data"]["kind"] == "unreachable", error
    assert error["data"]["action"] == "configure"
    assert "asks for a user name and password, and none is set" in error["message"]
    assert "407 Proxy Authentication Required" in error["message"]
    assert f"CONNECT 127.0.0.1:{https_jira.port} HTTP/1.1" in proxy.requests()
    assert not https_jira.request_log


def test_a_wrong_proxy_password_on_connect_is_explained_without_the_password(
    home: Path,
    https_jira: JiraSimulator,
    tinyproxy_with_auth: Tinyproxy,
    agents: list[RawAgent],
) -> None:
    proxy = tinyproxy_with_auth
    wrong = "not-the-proxy-password-77"
    agent = _agent(home, ISSUEBRIDGE_LOG="debug")
    agents.append(agent)
    agent.initialize(options=_http_options(https_jira))
    reply = configure_with_http(
        agent,
        https_jira,
        http={"proxy": f"http://{PROXY_USER}@{proxy.address}"},
        secrets={"proxyPassword": wrong},
    )
    error = error_of(reply)
    assert error["data"]["kind"] == "unreachable", error
    assert f"refused the user name and password of {PROXY_USER!r}" in error["message"]
    # tinyproxy answers wrong credentials with 401 rather than 407: to a CONNECT, it
    # can only be the proxy's.
    assert proxy.address in error["message"] and "401 Unauthorized" in error["message"]
    assert error["data"]["action"] == "configure"
    assert f"CONNECT 127.0.0.1:{https_jira.port} HTTP/1.1" in proxy.requests()
    assert wrong not in json.dumps(agent.messages)
    assert wrong not in agent.stderr_text()
    assert wrong not in _stored_files_text(home)


def test_a_proxy_url_with_a_password_in_the_settings_is_refused(
    home: Path, jira: JiraSimulator, agents: list[RawAgent]
) -> None:
    agent = _agent(home)
    agents.append(agent)
    reply = agent.call(
        "initialize",
        {
            "processId": None,
            "capabilities": {},
            "initializationOptions": {"http": {"proxy": "http://bob:hunter2-pass@proxy:3128"}},
        },
    )
    error = error_of(reply)
    assert error["code"] == -32602
    assert error["data"]["field"] == "initializationOptions.http.proxy"
    assert "httpSecrets.proxyPassword" in error["message"]
    assert "hunter2-pass" not in json.dumps(reply) and "hunter2-pass" not in agent.stderr_text()


def test_a_proxy_that_is_down_is_named(
    home: Path, https_jira: JiraSimulator, tinyproxy: Tinyproxy, agents: list[RawAgent]
) -> None:
    address = tinyproxy.address
    tinyproxy.stop()
    agent = _agent(home)
    agents.append(agent)
    agent.initialize(options=_http_options(https_jira, proxy=f"http://{address}"))
    error = error_of(configure_with_http(agent, https_jira))
    assert error["data"]["kind"] == "unreachable"
    assert f"Could not connect to the proxy {address} (http.proxy)" in error["message"], error
