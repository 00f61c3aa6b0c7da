"""OAuth 2.0 (authorization code with PKCE) against the simulator's Jira 8.22+
provider: configure's checks, loopback and out-of-band authorization, the code and
state an attacker could bend, and what the agent says when Jira refuses."""

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from jira_flows import (
    AUTHORIZE,
    COMPLETE,
    FETCH,
    answer_show_documents,
    authorize_loopback,
    configure_oauth2,
    error_of,
    expected_open_issues,
    oauth2_instance,
    redirect_of,
    token_grants,
    wait_for_show_document,
)
from wire import RawAgent

from simulators.jira_server import JiraSimulator


def _opened(agent: RawAgent) -> str:
    """The authorize URL the agent asked the editor to open (answered: opened)."""
    wait_for_show_document(agent)
    (url,) = answer_show_documents(agent, follow=False)
    return url


def _oob_landing(agent: RawAgent, instance_id: str) -> str:
    """An out-of-band authorization: the address the browser lands on (the redirect
    URI with the code, or an error, and the state)."""
    reply = agent.call(AUTHORIZE, {"instanceId": instance_id, "callback": "oob"}, timeout=20)
    assert reply["result"]["instance"]["state"] != "connected", reply
    return redirect_of(reply["result"]["authorizeUrl"])


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _with(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {**_query(url), **changes}
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_loopback_authorization_then_bearer_fetch(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    jira = approving_jira
    instance_id, client = oauth2_instance(agent, jira)
    configured = len(jira.request_log)
    reply = authorize_loopback(agent, instance_id)
    instance = reply["result"]["instance"]
    assert instance["state"] == "connected", reply
    assert instance["user"] == {"name": "alice", "displayName": "Alice Anderson"}
    assert instance["settings"] == {
        "clientId": client.client_id,
        "redirectUri": client.redirect_uri,
        "scope": "WRITE",
    }
    shown = [m for m in agent.messages if m.get("method") == "window/showDocument"]
    url = shown[0]["params"]["uri"]
    assert url.startswith(f"{jira.base_url}/rest/oauth2/latest/authorize?")
    query = _query(url)
    assert query["client_id"] == client.client_id
    assert query["redirect_uri"] == client.redirect_uri
    assert query["response_type"] == "code" and query["scope"] == "WRITE"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 32
    (grant,) = token_grants(jira, "authorization_code", configured)
    assert grant.form["client_id"] == client.client_id and grant.status == 200

    fetched = agent.call(FETCH, {"instanceId": instance_id}, timeout=30)["result"]
    assert [i["key"] for i in fetched["issues"]] == expected_open_issues(jira, "alice")
    searches = [r for r in jira.request_log if r.path.endswith("/rest/api/2/search")]
    assert searches and all(r.status == 200 for r in searches)
    assert all(r.headers["Authorization"].startswith("Bearer ") for r in searches)


@pytest.mark.parametrize("pasted", ["code", "address"])
def test_out_of_band_with_the_code_or_the_whole_address(
    agent: RawAgent, approving_jira: JiraSimulator, pasted: str
) -> None:
    instance_id, client = oauth2_instance(agent, approving_jira)
    reply = agent.call(AUTHORIZE, {"instanceId": instance_id, "callback": "oob"}, timeout=20)
    assert reply["result"]["instance"]["state"] == "needsAuthorization"
    assert not [m for m in agent.messages if m.get("method") == "window/showDocument"]
    # The browser lands on the redirect URI, where nothing listens: the user copies
    # its address (or the code in it).
    landed = redirect_of(reply["result"]["authorizeUrl"])
    assert landed.startswith(client.redirect_uri + "?")
    verifier = _query(landed)["code"] if pasted == "code" else landed
    done = agent.call(COMPLETE, {"instanceId": instance_id, "verifier": verifier}, timeout=20)
    assert done["result"]["instance"]["state"] == "connected", done
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5}, timeout=30)


