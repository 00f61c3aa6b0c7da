"""Team sharing: the admin shares, a teammate unlocks, authorizes and fetches;
nothing secret ever stands in the clear in a shared place."""

from pathlib import Path
from typing import Any

import pytest
from jira_flows import (
    FETCH,
    authorize_loopback,
    connect,
    error_of,
    expected_open_issues,
    oauth_instance,
)
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator

CAPS = {"window": {"showDocument": {"support": True}, "workDoneProgress": True}}


def _agent(home: Path, workspace: Path, **env: str) -> RawAgent:
    home.mkdir(parents=True, exist_ok=True)
    agent = RawAgent(agent_env(home, **env))
    agent.call(
        "initialize",
        {
            "capabilities": CAPS,
            "workspaceFolders": [{"uri": workspace.as_uri(), "name": "project"}],
        },
    )
    agent.notify("initialized", {})
    return agent


def _listed(agent: RawAgent) -> list[dict[str, Any]]:
    return agent.call("issuebridge/providers/list", {})["result"]["providers"][0]["instances"]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def test_admin_shares_oauth_and_a_teammate_unlocks_authorizes_and_fetches(
    tmp_path: Path, workspace: Path, jira: JiraSimulator
) -> None:
    jira.oauth_auto_approve = "dave"
    admin = _agent(tmp_path / "admin", workspace)
    teammate = _agent(tmp_path / "teammate", workspace)
    try:
        instance_id = oauth_instance(admin, jira)
        shared = admin.call(
            "issuebridge/team/share", {"instanceId": instance_id, "workspaceFolder": str(workspace)}
        )["result"]
        passphrase = shared["passphrase"]
        assert Path(shared["path"]) == workspace / ".issuebridge" / "team.json"
        team_text = Path(shared["path"]).read_text()
        assert "PRIVATE KEY" not in team_text and passphrase not in team_text
        assert '"consumerKey"' in team_text or "consumer_key" in team_text

        # The teammate's agent sees it as a team instance needing authorization.
        listed = _listed(teammate)
        assert [(i["instanceId"], i["scope"], i["state"]) for i in listed] == [
            (instance_id, "team", "needsAuthorization")
        ]
        assert listed[0]["needsUnlock"] is True
        # Authorizing before unlocking says what is missing.
        locked = error_of(
            teammate.call("issuebridge/providers/authorize", {"instanceId": instance_id})
        )
        assert locked["code"] == -32002 and locked["data"]["action"] == "unlock"
        assert "issuebridge/" not in locked["data"]["hint"]

        assert "needsUnlock" not in _listed(admin)[0]  # the admin has the key
        unlocked = teammate.call(
            "issuebridge/team/unlock", {"instanceId": instance_id, "passphrase": passphrase.lower()}
        )
        assert unlocked["result"]["instance"]["scope"] == "team"
        assert "needsUnlock" not in unlocked["result"]["instance"]
        assert (
            authorize_loopback(teammate, instance_id)["result"]["instance"]["user"]["name"]
            == "dave"
        )
        fetched = teammate.call(FETCH, {"instanceId": instance_id}, timeout=30)["result"]
        assert [i["key"] for i in fetched["issues"]] == expected_open_issues(jira, "dave")
        assert _listed(teammate)[0]["scope"] == "team"
        assert _listed(admin)[0]["scope"] == "team"
    finally:
        admin.kill()
        teammate.kill()


def test_a_wrong_passphrase_is_invalid_params_and_changes_nothing(
    tmp_path: Path, workspace: Path, jira: JiraSimulator
) -> None:
    admin = _agent(tmp_path / "admin", workspace)
    teammate = _agent(tmp_path / "teammate", workspace)
    try:
        instance_id = oauth_instance(admin, jira)
        admin.call(
            "issuebridge/team/share",
            {"instanceId": instance_id, "workspaceFolder": workspace.as_uri()},
        )
        before = {p: p.read_bytes() for p in (tmp_path / "teammate").rglob("*") if p.is_file()}
        error = error_of(
            teammate.call(
                "issuebridge/team/unlock",
                {"instanceId": instance_id, "passphrase": "WRONG-WRONG-WRONG"},
            )
        )
        assert error["code"] == -32602 and error["data"]["field"] == "passphrase"
        after = {p: p.read_bytes() for p in (tmp_path / "teammate").rglob("*") if p.is_file()}
        assert after == before
        assert _listed(teammate)[0]["state"] == "needsAuthorization"
    finally:
        admin.kill()
        teammate.kill()


