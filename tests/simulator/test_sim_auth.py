"""Authentication as Jira does it: PATs by version, Basic, CAPTCHA, response headers."""

from __future__ import annotations

import base64
import re

import httpx
import pytest
from sim_helpers import bearer

from simulators.jira_server import JiraSimulator

NOT_AUTHENTICATED = {
    "errorMessages": [
        "You are not authenticated. Authentication required to perform this operation."
    ],
    "errors": {},
}


def basic(name: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_anonymous_myself_is_401_with_jira_body(sim: JiraSimulator, http: httpx.Client) -> None:
    response = http.get(f"{sim.base_url}/rest/api/2/myself")
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert response.headers["X-AUSERNAME"] == "anonymous"
    assert response.headers["WWW-Authenticate"].startswith('OAuth realm="http%3A%2F%2F127.0.0.1')


def test_server_info_is_anonymous(sim: JiraSimulator, http: httpx.Client) -> None:
    response = http.get(f"{sim.base_url}/rest/api/2/serverInfo")
    assert response.status_code == 200
    body = response.json()
    assert body["versionNumbers"] == [9, 12, 0]
    assert body["deploymentType"] == "Server"
    assert body["baseUrl"] == sim.base_url


@pytest.mark.parametrize(
    ("version", "status"), [("8.5.0", 401), ("8.13.9", 401), ("8.14.0", 200), ("9.12.0", 200)]
)
def test_bearer_token_depends_on_version(
    sim: JiraSimulator, http: httpx.Client, version: str, status: int
) -> None:
    sim.set_version(version)
    response = http.get(f"{sim.base_url}/rest/api/2/myself", headers=bearer(sim.user("bob").pat))
    assert response.status_code == status
    if status == 200:
        assert response.json()["name"] == "bob"
        assert response.headers["X-AUSERNAME"] == "bob"
    else:
        # Pre-8.14 does not understand Bearer at all: the caller is simply anonymous.
        assert response.json() == NOT_AUTHENTICATED
        assert response.headers["X-AUSERNAME"] == "anonymous"


def test_bearer_on_old_version_still_gets_anonymous_server_info(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    sim.set_version("8.5.0")
    response = http.get(
        f"{sim.base_url}/rest/api/2/serverInfo", headers=bearer(sim.user("bob").pat)
    )
    assert response.status_code == 200
    assert response.json()["versionNumbers"] == [8, 5, 0]
    assert response.headers["X-AUSERNAME"] == "anonymous"


def test_revoked_and_unknown_tokens_fail(sim: JiraSimulator, http: httpx.Client) -> None:
    token = sim.user("carol").pat
    url = f"{sim.base_url}/rest/api/2/myself"
    assert http.get(url, headers=bearer(token)).status_code == 200
    assert sim.revoke_pat(token)
    for candidate in (token, "x" * 44):
        response = http.get(url, headers=bearer(candidate))
        assert response.status_code == 401
        assert response.headers["X-Seraph-LoginReason"] == "AUTHENTICATED_FAILED"
        assert response.json() == NOT_AUTHENTICATED


def test_created_pat_works_and_is_long(sim: JiraSimulator, http: httpx.Client) -> None:
    token = sim.create_pat("dave", "laptop")
    assert len(token) >= 32
    response = http.get(f"{sim.base_url}/rest/api/2/myself", headers=bearer(token))
    assert response.json()["name"] == "dave"
    assert all(len(u.pat) >= 32 for u in sim.users)


def test_pat_rest_api_create_list_revoke(sim: JiraSimulator, http: httpx.Client) -> None:
    url = f"{sim.base_url}/rest/pat/latest/tokens"
    auth = basic("alice", "alice")
    created = http.post(url, json={"name": "editor", "expirationDuration": 90}, headers=auth)
    assert created.status_code == 201
    raw = created.json()["rawToken"]
    listed = http.get(url, headers=auth).json()
    assert created.json()["id"] in [t["id"] for t in listed]
    assert http.get(f"{sim.base_url}/rest/api/2/myself", headers=bearer(raw)).status_code == 200
    assert http.delete(f"{url}/{created.json()['id']}", headers=auth).status_code == 204
    assert http.get(f"{sim.base_url}/rest/api/2/myself", headers=bearer(raw)).status_code == 401


def test_basic_auth_and_failed_login_headers(sim: JiraSimulator, http: httpx.Client) -> None:
    ok = http.get(f"{sim.base_url}/rest/api/2/myself", headers=basic("alice", "alice"))
    assert ok.status_code == 200 and ok.headers["X-Seraph-LoginReason"] == "OK"
    bad = http.get(f"{sim.base_url}/rest/api/2/myself", headers=basic("alice", "wrong"))
    assert bad.status_code == 401
    assert bad.headers["X-Seraph-LoginReason"] == "AUTHENTICATED_FAILED"
    # An anonymous-readable resource answers 200 to a failed login.
    info = http.get(f"{sim.base_url}/rest/api/2/serverInfo", headers=basic("alice", "wrong"))
    assert info.status_code == 200
    assert info.headers["X-AUSERNAME"] == "anonymous"
    assert info.headers["X-Seraph-LoginReason"] == "AUTHENTICATED_FAILED"


def test_captcha_after_threshold_until_browser_login(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    url = f"{sim.base_url}/rest/api/2/myself"
    for _ in range(sim.config.captcha_threshold):
        assert http.get(url, headers=basic("bob", "nope")).status_code == 401
    denied = http.get(url, headers=basic("bob", "bob"))  # even the right password
    assert denied.status_code == 403
    assert denied.headers["X-Seraph-LoginReason"] == "AUTHENTICATION_DENIED"
    assert denied.headers["X-Authentication-Denied-Reason"] == (
        f"CAPTCHA_CHALLENGE; login-url={sim.base_url}/login.jsp"
    )
    # Other users are unaffected.
    assert http.get(url, headers=basic("carol", "carol")).status_code == 200
    login = http.post(
        f"{sim.base_url}/login.jsp", data={"os_username": "bob", "os_password": "bob"}
    )
    assert login.status_code == 302
    assert http.get(url, headers=basic("bob", "bob")).status_code == 200


def test_successful_login_resets_failure_count(sim: JiraSimulator, http: httpx.Client) -> None:
    url = f"{sim.base_url}/rest/api/2/myself"
    for _ in range(sim.config.captcha_threshold - 1):
        http.get(url, headers=basic("dave", "nope"))
    assert http.get(url, headers=basic("dave", "dave")).status_code == 200
    http.get(url, headers=basic("dave", "nope"))
    assert http.get(url, headers=basic("dave", "dave")).status_code == 200


def test_request_ids_are_unique_and_jira_shaped(sim: JiraSimulator, http: httpx.Client) -> None:
    ids = [
        http.get(f"{sim.base_url}/rest/api/2/serverInfo").headers["X-AREQUESTID"] for _ in range(3)
    ]
    assert len(set(ids)) == 3
    assert all(re.fullmatch(r"\d+x\d+x\d+", i) for i in ids)


def test_requests_outside_context_path_are_404(sim: JiraSimulator, http: httpx.Client) -> None:
    root = sim.base_url.removesuffix("/jira")
    assert http.get(f"{root}/rest/api/2/serverInfo").status_code == 404
    assert http.get(f"{root}/jiraX/rest/api/2/serverInfo").status_code == 404


def test_anonymous_access_can_be_refused_entirely() -> None:
    import httpx

    from simulators.jira_server import JiraSimulator, SimulatorConfig

    with JiraSimulator(SimulatorConfig(anonymous_access=False)) as sim:
        url = f"{sim.base_url}/rest/api/2/serverInfo"
        assert httpx.get(url, timeout=10).status_code == 401
        headers = {"Authorization": f"Bearer {sim.user('alice').pat}"}
        assert httpx.get(url, headers=headers, timeout=10).status_code == 200