def test_a_redirect_uri_on_another_host_authorizes_out_of_band(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id, _client = oauth2_instance(
        agent, approving_jira, redirect_uri="https://issuebridge.example.com/callback"
    )
    reply = agent.call(AUTHORIZE, {"instanceId": instance_id}, timeout=20)
    assert reply["result"]["authorizeUrl"].startswith(approving_jira.base_url)
    landed = redirect_of(reply["result"]["authorizeUrl"])
    done = agent.call(COMPLETE, {"instanceId": instance_id, "verifier": landed}, timeout=20)
    assert done["result"]["instance"]["state"] == "connected", done


def test_a_callback_with_another_state_is_refused_and_the_wait_goes_on(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id, client = oauth2_instance(agent, approving_jira)
    msg_id = agent.request(AUTHORIZE, {"instanceId": instance_id})
    url = _opened(agent)
    landed = redirect_of(url)
    state = _query(landed)["state"]
    for bent in [
        _with(landed, state=state + "x"),
        _with(landed, state=state[:-1]),
        landed.replace(f"state={state}", ""),
    ]:
        answer = httpx.get(bent, timeout=10)
        assert answer.status_code == 400, bent
    assert (
        httpx.get(client.redirect_uri.replace("/callback", "/other"), timeout=10).status_code == 404
    )
    assert not agent.responses_to(msg_id)
    assert httpx.get(landed, timeout=10).status_code == 200
    reply = agent.response(msg_id, timeout=20)
    assert reply["result"]["instance"]["state"] == "connected", reply


def test_a_pasted_address_with_another_state_is_refused(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id, _client = oauth2_instance(agent, approving_jira)
    landed = _oob_landing(agent, instance_id)
    other = _with(landed, state="another-authorization")
    error = error_of(agent.call(COMPLETE, {"instanceId": instance_id, "verifier": other}))
    assert error["code"] == -32602 and error["data"]["field"] == "verifier"
    assert "belongs to another authorization" in error["message"]
    assert _query(landed)["code"] not in str(error)
    done = agent.call(COMPLETE, {"instanceId": instance_id, "verifier": landed}, timeout=20)
    assert done["result"]["instance"]["state"] == "connected", done


def test_a_code_for_another_challenge_is_refused_at_the_exchange(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    """An attacker's code (from an authorize request with their own PKCE challenge),
    slipped into the agent's callback with the right state: the agent's verifier does
    not match that challenge, so Jira refuses the exchange."""
    instance_id, _client = oauth2_instance(agent, approving_jira)
    configured = len(approving_jira.request_log)
    msg_id = agent.request(AUTHORIZE, {"instanceId": instance_id})
    url = _opened(agent)
    attacker = _with(url, code_challenge="A" * 43)
    code = _query(redirect_of(attacker))["code"]
    mine = redirect_of(url)  # the agent's own code stays unused
    assert httpx.get(_with(mine, code=code), timeout=10).status_code == 200
    error = error_of(agent.response(msg_id, timeout=20))
    assert error["code"] == -32001 and error["data"]["oauthError"] == "invalid_grant"
    assert error["data"]["action"] == "authorize"
    (grant,) = token_grants(approving_jira, "authorization_code", configured)
    assert grant.status == 400


def test_a_wrong_code_verifier_is_refused_by_jira(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    """Someone who saw the code but not the verifier cannot redeem it."""
    instance_id, client = oauth2_instance(agent, approving_jira)
    landed = _oob_landing(agent, instance_id)
    stolen = httpx.post(
        f"{approving_jira.base_url}/rest/oauth2/latest/token",
        data={
            "grant_type": "authorization_code",
            "client_id": client.client_id,
            "client_secret": client.client_secret,
            "code": _query(landed)["code"],
            "redirect_uri": client.redirect_uri,
            "code_verifier": "B" * 64,
        },
        timeout=10,
    )
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"


def test_a_reused_code_is_refused(agent: RawAgent, approving_jira: JiraSimulator) -> None:
    instance_id, _client = oauth2_instance(agent, approving_jira)
    code = _query(_oob_landing(agent, instance_id))["code"]
    done = agent.call(COMPLETE, {"instanceId": instance_id, "verifier": code}, timeout=20)
    assert done["result"]["instance"]["state"] == "connected"
    # A new authorization, and the old code pasted again.
    agent.call(AUTHORIZE, {"instanceId": instance_id, "callback": "oob"}, timeout=20)
    error = error_of(
        agent.call(COMPLETE, {"instanceId": instance_id, "verifier": code}, timeout=20)
    )
    assert error["code"] == -32001 and error["data"]["oauthError"] == "invalid_grant"
    assert "used already or it expired" in error["message"]
    assert error["data"]["action"] == "authorize"


def test_deny_in_the_browser(agent: RawAgent, jira: JiraSimulator) -> None:
    jira.oauth_auto_approve = "deny"
    instance_id, _client = oauth2_instance(agent, jira)
    configured = len(jira.request_log)
    msg_id = agent.request(AUTHORIZE, {"instanceId": instance_id})
    landed = redirect_of(_opened(agent))
    assert _query(landed)["error"] == "access_denied"
    page = httpx.get(landed, timeout=10)
    assert page.status_code == 200 and "You denied access" in page.text
    error = error_of(agent.response(msg_id, timeout=20))
    assert error["code"] == -32001 and error["data"]["oauthError"] == "access_denied"
    assert "You denied access" in error["message"]
    assert not token_grants(jira, "authorization_code", configured)


def test_a_server_older_than_8_22_is_refused_with_guidance(agent: RawAgent) -> None:
    from simulators.jira_server import SimulatorConfig

    with JiraSimulator(SimulatorConfig(version="8.20.10")) as old:
        from simulators.jira_server.oauth2 import OAuth2Client

        client = OAuth2Client("a" * 32, "b" * 64, "http://127.0.0.1:43917/callback", "WRITE", "x")
        error = error_of(configure_oauth2(agent, old.base_url, client))
    assert error["code"] == -32005 and error["data"]["kind"] == "unsupportedServer"
    assert error["data"]["serverVersion"] == "8.20.10"
    assert "8.22" in error["message"]
    assert "OAuth 1.0a" in error["data"]["hint"] and error["data"]["action"] == "configure"


def test_a_redirect_uri_port_in_use_is_named(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        redirect = f"http://127.0.0.1:{port}/callback"
        instance_id, _client = oauth2_instance(agent, approving_jira, redirect_uri=redirect)
        error = error_of(agent.call(AUTHORIZE, {"instanceId": instance_id}, timeout=20))
    assert error["code"] == -32602 and error["data"]["field"] == "callback"
    assert f"Port {port}" in error["message"] and redirect in error["message"]
    assert error["data"]["port"] == port and error["data"]["redirectUri"] == redirect
    assert "out of band" in error["data"]["hint"]
    assert not [m for m in agent.messages if m.get("method") == "window/showDocument"]


def test_configure_checks_the_client_id_redirect_uri_and_secret(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    from simulators.jira_server.oauth2 import OAuth2Client

    client = jira.add_oauth2_client("http://127.0.0.1:43917/callback")
    unknown = OAuth2Client("f" * 32, client.client_secret, client.redirect_uri, "WRITE", "x")
    error = error_of(configure_oauth2(agent, jira.base_url, unknown))
    assert error["code"] == -32001 and error["data"]["field"] == "fields.clientId"
    assert "f" * 32 in error["message"]

    error = error_of(
        configure_oauth2(agent, jira.base_url, client, redirectUri="http://127.0.0.1:1/other")
    )
    assert error["code"] == -32602 and error["data"]["field"] == "fields.redirectUri"

    error = error_of(configure_oauth2(agent, jira.base_url, client, clientSecret="wrong" * 10))
    assert error["code"] == -32001 and error["data"]["field"] == "fields.clientSecret"
    assert error["data"]["oauthError"] == "invalid_client"

    for fields, field in [
        ({"scope": "ADMIN"}, "fields.scope"),
        ({"redirectUri": "127.0.0.1:43917/callback"}, "fields.redirectUri"),
        ({"clientId": ""}, "fields.clientId"),
        ({"clientSecret": ""}, "fields.clientSecret"),
    ]:
        error = error_of(configure_oauth2(agent, jira.base_url, client, **fields))
        assert error["code"] == -32602 and error["data"]["field"] == field, (fields, error)
    listed = agent.call("issuebridge/providers/list", {})["result"]["providers"]
    assert all(not p["instances"] for p in listed)  # nothing was stored

    good = configure_oauth2(agent, jira.base_url, client, scope="read")
    instance = good["result"]["instance"]
    assert instance["state"] == "needsAuthorization" and instance["authMethod"] == "oauth2"
    assert instance["settings"]["scope"] == "READ"
    assert client.client_secret not in str(good)


def test_instances_list_their_non_secret_settings_for_every_method(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    from jira_flows import CONSUMER, connect, oauth_instance

    oauth1 = oauth_instance(agent, approving_jira)
    token = connect(agent, approving_jira)
    assert oauth1 == token  # one instance per base URL: the token replaced the link
    listed = agent.call("issuebridge/providers/list", {})["result"]["providers"][0]["instances"]
    assert "settings" not in listed[0]
    oauth1 = oauth_instance(agent, approving_jira)
    listed = agent.call("issuebridge/providers/list", {})["result"]["providers"][0]["instances"]
    assert listed[0]["settings"] == {"consumerKey": CONSUMER}


def test_a_second_authorize_takes_over_the_redirect_port(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id, _client = oauth2_instance(agent, approving_jira)
    first = agent.request(AUTHORIZE, {"instanceId": instance_id})
    stale = _opened(agent)
    second = agent.request(AUTHORIZE, {"instanceId": instance_id})
    ended = error_of(agent.response(first, timeout=20))
    assert ended["code"] == -32800 and "newer authorization" in ended["message"]
    fresh = _opened(agent)
    # The first authorization's callback is not the one waiting now.
    assert httpx.get(redirect_of(stale), timeout=10).status_code == 400
    assert httpx.get(redirect_of(fresh), timeout=10).status_code == 200
    assert agent.response(second, timeout=20)["result"]["instance"]["state"] == "connected"


def test_a_code_that_expired_before_it_was_pasted(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    approving_jira.oauth2_settings.code_seconds = 0
    instance_id, _client = oauth2_instance(agent, approving_jira)
    landed = _oob_landing(agent, instance_id)
    error = error_of(agent.call(COMPLETE, {"instanceId": instance_id, "verifier": landed}))
    assert error["code"] == -32001 and error["data"]["oauthError"] == "invalid_grant"
    assert "expired" in error["message"] and error["data"]["action"] == "authorize"


def test_a_pasted_refusal_says_access_was_denied(agent: RawAgent, jira: JiraSimulator) -> None:
    jira.oauth_auto_approve = "deny"
    instance_id, _client = oauth2_instance(agent, jira)
    landed = _oob_landing(agent, instance_id)
    error = error_of(agent.call(COMPLETE, {"instanceId": instance_id, "verifier": landed}))
    assert error["code"] == -32001 and error["data"]["oauthError"] == "access_denied"
    again = error_of(agent.call(COMPLETE, {"instanceId": instance_id, "verifier": landed}))
    assert again["code"] == -32002  # nothing is pending any more


def test_a_read_scope_reads_and_jira_refuses_its_writes(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id, _client = oauth2_instance(agent, approving_jira, scope="READ")
    assert authorize_loopback(agent, instance_id)["result"]["instance"]["state"] == "connected"
    fetched = agent.call(FETCH, {"instanceId": instance_id, "limit": 1}, timeout=30)["result"]
    key = fetched["issues"][0]["key"]
    reply = agent.call(
        "issuebridge/issues/comment", {"instanceId": instance_id, "key": key, "body": "hi"}
    )
    error = error_of(reply)
    assert error["code"] == -32004 and error["data"]["httpStatus"] == 403, error
    assert "scope is READ" in error["data"]["hint"] and error["data"]["action"] == "configure"
