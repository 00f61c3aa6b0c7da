"""Team sharing of an OAuth 2.0 instance: the link's client id and redirect URI are
shared like the base URL, the client secret sealed with a passphrase; a teammate
unlocks it once and only authorizes."""

from pathlib import Path
from typing import Any

from jira_flows import FETCH, authorize_loopback, error_of, expected_open_issues, oauth2_instance
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator

UNLOCK = "issuebridge/team/unlock"


def _agent(home: Path, workspace: Path) -> RawAgent:
    home.mkdir(parents=True, exist_ok=True)
    agent = RawAgent(agent_env(home))
    agent.call(
        "initialize",
        {
            "capabilities": {"window": {"showDocument": {"support": True}}},
            "workspaceFolders": [{"uri": workspace.as_uri(), "name": "project"}],
        },
    )
    agent.notify("initialized", {})
    return agent


def _listed(agent: RawAgent) -> list[dict[str, Any]]:
    providers = agent.call("issuebridge/providers/list", {})["result"]["providers"]
    return [i for p in providers for i in p["instances"]]


def test_admin_shares_an_oauth2_link_and_a_teammate_unlocks_and_authorizes(
    tmp_path: Path, jira: JiraSimulator
) -> None:
    jira.oauth_auto_approve = "dave"
    workspace = tmp_path / "project"
    workspace.mkdir()
    admin = _agent(tmp_path / "admin", workspace)
    teammate = _agent(tmp_path / "teammate", workspace)
    try:
        instance_id, client = oauth2_instance(admin, jira)
        shared = admin.call(
            "issuebridge/team/share", {"instanceId": instance_id, "workspaceFolder": str(workspace)}
        )["result"]
        passphrase = shared["passphrase"]
        text = Path(shared["path"]).read_text()
        assert client.client_secret not in text and passphrase not in text
        assert client.client_id in text and client.redirect_uri in text

        (listed,) = _listed(teammate)
        assert (listed["scope"], listed["state"], listed["needsUnlock"]) == (
            "team",
            "needsAuthorization",
            True,
        )
        assert listed["authMethod"] == "oauth2"
        assert listed["settings"]["clientId"] == client.client_id
        locked = error_of(
            teammate.call("issuebridge/providers/authorize", {"instanceId": instance_id})
        )
        assert locked["data"]["action"] == "unlock" and "client secret" in locked["message"]

        wrong = error_of(teammate.call(UNLOCK, {"instanceId": instance_id, "passphrase": "no"}))
        assert wrong["code"] == -32602
        unlocked = teammate.call(UNLOCK, {"instanceId": instance_id, "passphrase": passphrase})
        instance = unlocked["result"]["instance"]
        assert instance["state"] == "needsAuthorization" and "needsUnlock" not in instance
        assert instance["settings"] == {
            "clientId": client.client_id,
            "redirectUri": client.redirect_uri,
            "scope": "WRITE",
        }
        connected = authorize_loopback(teammate, instance_id)["result"]["instance"]
        assert connected["user"]["name"] == "dave" and connected["scope"] == "team"
        fetched = teammate.call(FETCH, {"instanceId": instance_id}, timeout=30)["result"]
        assert [i["key"] for i in fetched["issues"]] == expected_open_issues(jira, "dave")
        assert client.client_secret not in bytes(teammate.raw_stdout).decode()
        assert client.client_secret not in teammate.stderr_text()
    finally:
        admin.kill()
        teammate.kill()
