"""The OAuth browser step in hostile and remote set-ups: the loopback listener takes
only the expected callback, a remote browser's callback comes back through the URI
the editor maps, the code or callback address can be pasted, an unfinished wait says
why, and no verifier or token reaches the log."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from jira_flows import (
    FETCH,
    authorize_loopback,
    error_of,
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


AUTHORIZE = "issuebridge/providers/authorize"
COMPLETE = "issuebridge/providers/completeAuthorization"
EXTERNAL_URI = "issuebridge/window/externalUri"
REMOTE = "https://editor.remote.invalid"
MAPS_URIS = {
    "window": {"showDocument": {"support": True}},
    "experimental": {"issuebridge": {"externalUri": True}},
}


@pytest.fixture
def remote(home: Path) -> Iterator[RawAgent]:
    """An agent driven by a client that maps local URIs (a remote editor)."""
    agent = RawAgent(agent_env(home))
    try:
        agent.initialize(capabilities=MAPS_URIS)
        yield agent
    finally:
        agent.kill()


def _authorize_asking_for_the_uri(
    agent: RawAgent, jira: JiraSimulator
) -> tuple[int, dict[str, Any]]:
    """Start a loopback authorize; return its id and the agent's externalUri request."""
    instance_id = oauth_instance(agent, jira)
    msg_id = agent.request(AUTHORIZE, {"instanceId": instance_id})
    return msg_id, _request_from_agent(agent, EXTERNAL_URI)


def _request_from_agent(agent: RawAgent, method: str) -> dict[str, Any]:
    return agent.wait_for(
        lambda m: m.get("method") == method and "id" in m and not m.get("_answered"), timeout=20
    )


def _answer(agent: RawAgent, request: dict[str, Any], result: Any) -> None:
    request["_answered"] = True
    agent.send({"jsonrpc": "2.0", "id": request["id"], "result": result})


def _shown_authorize_url(agent: RawAgent) -> str:
    """Answer `window/showDocument` as an editor that opened the page; the test is the
    browser, which goes on later (or never)."""
    shown = _request_from_agent(agent, "window/showDocument")
    _answer(agent, shown, {"success": True})
    return str(shown["params"]["uri"])


def _browse_until_leaving_jira(jira: JiraSimulator, url: str) -> str:
    """Play the browser on Jira's authorize page (auto-approved) and return the address
    Jira redirects to once it leaves Jira: the callback, with token and verifier."""
    with httpx.Client(timeout=10) as browser:
        for _ in range(10):
            response = browser.get(url)
            assert response.is_redirect, response.text[:500]
            url = urljoin(url, response.headers["Location"])
            if not url.startswith(jira.base_url):
                return url
    raise AssertionError("Jira never redirected away from itself")


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _access_token_requests(jira: JiraSimulator) -> int:
    return len([r for r in jira.request_log if r.path.endswith("/oauth/access-token")])


def test_junk_callbacks_neither_end_nor_spoil_a_pending_authorization(
    remote: RawAgent, approving_jira: JiraSimulator
) -> None:
    # The listener is up and its address known, the request token not yet: any
    # local process could try its luck now.
    msg_id, asked = _authorize_asking_for_the_uri(remote, approving_jira)
    local = str(asked["params"]["uri"])
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/callback", local), local
    junk = [
        "?oauth_verifier=abc",
        "?oauth_verifier=denied",
        "?oauth_token=&oauth_verifier=abc",
        "?oauth_token=guess&oauth_verifier=abc",
    ]
    for query in junk:
        assert httpx.get(local + query, timeout=10).status_code == 400, query
    assert (
        httpx.get(local.replace("/callback", "/other?oauth_verifier=x"), timeout=10).status_code
        == 404
    )
    _answer(remote, asked, {"uri": local})

    authorize_url = _shown_authorize_url(remote)
    token = _query(authorize_url)["oauth_token"]
    # With the token known: a wrong token, a token without a verifier, a token that
    # differs by a character are still refused, and the wait goes on.
    for query in [
        f"?oauth_token={token}x&oauth_verifier=abc",
        f"?oauth_token={token[:-1]}&oauth_verifier=abc",
        f"?oauth_token={token}",
        "?oauth_verifier=abc",
    ]:
        assert httpx.get(local + query, timeout=10).status_code == 400, query
    assert not remote.responses_to(msg_id)

    callback = _browse_until_leaving_jira(approving_jira, authorize_url)
    assert callback.startswith(local + "?")
    assert httpx.get(callback, timeout=10).status_code == 200
    reply = remote.response(msg_id, timeout=20)
    assert reply["result"]["instance"]["state"] == "connected", reply


@pytest.mark.parametrize("proxy_keeps_prefix", [False, True], ids=["strips prefix", "keeps prefix"])
def test_a_remote_browser_comes_back_through_the_uri_the_editor_maps(
    remote: RawAgent, approving_jira: JiraSimulator, proxy_keeps_prefix: bool
) -> None:
    msg_id, asked = _authorize_asking_for_the_uri(remote, approving_jira)
    port = urlsplit(asked["params"]["uri"]).port
    external = f"{REMOTE}/proxy/{port}/callback"
    _answer(remote, asked, {"uri": external})

    authorize_url = _shown_authorize_url(remote)
    # Jira was given the external address as the callback, and sends the browser there.
    callback = _browse_until_leaving_jira(approving_jira, authorize_url)
    assert callback.startswith(external + "?"), callback
    # The editor's proxy forwards it to the listener on 127.0.0.1.
    path_prefix = f"/proxy/{port}" if proxy_keeps_prefix else ""
    forwarded = callback.replace(f"{REMOTE}/proxy/{port}", f"http://127.0.0.1:{port}{path_prefix}")
    assert httpx.get(forwarded, timeout=10).status_code == 200
    reply = remote.response(msg_id, timeout=20)
    assert reply["result"]["instance"]["state"] == "connected", reply


