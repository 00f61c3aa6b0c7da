"""Helpers for the OAuth 2.0 provider tests: a client's side of the flow, by hand on
purpose (these tests check the provider, so they must control every parameter)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from simulators.jira_server import JiraSimulator
from simulators.jira_server.oauth2 import OAuth2Client

REDIRECT_URI = "http://127.0.0.1:43917/callback"


def verifier() -> str:
    return secrets.token_urlsafe(48)  # 64 unreserved characters


def challenge(code_verifier: str) -> str:
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(sim: JiraSimulator) -> str:
    return f"{sim.base_url}/rest/oauth2/latest/authorize"


def token_url(sim: JiraSimulator) -> str:
    return f"{sim.base_url}/rest/oauth2/latest/token"


def authorize_params(
    client: OAuth2Client, code_verifier: str | None, **extra: str
) -> dict[str, str]:
    params = {
        "client_id": client.client_id,
        "redirect_uri": client.redirect_uri,
        "response_type": "code",
        "scope": client.scope,
        "state": "st-1",
    }
    if code_verifier is not None:
        params["code_challenge"] = challenge(code_verifier)
        params["code_challenge_method"] = "S256"
    params.update(extra)
    return {k: v for k, v in params.items() if v != "<omit>"}


def callback_query(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    return dict(parse_qsl(urlsplit(response.headers["Location"]).query, keep_blank_values=True))


def get_code(
    http: httpx.Client,
    sim: JiraSimulator,
    client: OAuth2Client,
    code_verifier: str | None,
    user: str = "alice",
    **extra: str,
) -> str:
    """A code approved through the auto-approve switch."""
    sim.oauth_auto_approve = user
    try:
        response = http.get(
            authorize_url(sim), params=authorize_params(client, code_verifier, **extra)
        )
    finally:
        sim.oauth_auto_approve = None
    return callback_query(response)["code"]


def exchange(
    http: httpx.Client,
    sim: JiraSimulator,
    client: OAuth2Client,
    code: str,
    code_verifier: str | None,
    **extra: str,
) -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "code": code,
        "redirect_uri": client.redirect_uri,
    }
    if code_verifier is not None:
        data["code_verifier"] = code_verifier
    data.update(extra)
    return http.post(token_url(sim), data={k: v for k, v in data.items() if v != "<omit>"})


def refresh(
    http: httpx.Client, sim: JiraSimulator, client: OAuth2Client, refresh_token: str, **extra: str
) -> httpx.Response:
    data = {
        "grant_type": "refresh_token",
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "refresh_token": refresh_token,
        "redirect_uri": client.redirect_uri,
    }
    data.update(extra)
    return http.post(token_url(sim), data={k: v for k, v in data.items() if v != "<omit>"})


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    body: dict[str, Any]


def tokens(
    http: httpx.Client,
    sim: JiraSimulator,
    client: OAuth2Client,
    user: str = "alice",
    **extra: str,
) -> Tokens:
    """The whole flow with PKCE S256: an access and a refresh token for `user`."""
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier, user, **extra)
    response = exchange(http, sim, client, code, code_verifier)
    assert response.status_code == 200, response.text
    body = response.json()
    return Tokens(body["access_token"], body["refresh_token"], body)


def error_of(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "error_description"} and body["error_description"]
    error: str = body["error"]
    return error


def myself(http: httpx.Client, sim: JiraSimulator, access_token: str) -> httpx.Response:
    return http.get(
        f"{sim.base_url}/rest/api/2/myself", headers={"Authorization": f"Bearer {access_token}"}
    )
