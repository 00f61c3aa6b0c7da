"""Steps the Jira end-to-end tests share."""

from typing import Any

from wire import RawAgent

from simulators.jira_server import JiraSimulator

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
