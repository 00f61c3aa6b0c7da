"""Helpers shared by the simulator tests (plain functions; fixtures live in conftest)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from oauthlib.oauth1 import SIGNATURE_RSA, Client

from simulators.jira_server import JiraSimulator

CONSUMER_KEY = "issuebridge-test"


@dataclass(frozen=True)
class KeyPair:
    private_pem: str
    public_pem: str


def key_pair() -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return KeyPair(private, public)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def oauth_client(
    keys: KeyPair,
    token: str | None = None,
    verifier: str | None = None,
    callback: str | None = None,
    **kwargs: object,
) -> Client:
    return Client(
        CONSUMER_KEY,
        signature_method=SIGNATURE_RSA,
        rsa_key=keys.private_pem,
        resource_owner_key=token,
        verifier=verifier,
        callback_uri=callback,
        **kwargs,
    )


def signed_post(http: httpx.Client, client: Client, url: str) -> httpx.Response:
    uri, headers, _ = client.sign(url, http_method="POST")
    return http.post(uri, headers=headers)


def signed_get(http: httpx.Client, client: Client, url: str) -> httpx.Response:
    uri, headers, _ = client.sign(url, http_method="GET")
    return http.get(uri, headers=headers)


def form(response: httpx.Response) -> dict[str, str]:
    return dict(parse_qsl(response.text, keep_blank_values=True))


def request_token(
    http: httpx.Client, sim: JiraSimulator, keys: KeyPair, callback: str = "http://127.0.0.1:9/cb"
) -> dict[str, str]:
    response = signed_post(
        http,
        oauth_client(keys, callback=callback),
        f"{sim.base_url}/plugins/servlet/oauth/request-token",
    )
    assert response.status_code == 200, response.text
    return form(response)


def approve(http: httpx.Client, sim: JiraSimulator, token: str, as_user: str = "alice") -> str:
    """Approve via the auto-approve switch; return the verifier from the redirect."""
    sim.oauth_auto_approve = as_user
    response = http.get(
        f"{sim.base_url}/plugins/servlet/oauth/authorize", params={"oauth_token": token}
    )
    sim.oauth_auto_approve = None
    assert response.status_code == 302
    return dict(parse_qsl(urlsplit(response.headers["Location"]).query))["oauth_verifier"]


def access_token(
    http: httpx.Client, sim: JiraSimulator, keys: KeyPair, as_user: str = "alice"
) -> dict[str, str]:
    temp = request_token(http, sim, keys)
    verifier = approve(http, sim, temp["oauth_token"], as_user)
    response = signed_post(
        http,
        oauth_client(keys, temp["oauth_token"], verifier),
        f"{sim.base_url}/plugins/servlet/oauth/access-token",
    )
    assert response.status_code == 200, response.text
    return form(response)
