"""The /_sim/ admin API and the command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sim_helpers import KeyPair, bearer, oauth_client, signed_post

from simulators.jira_server import JiraSimulator

ROOT = Path(__file__).resolve().parents[2]


def admin(sim: JiraSimulator, path: str) -> str:
    return f"{sim.base_url}/_sim/{path}"


def test_state_and_users(sim: JiraSimulator, http: httpx.Client) -> None:
    state = http.get(admin(sim, "state")).json()
    assert state["baseUrl"] == sim.base_url and state["version"] == "9.12.0"
    users = {u["name"]: u for u in http.get(admin(sim, "users")).json()}
    assert {"admin", "alice", "bob", "carol", "dave", "zoe"} <= set(users)
    assert users["zoe"]["displayName"] == "Zoë Ünal" and users["alice"]["password"] == "alice"
    me = http.get(f"{sim.base_url}/rest/api/2/myself", headers=bearer(users["bob"]["pat"]))
    assert me.json()["name"] == "bob"


def test_version_cap_and_auto_approve(sim: JiraSimulator, http: httpx.Client) -> None:
    assert http.put(admin(sim, "version"), json={"version": "8.5.0"}).status_code == 200
    assert sim.config.version == "8.5.0"
    http.put(admin(sim, "cap"), json={"maxResults": 7})
    assert sim.config.max_results_cap == 7
    http.put(admin(sim, "auto-approve"), json={"user": "dave"})
    assert sim.oauth_auto_approve == "dave"
    http.put(admin(sim, "config"), json={"requestTokenTtlSeconds": 5, "captchaThreshold": 9})
    assert (sim.config.request_token_ttl_seconds, sim.config.captcha_threshold) == (5, 9)


def test_consumer_and_issues(http: httpx.Client, keys: KeyPair) -> None:
    with JiraSimulator() as sim:
        url = f"{sim.base_url}/plugins/servlet/oauth/request-token"
        assert signed_post(http, oauth_client(keys, callback="oob"), url).status_code == 401
        added = http.post(
            admin(sim, "consumers"),
            json={"consumerKey": "issuebridge-test", "publicKeyPem": keys.public_pem},
        )
        assert added.status_code == 201
        assert signed_post(http, oauth_client(keys, callback="oob"), url).status_code == 200
        assert http.delete(admin(sim, "issues")).status_code == 204
        created = http.post(
            admin(sim, "issues"),
            json=[
                {"project": "DOC", "summary": "one", "assignee": "alice"},
                {"project": "DOC", "summary": "two", "status": "Done"},
            ],
        ).json()
        assert [i["key"] for i in created["issues"]] == ["DOC-1", "DOC-2"]
        assert len(sim.issues) == 2 and sim.issues[1].resolution_id is not None


def test_faults_pats_and_request_log(sim: JiraSimulator, http: httpx.Client) -> None:
    http.put(admin(sim, "faults"), json={"html502": 1, "match": "serverInfo"})
    assert http.get(f"{sim.base_url}/rest/api/2/serverInfo").status_code == 502
    token = sim.user("carol").pat
    assert http.post(admin(sim, "pats/revoke"), json={"token": token}).status_code == 204
    me = http.get(f"{sim.base_url}/rest/api/2/myself", headers=bearer(token))
    assert me.status_code == 401
    fresh = http.post(admin(sim, "pats"), json={"user": "carol", "name": "ci"}).json()["token"]
    assert http.get(f"{sim.base_url}/rest/api/2/myself", headers=bearer(fresh)).status_code == 200
    logged = http.get(admin(sim, "requests")).json()
    assert any(r["headers"].get("Authorization") == f"Bearer {fresh}" for r in logged)
    assert http.get(admin(sim, "nope")).status_code == 404


def _run_cli(args: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, *args, "--port", "0", "--issues", "40"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        base = process.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:") and base.endswith("/jira")
        rest = [process.stdout.readline() for _ in range(4)]
        assert any("alice" in line for line in rest)
        info = httpx.get(f"{base}/rest/api/2/serverInfo", timeout=5).json()
        assert info["version"] == "8.20.0"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
    finally:
        if process.poll() is None:
            process.kill()


@pytest.mark.parametrize(
    "args",
    [
        ["-m", "simulators.jira_server", "--version", "8.20.0"],
        ["-m", "simulators", "jira-server", "--version", "8.20.0"],
    ],
    ids=["module", "dispatcher"],
)
def test_command_line(args: list[str]) -> None:
    _run_cli(args)


def test_dispatcher_rejects_unknown_simulator() -> None:
    from simulators.__main__ import main

    assert main(["no-such-tracker"]) == 2
    assert main([]) == 2
