"""Steps the Jira end-to-end tests share."""

from typing import Any

from wire import RawAgent

from simulators.jira_server import JiraSimulator
from simulators.jira_server.oauth2 import OAuth2Client

CONFIGURE = "issuebridge/providers/configure"
FETCH = "issuebridge/issues/fetch"


def configure_token(agent: RawAgent, base_url: str, token: str) -> dict[str, Any]:
    return agent.call(
        CONFIGURE,
        {
            "providerId": "jira-server",
            "authMethod": "token",
            "fields": {"baseUrl": base_url, "token": token},
        },
        timeout=20,
    )


def connect(agent: RawAgent, jira: JiraSimulator, user: str = "alice") -> str:
    reply = configure_token(agent, jira.base_url, jira.user(user).pat)
    assert "result" in reply, reply
    return str(reply["result"]["instance"]["instanceId"])


def expected_open_issues(jira: JiraSimulator, user: str) -> list[str]:
    """The default query's answer, worked out from the simulator's data directly."""
    mine = [i for i in jira.issues if i.assignee == user and i.resolution_id is None]
    mine.sort(key=lambda i: (i.updated, i.id), reverse=True)
    return [i.key for i in mine]


def error_of(reply: dict[str, Any]) -> dict[str, Any]:
    assert "error" in reply, reply
    error = reply["error"]
    assert isinstance(error, dict)
    return error


CONSUMER = "issuebridge-consumer"


def answer_show_documents(agent: RawAgent, follow: bool = True, success: bool = True) -> list[str]:
    """Play the editor and the user: answer `window/showDocument`, then open the URL
    (the simulator auto-approves, so its authorize page redirects to the callback)."""
    import httpx

    opened = []
    for message in list(agent.messages):
        if message.get("method") != "window/showDocument" or message.get("_answered"):
            continue
        message["_answered"] = True
        url = message["params"]["uri"]
        assert message["params"]["external"] is True
        opened.append(url)
        agent.send({"jsonrpc": "2.0", "id": message["id"], "result": {"success": success}})
        if follow:
            httpx.get(url, follow_redirects=True, timeout=10)
    return opened


def wait_for_show_document(agent: RawAgent) -> str:
    message = agent.wait_for(
        lambda m: m.get("method") == "window/showDocument" and not m.get("_answered"), timeout=15
    )
    return str(message["params"]["uri"])


def generate_key(agent: RawAgent, bits: int = 2048) -> dict[str, Any]:
    reply = agent.call("issuebridge/keys/generate", {"bits": bits}, timeout=30)
    return dict(reply["result"])


def configure_oauth(agent: RawAgent, base_url: str, **key: str) -> dict[str, Any]:
    fields = {"baseUrl": base_url, "consumerKey": key.pop("consumer_key", CONSUMER), **key}
    return agent.call(
        CONFIGURE,
        {"providerId": "jira-server", "authMethod": "oauth1", "fields": fields},
        timeout=20,
    )


def oauth_instance(agent: RawAgent, jira: JiraSimulator) -> str:
    """A configured (not yet authorized) OAuth instance with a generated key."""
    key = generate_key(agent)
    jira.add_oauth_consumer(CONSUMER, key["publicKeyPem"])
    reply = configure_oauth(agent, jira.base_url, keyId=key["keyId"])
    assert reply["result"]["instance"]["state"] == "needsAuthorization", reply
    return str(reply["result"]["instance"]["instanceId"])


def authorize_loopback(agent: RawAgent, instance_id: str) -> dict[str, Any]:
    msg_id = agent.request("issuebridge/providers/authorize", {"instanceId": instance_id})
    wait_for_show_document(agent)
    answer_show_documents(agent)
    return agent.response(msg_id, timeout=20)


def configure_with_http(
    agent: RawAgent,
    jira: JiraSimulator,
    http: dict[str, Any] | None = None,
    secrets: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Alice's token configure, with the instance's own `http` and `httpSecrets`."""
    params: dict[str, Any] = {
        "providerId": "jira-server",
        "authMethod": "token",
        "fields": {"baseUrl": jira.base_url, "token": jira.user("alice").pat},
    }
    if http is not None:
        params["http"] = http
    if secrets is not None:
        params["httpSecrets"] = secrets
    return agent.call(CONFIGURE, params, timeout=30)


# --- OAuth 2.0 ------------------------------------------------------------------

AUTHORIZE = "issuebridge/providers/authorize"
COMPLETE = "issuebridge/providers/completeAuthorization"


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now (a test's redirect URI: the
    default port would collide between tests running side by side)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def configure_oauth2(
    agent: RawAgent, base_url: str, client: OAuth2Client, **fields: str
) -> dict[str, Any]:
    form = {
        "baseUrl": base_url,
        "clientId": client.client_id,
        "clientSecret": client.client_secret,
        "redirectUri": client.redirect_uri,
        **fields,
    }
    return agent.call(
        CONFIGURE,
        {"providerId": "jira-server", "authMethod": "oauth2", "fields": form},
        timeout=20,
    )


def oauth2_instance(
    agent: RawAgent, jira: JiraSimulator, redirect_uri: str | None = None, **fields: str
) -> tuple[str, OAuth2Client]:
    """A configured (not yet authorized) OAuth 2.0 instance and its link in Jira."""
    client = jira.add_oauth2_client(redirect_uri or f"http://127.0.0.1:{free_port()}/callback")
    reply = configure_oauth2(agent, jira.base_url, client, **fields)
    assert reply["result"]["instance"]["state"] == "needsAuthorization", reply
    return str(reply["result"]["instance"]["instanceId"]), client


def redirect_of(url: str) -> str:
    """Where an auto-approving Jira sends the browser for this authorize URL."""
    import httpx

    answer = httpx.get(url, follow_redirects=False, timeout=10)
    assert answer.status_code == 302, (answer.status_code, answer.text[:300])
    return str(answer.headers["Location"])


def oauth2_connected(agent: RawAgent, jira: JiraSimulator) -> tuple[str, OAuth2Client]:
    """An OAuth 2.0 instance authorized through the loopback callback (Jira must
    auto-approve)."""
    instance_id, client = oauth2_instance(agent, jira)
    reply = authorize_loopback(agent, instance_id)
    assert reply["result"]["instance"]["state"] == "connected", reply
    return instance_id, client


def token_grants(jira: JiraSimulator, grant_type: str, since: int = 0) -> list[Any]:
    """The token endpoint requests of that grant type in the simulator's log (from its
    `since`-th entry: configure's check sends a code grant with a made-up code)."""
    return [
        r
        for r in jira.request_log[since:]
        if r.path.endswith("/rest/oauth2/latest/token") and r.form.get("grant_type") == grant_type
    ]