def test_a_shared_token_instance_asks_teammates_for_their_own_token(
    tmp_path: Path, workspace: Path, jira: JiraSimulator
) -> None:
    from jira_flows import configure_token

    admin = _agent(tmp_path / "admin", workspace)
    teammate = _agent(tmp_path / "teammate", workspace)
    try:
        instance_id = connect(admin, jira, "alice")
        shared = admin.call(
            "issuebridge/team/share", {"instanceId": instance_id, "workspaceFolder": str(workspace)}
        )["result"]
        assert "passphrase" not in shared
        assert jira.user("alice").pat not in Path(shared["path"]).read_text()
        assert _listed(teammate)[0]["authMethod"] == "token"
        error = error_of(
            teammate.call("issuebridge/team/unlock", {"instanceId": instance_id, "passphrase": "x"})
        )
        assert error["code"] == -32602 and "own token" in error["data"]["hint"]
        mine = configure_token(teammate, jira.base_url, jira.user("bob").pat)["result"]["instance"]
        assert (mine["instanceId"], mine["scope"], mine["user"]["name"]) == (
            instance_id,
            "team",
            "bob",
        )
    finally:
        admin.kill()
        teammate.kill()


def test_workspace_folders_can_change(tmp_path: Path, workspace: Path, jira: JiraSimulator) -> None:
    admin = _agent(tmp_path / "admin", workspace)
    other = tmp_path / "elsewhere"
    other.mkdir()
    teammate = _agent(tmp_path / "teammate", other)
    try:
        instance_id = connect(admin, jira)
        admin.call(
            "issuebridge/team/share", {"instanceId": instance_id, "workspaceFolder": str(workspace)}
        )
        assert _listed(teammate) == []
        teammate.notify(
            "workspace/didChangeWorkspaceFolders",
            {"event": {"added": [{"uri": workspace.as_uri(), "name": "project"}], "removed": []}},
        )
        change = teammate.wait_for(lambda m: m.get("method") == "issuebridge/providers/didChange")
        assert change["params"]["providers"][0]["instances"][0]["scope"] == "team"
    finally:
        admin.kill()
        teammate.kill()


def test_no_secret_of_a_whole_team_session_leaks(
    tmp_path: Path, workspace: Path, jira: JiraSimulator
) -> None:
    jira.oauth_auto_approve = "dave"
    admin = _agent(tmp_path / "admin", workspace, ISSUEBRIDGE_LOG="debug")
    teammate = _agent(tmp_path / "teammate", workspace, ISSUEBRIDGE_LOG="debug")
    try:
        token_id = connect(admin, jira, "alice")
        admin.call(
            "issuebridge/team/share", {"instanceId": token_id, "workspaceFolder": str(workspace)}
        )
        from simulators.jira_server import SimulatorConfig

        with JiraSimulator(
            SimulatorConfig(context_path="/other", oauth_auto_approve="dave")
        ) as second:
            instance_id = oauth_instance(admin, second)
            passphrase = admin.call(
                "issuebridge/team/share",
                {"instanceId": instance_id, "workspaceFolder": str(workspace)},
            )["result"]["passphrase"]
            teammate.call(
                "issuebridge/team/unlock", {"instanceId": instance_id, "passphrase": passphrase}
            )
            authorize_loopback(teammate, instance_id)
            teammate.call(FETCH, {"instanceId": instance_id, "limit": 5}, timeout=30)
            # Access tokens and every token secret (request tokens travel in the browser's
            # URL by design; their secrets do not).
            issued = list(second.oauth.tokens.values())
            access_tokens = [t.token for t in issued if t.kind == "access"]
            access_tokens += [t.secret for t in issued]
        for agent in (admin, teammate):
            agent.call("shutdown", None)
            agent.notify("exit")
            agent.wait_exit()
    finally:
        admin.kill()
        teammate.kill()

    private_keys = []
    for path in (tmp_path / "admin").rglob("secrets.json"):
        import json

        private_keys += [
            v
            for k, v in json.loads(path.read_text()).items()
            if k.endswith("/private") or k.endswith("privateKey")
        ]
    assert private_keys
    secrets = [jira.user("alice").pat, passphrase, *access_tokens]
    secrets += [line for pem in private_keys for line in pem.splitlines() if "-----" not in line]

    def readable_files(root: Path) -> list[Path]:
        return [p for p in root.rglob("*") if p.is_file() and p.stat().st_mode & 0o077]

    shared_places = (
        readable_files(workspace)
        + readable_files(tmp_path / "admin")
        + readable_files(tmp_path / "teammate")
    )
    texts = {str(p): p.read_text(errors="replace") for p in shared_places}
    for agent, name in ((admin, "admin"), (teammate, "teammate")):
        texts[f"{name} stderr"] = agent.stderr_text()
        wire = [m for m in agent.messages if not (m.get("result") or {}).get("passphrase")]
        texts[f"{name} responses"] = repr(wire)
    for secret in secrets:
        for where, text in texts.items():
            assert secret not in text, f"a secret leaked into {where}"
    # The passphrase came back exactly once: in the share answer.
    answers = [m for m in admin.messages if (m.get("result") or {}).get("passphrase") == passphrase]
    assert len(answers) == 1
