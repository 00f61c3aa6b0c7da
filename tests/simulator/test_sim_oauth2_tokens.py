"""OAuth 2.0 provider: refresh and rotation, revocation, expiry, scopes on REST, version
gating, the admin API and the command line flag."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from oauth2_helpers import (
    REDIRECT_URI,
    authorize_params,
    authorize_url,
    error_of,
    myself,
    refresh,
    token_url,
    tokens,
)

from simulators.jira_server import JiraSimulator
from simulators.jira_server.oauth2 import OAuth2Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def client(sim: JiraSimulator) -> OAuth2Client:
    return sim.add_oauth2_client(REDIRECT_URI)


def comment(http: httpx.Client, sim: JiraSimulator, access_token: str) -> httpx.Response:
    return http.post(
        f"{sim.base_url}/rest/api/2/issue/ISB-1/comment",
        json={"body": "from an OAuth 2.0 client"},
        headers={"Authorization": f"Bearer {access_token}"},
    )


# -- refresh -------------------------------------------------------------------------------


def test_refresh_rotates_by_default(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    first = tokens(http, sim, client)
    answer = refresh(http, sim, client, first.refresh_token)
    assert answer.status_code == 200, answer.text
    assert answer.headers.get_list("Cache-Control") == ["no-store"]
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert body["refresh_token"] != first.refresh_token
    assert body["access_token"] != first.access_token and body["scope"] == "WRITE"
    assert myself(http, sim, body["access_token"]).json()["name"] == "alice"
    # The used refresh token stops working at once; the old access token lives on.
    assert error_of(refresh(http, sim, client, first.refresh_token), 400) == "invalid_grant"
    assert myself(http, sim, first.access_token).status_code == 200
    assert refresh(http, sim, client, body["refresh_token"]).status_code == 200


def test_refresh_without_rotation_returns_the_same_refresh_token(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    sim.oauth2_settings.rotate_refresh_tokens = False
    first = tokens(http, sim, client)
    for _ in range(2):
        answer = refresh(http, sim, client, first.refresh_token)
        assert answer.status_code == 200 and answer.json()["refresh_token"] == first.refresh_token


@pytest.mark.parametrize("redirect_uri", ["<omit>", "", REDIRECT_URI + "/other"])
def test_refresh_checks_the_redirect_uri(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client, redirect_uri: str
) -> None:
    first = tokens(http, sim, client)
    answer = refresh(http, sim, client, first.refresh_token, redirect_uri=redirect_uri)
    assert error_of(answer, 400) == "invalid_grant"
    # A refused refresh does not cost the refresh token.
    assert refresh(http, sim, client, first.refresh_token).status_code == 200


def test_refresh_errors(sim: JiraSimulator, http: httpx.Client, client: OAuth2Client) -> None:
    first = tokens(http, sim, client)
    wrong_secret = refresh(http, sim, client, first.refresh_token, client_secret="x")
    assert error_of(wrong_secret, 401) == "invalid_client"
    missing = refresh(http, sim, client, "<omit>")
    assert error_of(missing, 400) == "invalid_request"
    assert error_of(refresh(http, sim, client, "unknown"), 400) == "invalid_grant"
    # An access token is not a refresh token.
    assert error_of(refresh(http, sim, client, first.access_token), 400) == "invalid_grant"
    other = sim.add_oauth2_client(REDIRECT_URI, name="other")
    assert error_of(refresh(http, sim, other, first.refresh_token), 400) == "invalid_grant"


def test_refresh_may_narrow_but_not_widen_the_scope(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    first = tokens(http, sim, client)
    wider = refresh(http, sim, client, first.refresh_token, scope="ADMIN")
    assert error_of(wider, 400) == "invalid_scope"
    narrower = refresh(http, sim, client, first.refresh_token, scope="READ")
    assert narrower.status_code == 200 and narrower.json()["scope"] == "READ"


def test_expired_refresh_token_is_invalid_grant(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    sim.oauth2_settings.refresh_token_seconds = 0
    first = tokens(http, sim, client)
    assert error_of(refresh(http, sim, client, first.refresh_token), 400) == "invalid_grant"


# -- lifetimes, expiry, revocation ---------------------------------------------------------


def test_access_token_lifetime_is_settable(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    now = [2_000_000.0]
    sim.oauth2.clock = lambda: now[0]
    sim.oauth2_settings.access_token_seconds = 5
    first = tokens(http, sim, client)
    assert first.body["expires_in"] == 5
    now[0] += 4.9
    assert myself(http, sim, first.access_token).status_code == 200
    now[0] += 0.2
    expired = myself(http, sim, first.access_token)
    # The same answer as any bad Bearer token on this version.
    assert expired.status_code == 401
    assert expired.headers["X-Seraph-LoginReason"] == "AUTHENTICATED_FAILED"
    assert refresh(http, sim, client, first.refresh_token).status_code == 200


def test_expire_access_tokens_then_refresh(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    first = tokens(http, sim, client)
    second = tokens(http, sim, client, user="bob")
    assert sim.expire_oauth2_access_tokens() == 2
    assert myself(http, sim, first.access_token).status_code == 401
    assert myself(http, sim, second.access_token).status_code == 401
    renewed = refresh(http, sim, client, first.refresh_token).json()
    assert myself(http, sim, renewed["access_token"]).json()["name"] == "alice"
    assert sim.expire_oauth2_access_tokens() == 1


def test_revoking_a_users_access_ends_their_tokens_only(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    alice = tokens(http, sim, client)
    bob = tokens(http, sim, client, user="bob")
    assert sim.revoke_oauth2_tokens("alice") == 2  # one access, one refresh token
    assert myself(http, sim, alice.access_token).status_code == 401
    assert error_of(refresh(http, sim, client, alice.refresh_token), 400) == "invalid_grant"
    assert myself(http, sim, bob.access_token).status_code == 200
    assert sim.revoke_oauth2_tokens() == 2
    assert myself(http, sim, bob.access_token).status_code == 401


def test_removing_the_link_ends_its_tokens(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    first = tokens(http, sim, client)
    assert sim.remove_oauth2_client(client.client_id)
    assert not sim.remove_oauth2_client(client.client_id)
    assert myself(http, sim, first.access_token).status_code == 401
    assert error_of(refresh(http, sim, client, first.refresh_token), 401) == "invalid_client"


def test_pats_still_work_beside_oauth2(sim: JiraSimulator, http: httpx.Client) -> None:
    assert myself(http, sim, sim.user("dave").pat).json()["name"] == "dave"
    assert myself(http, sim, "not-a-token").status_code == 401


# -- scope on REST -------------------------------------------------------------------------


def test_read_scope_reads_but_does_not_write(sim: JiraSimulator, http: httpx.Client) -> None:
    client = sim.add_oauth2_client(REDIRECT_URI, scope="READ")
    read = tokens(http, sim, client)
    assert read.body["scope"] == "READ"
    headers = {"Authorization": f"Bearer {read.access_token}"}
    assert http.get(f"{sim.base_url}/rest/api/2/issue/ISB-1", headers=headers).status_code == 200
    search = http.post(
        f"{sim.base_url}/rest/api/2/search", json={"jql": "project = ISB"}, headers=headers
    )
    assert search.status_code == 200  # a search by POST only reads
    refused = comment(http, sim, read.access_token)
    assert refused.status_code == 403
    assert "READ" in refused.json()["errorMessages"][0]


def test_write_scope_writes(sim: JiraSimulator, http: httpx.Client, client: OAuth2Client) -> None:
    assert comment(http, sim, tokens(http, sim, client).access_token).status_code == 201


# -- version gating ------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["8.21.1", "8.5.0"])
def test_before_8_22_the_endpoints_do_not_exist(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client, version: str
) -> None:
    sim.set_version("8.22.0")
    issued = tokens(http, sim, client)
    sim.set_version(version)
    sim.oauth_auto_approve = "alice"
    authorize = http.get(authorize_url(sim), params=authorize_params(client, None))
    assert authorize.status_code == 404 and "Location" not in authorize.headers
    assert "null for uri" in authorize.json()["message"]
    assert http.post(token_url(sim), data={"grant_type": "refresh_token"}).status_code == 404
    # Nor does the token filter understand OAuth 2.0 access tokens.
    assert myself(http, sim, issued.access_token).status_code == 401


# -- admin API -----------------------------------------------------------------------------


def admin(sim: JiraSimulator, path: str) -> str:
    return f"{sim.base_url}/_sim/oauth2/{path}"


def test_admin_api(sim: JiraSimulator, http: httpx.Client) -> None:
    added = http.post(admin(sim, "clients"), json={"redirectUri": REDIRECT_URI})
    assert added.status_code == 201
    body = added.json()
    assert set(body) == {"clientId", "clientSecret", "redirectUri", "scope", "name"}
    assert (body["redirectUri"], body["scope"], body["name"]) == (
        REDIRECT_URI,
        "WRITE",
        "issuebridge",
    )
    fixed = http.post(
        admin(sim, "clients"),
        json={
            "redirectUri": "http://127.0.0.1:5000/cb",
            "name": "ci",
            "scope": "READ",
            "clientId": "a" * 32,
            "clientSecret": "b" * 64,
        },
    ).json()
    assert fixed["clientId"] == "a" * 32 and sim.oauth2.client("a" * 32) is not None
    assert http.get(admin(sim, "clients")).json()[1]["clientSecret"] == "b" * 64
    state = http.get(f"{sim.base_url}/_sim/state").json()["oauth2"]
    assert state["clients"] == sorted([body["clientId"], "a" * 32])
    assert (state["accessTokenSeconds"], state["codeSeconds"]) == (3600, 10)
    assert state["rotateRefreshTokens"] is True

    config = http.put(
        admin(sim, "config"),
        json={"accessTokenSeconds": 3, "codeSeconds": 0.5, "rotateRefreshTokens": False},
    )
    assert config.status_code == 200
    settings = sim.oauth2_settings
    assert (settings.access_token_seconds, settings.code_seconds) == (3, 0.5)
    assert settings.rotate_refresh_tokens is False
    bad = http.put(admin(sim, "config"), json={"rotateRefreshTokens": "yes"})
    assert bad.status_code == 400

    client = sim.oauth2.client(body["clientId"])
    assert client is not None
    issued = tokens(http, sim, client)
    assert http.post(admin(sim, "expire")).json() == {"expired": 1}
    assert myself(http, sim, issued.access_token).status_code == 401
    assert http.post(admin(sim, "revoke"), json={"user": "bob"}).json() == {"revoked": 0}
    assert http.post(admin(sim, "revoke"), json={}).json() == {"revoked": 1}

    assert http.delete(admin(sim, f"clients/{'a' * 32}")).status_code == 204
    assert http.delete(admin(sim, f"clients/{'a' * 32}")).status_code == 404
    assert http.post(admin(sim, "clients"), json={}).status_code == 400
    assert (
        http.post(admin(sim, "clients"), json={"redirectUri": "x", "scope": "ALL"}).status_code
        == 400
    )


def test_admin_request_log_counts_refreshes(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    first = tokens(http, sim, client)
    refresh(http, sim, client, first.refresh_token)
    grants = [r["grantType"] for r in http.get(f"{sim.base_url}/_sim/requests").json()]
    assert [g for g in grants if g] == ["authorization_code", "refresh_token"]
    assert not any(first.refresh_token in r.body.decode() for r in sim.request_log)


# -- command line --------------------------------------------------------------------------


def test_cli_registers_an_oauth2_client(http: httpx.Client) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "simulators", "jira-server", "--oauth2-client", REDIRECT_URI],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        base = process.stdout.readline().strip()
        line = ""
        while not line.startswith("OAuth 2.0 client:"):
            line = process.stdout.readline()
            assert line, "the start-up output ended without the client"
        found = re.fullmatch(
            r"OAuth 2\.0 client: id ([0-9a-f]{32}) secret (\S+) redirect (\S+) scope WRITE\n", line
        )
        assert found and found.group(3) == REDIRECT_URI
        clients = http.get(f"{base}/_sim/oauth2/clients").json()
        assert clients[0]["clientId"] == found.group(1)
        assert clients[0]["clientSecret"] == found.group(2)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