@pytest.mark.parametrize("answer", ["error", "not a url", "no answer"])
def test_an_editor_that_does_not_map_the_uri_gets_the_local_callback(
    remote: RawAgent, approving_jira: JiraSimulator, answer: str
) -> None:
    msg_id, asked = _authorize_asking_for_the_uri(remote, approving_jira)
    asked["_answered"] = True
    if answer == "error":
        remote.send(
            {"jsonrpc": "2.0", "id": asked["id"], "error": {"code": -32601, "message": "no"}}
        )
    elif answer == "not a url":
        _answer(remote, asked, {"uri": "javascript:alert(1)"})
    # "no answer": the remote waits a few seconds, then goes on with 127.0.0.1.
    callback = _browse_until_leaving_jira(approving_jira, _shown_authorize_url(remote))
    assert callback.startswith(asked["params"]["uri"] + "?")
    assert httpx.get(callback, timeout=10).status_code == 200
    assert remote.response(msg_id, timeout=20)["result"]["instance"]["state"] == "connected"
    if answer == "no answer":  # a late answer is harmless
        _answer(remote, asked, {"uri": f"{REMOTE}/late/callback"})
        assert "result" in remote.call("issuebridge/providers/list", {})
    assert "Traceback" not in remote.stderr_text()


def test_a_client_that_does_not_declare_it_is_never_asked(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id = oauth_instance(agent, approving_jira)
    assert authorize_loopback(agent, instance_id)["result"]["instance"]["state"] == "connected"
    assert not [m for m in agent.messages if m.get("method") == EXTERNAL_URI]


@pytest.mark.parametrize("pasted", ["address", "code", "quoted address"])
def test_pasting_what_the_browser_shows_while_loopback_waits_answers_both_requests(
    agent: RawAgent, approving_jira: JiraSimulator, pasted: str
) -> None:
    instance_id = oauth_instance(agent, approving_jira)
    waiting = agent.request(AUTHORIZE, {"instanceId": instance_id})
    # The browser runs elsewhere: it shows the callback address but cannot reach it.
    callback = _browse_until_leaving_jira(approving_jira, _shown_authorize_url(agent))
    text = {
        "address": callback,
        "code": _query(callback)["oauth_verifier"],
        "quoted address": f"  '{callback}'\n",
    }[pasted]
    done = agent.call(COMPLETE, {"instanceId": instance_id, "verifier": text}, timeout=20)
    assert done["result"]["instance"]["state"] == "connected", done
    answered = agent.response(waiting, timeout=20)
    assert answered["result"]["instance"] == done["result"]["instance"]
    assert _access_token_requests(approving_jira) == 1  # exchanged once
    assert len(agent.responses_to(waiting)) == 1
    # The browser's callback, should it arrive after all, finds the listener closed.
    with pytest.raises(httpx.ConnectError):
        httpx.get(callback, timeout=10)
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5}, timeout=30)


def test_a_pasted_address_of_another_authorization_is_refused_and_the_wait_goes_on(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id = oauth_instance(agent, approving_jira)
    waiting = agent.request(AUTHORIZE, {"instanceId": instance_id})
    callback = _browse_until_leaving_jira(approving_jira, _shown_authorize_url(agent))
    query = _query(callback)
    other = callback.replace(query["oauth_token"], "someoneElsesToken")
    error = error_of(agent.call(COMPLETE, {"instanceId": instance_id, "verifier": other}))
    assert (error["code"], error["data"]["field"]) == (-32602, "verifier")
    assert query["oauth_verifier"] not in str(error)  # the pasted text is not quoted back
    no_code = error_of(
        agent.call(COMPLETE, {"instanceId": instance_id, "verifier": callback.split("&")[0]})
    )
    assert (no_code["code"], no_code["data"]["field"]) == (-32602, "verifier")
    assert not agent.responses_to(waiting)
    assert httpx.get(callback, timeout=10).status_code == 200
    assert agent.response(waiting, timeout=20)["result"]["instance"]["state"] == "connected"


def test_a_wait_that_times_out_says_so_and_after_how_long(
    home: Path, approving_jira: JiraSimulator
) -> None:
    agent = RawAgent(agent_env(home, ISSUEBRIDGE_TEST_AUTHORIZE_WAIT_SECONDS="1"))
    try:
        agent.initialize(capabilities={"window": {"showDocument": {"support": True}}})
        instance_id = oauth_instance(agent, approving_jira)
        msg_id = agent.request(AUTHORIZE, {"instanceId": instance_id})
        _shown_authorize_url(agent)  # the user never comes back
        error = error_of(agent.response(msg_id, timeout=20))
        assert error["code"] == -32002 and error["data"]["action"] == "authorize"
        assert "timed out" in error["message"] and "1 second" in error["message"]
        assert "code" in error["data"]["hint"]  # the paste path is offered
    finally:
        agent.kill()


def test_a_replaced_or_cancelled_wait_says_why(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id = oauth_instance(agent, approving_jira)
    first = agent.request(AUTHORIZE, {"instanceId": instance_id})
    _shown_authorize_url(agent)
    second = agent.request(AUTHORIZE, {"instanceId": instance_id})
    replaced = error_of(agent.response(first, timeout=20))
    assert replaced["code"] == -32800 and "newer authorization" in replaced["message"]
    _shown_authorize_url(agent)
    agent.notify("$/cancelRequest", {"id": second})
    cancelled = error_of(agent.response(second, timeout=20))
    assert cancelled["code"] == -32800
    assert "cancelled before the browser came back" in cancelled["message"]
    assert cancelled["data"]["action"] == "authorize"
    assert len(agent.responses_to(second)) == 1
