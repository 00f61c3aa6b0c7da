"""Each failure of the token path answers its contract code and a message to act on."""

import socket
from pathlib import Path
from typing import Any

import pytest
from jira_flows import FETCH, configure_token, connect, error_of
from wire import RawAgent, agent_env

from agent.retry import ATTEMPTS
from simulators.jira_server import JiraSimulator, SimulatorConfig


def _configure(
    agent: RawAgent, fields: dict[str, Any], method: str = "token", provider: str = "jira-server"
) -> dict[str, Any]:
    return agent.call(
        "issuebridge/providers/configure",
        {"providerId": provider, "authMethod": method, "fields": fields},
        timeout=20,
    )


@pytest.mark.parametrize(
    ("base_url", "words"),
    [
        ("jira.example.com", "https://"),
        ("ftp://jira.example.com", "http and https"),
        ("https://alice:pw@jira.example.com", "user name or password"),
        ("https://jira.example.com/?os_username=x", "query"),
        ("   ", "required"),
        ("https://", "host"),
    ],
)
def test_unusable_base_urls_are_invalid_params(agent: RawAgent, base_url: str, words: str) -> None:
    error = error_of(_configure(agent, {"baseUrl": base_url, "token": "t" * 44}))
    assert error["code"] == -32602
    assert error["data"]["field"] == "fields.baseUrl"
    assert words in error["message"] + error["data"].get("hint", "")


def test_missing_token_unknown_provider_and_method(agent: RawAgent) -> None:
    error = error_of(_configure(agent, {"baseUrl": "https://jira.example.com"}))
    assert (error["code"], error["data"]["field"]) == (-32602, "fields.token")
    error = error_of(_configure(agent, {"baseUrl": "https://x"}, provider="no-such-tracker"))
    assert (error["code"], error["data"]["field"]) == (-32602, "providerId")
    assert "jira-server" in error["message"]
    error = error_of(_configure(agent, {"baseUrl": "https://x"}, method="password"))
    assert (error["code"], error["data"]["field"]) == (-32602, "authMethod")


def test_nothing_listening_is_unreachable(agent: RawAgent) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connection refused
        error = error_of(
            _configure(agent, {"baseUrl": f"http://127.0.0.1:{port}/jira", "token": "t" * 44})
        )
    assert error["code"] == -32003
    assert error["data"]["kind"] == "unreachable"
    assert f"127.0.0.1:{port}" in error["message"] and error["data"]["hint"]


def test_an_unresolvable_host_is_unreachable(agent: RawAgent) -> None:
    error = error_of(_configure(agent, {"baseUrl": "https://jira.invalid", "token": "t" * 44}))
    assert error["code"] == -32003
    assert "jira.invalid" in error["message"]


def test_jira_before_8_14_refuses_tokens_with_a_hint_to_use_oauth(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    jira.set_version("8.5.0")
    error = error_of(configure_token(agent, jira.base_url, jira.user("alice").pat))
    assert error["code"] == -32005
    assert error["data"]["serverVersion"] == "8.5.0"
    assert "OAuth" in error["data"]["hint"]


def test_a_url_without_the_context_path_is_not_a_jira(agent: RawAgent, jira: JiraSimulator) -> None:
    root = jira.base_url.removesuffix("/jira")
    error = error_of(configure_token(agent, root, jira.user("alice").pat))
    assert error["code"] == -32005
    assert "context path" in error["data"]["hint"]


def test_a_wrong_token_fails_authentication(agent: RawAgent, jira: JiraSimulator) -> None:
    error = error_of(configure_token(agent, jira.base_url, "wrong-token-0123456789abcdefghijkl"))
    assert error["code"] == -32001
    assert error["data"]["httpStatus"] == 401
    assert error["data"]["loginReason"] == "AUTHENTICATED_FAILED"
    assert "Personal Access Tokens" in error["data"]["hint"]
    assert error["data"]["action"] == "configure"
    assert agent.call("issuebridge/providers/list", {})["result"]["providers"][0]["instances"] == []


@pytest.mark.parametrize(
    ("inject", "code", "words"),
    [
        (lambda f: f.html_502(ATTEMPTS, match="/search"), -32004, "502"),
        (lambda f: f.non_json_200(match="/search"), -32004, "not JSON"),
        (lambda f: f.drop_connection(ATTEMPTS, match="/search"), -32003, "connection"),
    ],
)
def test_broken_answers_are_explained(
    agent: RawAgent, jira: JiraSimulator, inject: Any, code: int, words: str
) -> None:
    instance_id = connect(agent, jira)
    inject(jira.faults)
    error = error_of(agent.call(FETCH, {"instanceId": instance_id}, timeout=20))
    assert error["code"] == code
    assert words in error["message"]
    # The next fetch works: one bad answer does not break the instance.
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5}, timeout=20)


def test_a_response_slower_than_the_timeout_is_unreachable(
    raw_agent: RawAgent, jira: JiraSimulator
) -> None:
    raw_agent.initialize(options={"http": {"timeoutSeconds": 1}})
    instance_id = connect(raw_agent, jira)
    jira.faults.slow_response(3, match="/search")
    error = error_of(raw_agent.call(FETCH, {"instanceId": instance_id}, timeout=20))
    assert error["code"] == -32003
    assert "did not answer within 1 second." in error["message"]
    assert "timeout" in error["data"]["hint"] and error["data"]["action"] == "retry"


def test_rate_limiting_is_waited_out_then_reported(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connect(agent, jira)
    jira.faults.rate_limit(2, retry_after=1, match="/search")
    reply = agent.call(FETCH, {"instanceId": instance_id, "limit": 20}, timeout=20)
    assert len(reply["result"]["issues"]) == 20
    jira.faults.rate_limit(50, retry_after=1, match="/search")
    error = error_of(agent.call(FETCH, {"instanceId": instance_id, "limit": 20}, timeout=30))
    assert error["code"] == -32006
    assert error["data"]["retryAfterSeconds"] == 1


def test_tls_with_an_unknown_ca_is_unreachable_with_a_hint(tmp_path: Path) -> None:
    with JiraSimulator(SimulatorConfig(https=True)) as jira:
        home = tmp_path / "home"
        home.mkdir()
        agent = RawAgent(agent_env(home))
        try:
            agent.initialize()
            error = error_of(configure_token(agent, jira.base_url, jira.user("alice").pat))
            assert error["code"] == -32003
            assert error["data"]["tls"] is True
            assert error["data"]["action"] == "setCaBundle"
            assert "CA bundle" in error["data"]["hint"]
        finally:
            agent.kill()
        # With the company's CA configured, the same server is trusted.
        trusting = RawAgent(agent_env(home))
        try:
            trusting.initialize(options={"http": {"caBundle": str(jira.ca_cert_path)}})
            reply = configure_token(trusting, jira.base_url, jira.user("alice").pat)
            assert reply["result"]["instance"]["state"] == "connected"
            assert reply["result"]["instance"]["baseUrl"].startswith("https://")
        finally:
            trusting.kill()


def test_a_server_that_refuses_anonymous_requests_is_asked_with_the_token(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    jira.config.anonymous_access = False
    reply = configure_token(agent, jira.base_url, jira.user("alice").pat)
    assert reply["result"]["instance"]["serverVersion"] == "9.12.0"
    error = error_of(configure_token(agent, jira.base_url, "wrong-token-0123456789abcdefghijkl"))
    assert error["code"] == -32001 and error["data"]["loginReason"] == "AUTHENTICATED_FAILED"
