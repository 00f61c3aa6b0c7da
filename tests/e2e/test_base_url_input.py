"""What a user types (or pastes by mistake) into the base URL field: classified as
`-32602` on `fields.baseUrl`, never echoed when it could be a secret, and warned
about when it would send credentials unencrypted."""

import json
from pathlib import Path
from typing import Any

import pytest
from hostile import HostileServer, ProxyLog, forwarding_proxy
from jira_flows import CONFIGURE, configure_token, error_of
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator

# Shaped like Jira personal access tokens: base64 of "<id>:<random>", 44 characters.
PATS = [
    "NjQ5OTg3MzIxNTk0OsZ1bBzA8vUd3aXq0hKk7Rr2yTtW",
    "MjA0ODU5NDc3NjMxOk+3vQ/xYz9KpL2mN8rT5wB1cD4e",
]


def _configure(agent: RawAgent, base_url: str) -> dict[str, Any]:
    fields = {"baseUrl": base_url, "token": "t" * 44}
    return agent.call(
        CONFIGURE,
        {"providerId": "jira-server", "authMethod": "token", "fields": fields},
        timeout=20,
    )


def _assert_invalid_base_url(error: dict[str, Any]) -> None:
    assert error["code"] == -32602, error
    assert error["data"]["field"] == "fields.baseUrl"
    assert error["data"]["action"] == "configure"


# --- 4. base URLs that used to end in -32603 -----------------------------------------


@pytest.mark.parametrize(
    "base_url",
    [
        "https://jira.example.com/\x00/jira",
        "https://jira\x00.example.com",
        "https://🦄.example.com",
        "https://jira.example.com/" + "a" * (66 * 1024),
        "https://exa mple.com",
        "https://jira%2eexample.com",
    ],
    ids=[
        "nul-in-path",
        "nul-in-host",
        "emoji-host",
        "over-64-KiB",
        "space-in-host",
        "percent-host",
    ],
)
def test_unusable_base_urls_are_invalid_params_not_internal_errors(
    agent: RawAgent, base_url: str
) -> None:
    error = error_of(_configure(agent, base_url))
    _assert_invalid_base_url(error)
    assert len(json.dumps(error)) < 2000  # the value is not quoted back


def test_an_idn_host_is_sent_punycode_encoded(agent: RawAgent) -> None:
    error = error_of(_configure(agent, "https://Bücher.invalid/jira"))
    assert error["code"] == -32003
    assert "xn--bcher-kva.invalid" in error["message"]


# --- 5. a token pasted into the base URL field ----------------------------------------


@pytest.mark.parametrize(
    "shape",
    ["{}", "https://{}", "https://{}/jira", "http://{}:8080", " {} ", "https://example.com/{}"],
)
@pytest.mark.parametrize("pat", PATS)
def test_a_token_pasted_as_base_url_is_never_echoed(agent: RawAgent, shape: str, pat: str) -> None:
    error = error_of(_configure(agent, shape.format(pat)))
    _assert_invalid_base_url(error)
    everything = (bytes(agent.raw_stdout) + bytes(agent.stderr)).decode("utf-8", "replace")
    for part in (pat, pat.lower(), pat[:20], pat[-20:]):
        assert part not in everything and part.lower() not in everything.lower()


# --- 8. the examples in hints are valid URLs -----------------------------------------


def test_a_hint_never_builds_an_invalid_example(agent: RawAgent) -> None:
    error = error_of(_configure(agent, "not a url"))
    _assert_invalid_base_url(error)
    assert "not a url" not in error["message"] + error["data"]["hint"]
    assert "https://jira.example.com" in error["data"]["hint"]
    # A host name without a scheme still gets the helpful suggestion.
    error = error_of(_configure(agent, "jira.example.com/jira"))
    assert "https://jira.example.com/jira" in error["data"]["hint"]


# --- 6. http:// through a proxy --------------------------------------------------------


def _warnings(agent: RawAgent) -> list[str]:
    return [
        str(m["params"]["message"])
        for m in agent.messages
        if m.get("method") == "window/showMessage" and m["params"]["type"] == 2
    ]


def test_http_through_a_proxy_warns_that_the_token_travels_unencrypted(
    home: Path, jira: JiraSimulator
) -> None:
    log = ProxyLog()
    with HostileServer(forwarding_proxy(log)) as proxy:
        # The simulator is on loopback, which is never proxied but with this test hook.
        env = agent_env(
            home,
            HTTP_PROXY=proxy.base_url,
            NO_PROXY="",
            no_proxy="",
            ISSUEBRIDGE_TEST_PROXY_LOOPBACK="1",
        )
        env.pop("http_proxy", None)
        agent = RawAgent(env)
        try:
            agent.initialize()
            reply = configure_token(agent, jira.base_url, jira.user("alice").pat)
            assert reply["result"]["instance"]["state"] == "connected", reply
            warning = agent.wait_for(
                lambda m: m.get("method") == "window/showMessage" and m["params"]["type"] == 2
            )["params"]["message"]
            assert "unencrypted" in warning and f"127.0.0.1:{proxy.port}" in warning
            assert "unencrypted" in agent.wait_for_stderr("unencrypted")
            assert any(r.headers.get("authorization") for r in log.seen)  # what it warns of
        finally:
            agent.kill()


def test_http_to_this_machine_without_a_proxy_does_not_warn(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    reply = configure_token(agent, jira.base_url, jira.user("alice").pat)
    assert reply["result"]["instance"]["state"] == "connected"
    assert _warnings(agent) == []


def test_http_to_another_host_warns(agent: RawAgent) -> None:
    error_of(_configure(agent, "http://jira.invalid"))
    assert any("unencrypted" in text for text in _warnings(agent))
