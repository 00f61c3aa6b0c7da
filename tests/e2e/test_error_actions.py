"""Errors name their next step as `data.action`, in words no client has to rewrite.

A hint is neutral prose: no protocol method ("issuebridge/providers/authorize")
and no client's command or button; `action` is what a client turns into its own
words (the CLI names its command, VS Code shows a button).
"""

from typing import Any

from jira_flows import FETCH, configure_oauth, connect, error_of, oauth_instance
from wire import RawAgent

from simulators.jira_server import JiraSimulator

AUTHORIZE = "issuebridge/providers/authorize"
COMPLETE = "issuebridge/providers/completeAuthorization"
DISCONNECT = "issuebridge/providers/disconnect"


def _errors(agent: RawAgent) -> list[dict[str, Any]]:
    return [m["error"] for m in agent.messages if "error" in m]


def _assert_neutral_hints(agent: RawAgent) -> None:
    hints = [str(e.get("data", {}).get("hint", "")) for e in _errors(agent)]
    assert hints
    for hint in hints:
        assert "issuebridge/" not in hint, hint
        assert "Generate key pair" not in hint, hint  # a button of one client
        assert "http.caBundle" not in hint and "timeoutSeconds" not in hint, hint


def test_each_error_names_its_next_step(agent: RawAgent, jira: JiraSimulator) -> None:
    unknown = error_of(agent.call(FETCH, {"instanceId": "jira-server:nowhere"}))
    assert (unknown["code"], unknown["data"]["action"]) == (-32002, "configure")

    # A token instance that lost its token recovers only by being configured again:
    # telling it to authorize would be a dead end.
    token_instance = connect(agent, jira)
    assert "result" in agent.call(DISCONNECT, {"instanceId": token_instance})
    gone = error_of(agent.call(FETCH, {"instanceId": token_instance}))
    assert (gone["code"], gone["data"]["action"]) == (-32002, "configure")
    no_browser = error_of(agent.call(AUTHORIZE, {"instanceId": token_instance}))
    assert (no_browser["code"], no_browser["data"]["action"]) == (-32602, "configure")

    # An OAuth instance that is not authorized yet: authorize.
    oauth = oauth_instance(agent, jira)
    unauthorized = error_of(agent.call(FETCH, {"instanceId": oauth}))
    assert (unauthorized["code"], unauthorized["data"]["action"]) == (-32002, "authorize")
    nothing_pending = error_of(agent.call(COMPLETE, {"instanceId": oauth, "verifier": "x"}))
    assert nothing_pending["data"]["action"] == "authorize"

    # An OAuth configuration without a key: generate one.
    keyless = error_of(configure_oauth(agent, jira.base_url))
    assert (keyless["data"]["field"], keyless["data"]["action"]) == ("fields.keyId", "generateKey")
    missing_key = error_of(configure_oauth(agent, jira.base_url, keyId="key-nope"))
    assert missing_key["data"]["action"] == "generateKey"

    # A team instance no workspace folder lists: the hint names a file, not a method.
    unlisted = error_of(
        agent.call("issuebridge/team/unlock", {"instanceId": "jira-server:x", "passphrase": "p"})
    )
    assert unlisted["code"] == -32002

    _assert_neutral_hints(agent)


def test_a_rejected_token_says_configure_and_a_rejected_authorization_says_authorize(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    jira.revoke_pat(jira.user("alice").pat)
    rejected = error_of(agent.call(FETCH, {"instanceId": instance_id}))
    assert (rejected["code"], rejected["data"]["action"]) == (-32001, "configure")
    # It is now in the error state: still configure, never authorize.
    again = error_of(agent.call(FETCH, {"instanceId": instance_id}))
    assert (again["code"], again["data"]["action"]) == (-32002, "configure")
    _assert_neutral_hints(agent)
