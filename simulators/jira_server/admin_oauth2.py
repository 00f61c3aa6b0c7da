"""The admin API's OAuth 2.0 part (``{base}/_sim/oauth2/…``): incoming links, the
provider's settings, and what a user or time does to tokens. Not part of Jira."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .oauth2 import OAuth2Client
from .wire import Response, error_response, json_response, no_content

if TYPE_CHECKING:
    from .server import JiraSimulator

PREFIX = "/oauth2"


def client_json(client: OAuth2Client) -> dict[str, str]:
    return {
        "clientId": client.client_id,
        "clientSecret": client.client_secret,
        "redirectUri": client.redirect_uri,
        "scope": client.scope,
        "name": client.name,
    }


def settings_json(sim: JiraSimulator) -> dict[str, Any]:
    settings = sim.oauth2_settings
    with sim.oauth2.lock:
        clients = sorted(sim.oauth2.clients)
    return {
        "clients": clients,
        "accessTokenSeconds": settings.access_token_seconds,
        "codeSeconds": settings.code_seconds,
        "rotateRefreshTokens": settings.rotate_refresh_tokens,
    }


def handle(sim: JiraSimulator, method: str, route: str, body: dict[str, Any]) -> Response | None:
    """The answer for an OAuth 2.0 admin route, or None when the route is not one."""
    if not route.startswith(PREFIX + "/"):
        return None
    route = route[len(PREFIX) :]
    if (method, route) == ("GET", "/clients"):
        with sim.oauth2.lock:
            clients = list(sim.oauth2.clients.values())
        return json_response(200, [client_json(c) for c in clients])
    if (method, route) == ("POST", "/clients"):
        redirect_uri = body.get("redirectUri")
        if not isinstance(redirect_uri, str) or not redirect_uri:
            raise KeyError("redirectUri")
        client = sim.add_oauth2_client(
            redirect_uri,
            name=str(body.get("name") or "issuebridge"),
            scope=str(body.get("scope") or "WRITE"),
            client_id=body.get("clientId") or None,
            client_secret=body.get("clientSecret") or None,
        )
        return json_response(201, client_json(client))
    if method == "DELETE" and route.startswith("/clients/"):
        removed = sim.remove_oauth2_client(route[len("/clients/") :])
        return no_content() if removed else error_response(404, ["No such OAuth 2.0 client."])
    if (method, route) == ("PUT", "/config"):
        configure(sim, body)
        return json_response(200, settings_json(sim))
    if (method, route) == ("POST", "/revoke"):
        user = body.get("user")
        return json_response(200, {"revoked": sim.revoke_oauth2_tokens(user)})
    if (method, route) == ("POST", "/expire"):
        return json_response(200, {"expired": sim.expire_oauth2_access_tokens()})
    return None


def configure(sim: JiraSimulator, body: dict[str, Any]) -> None:
    settings = sim.oauth2_settings
    if "accessTokenSeconds" in body:
        settings.access_token_seconds = float(body["accessTokenSeconds"])
    if "codeSeconds" in body:
        settings.code_seconds = float(body["codeSeconds"])
    if "rotateRefreshTokens" in body:
        rotate = body["rotateRefreshTokens"]
        if not isinstance(rotate, bool):
            raise ValueError('"rotateRefreshTokens" must be true or false')
        settings.rotate_refresh_tokens = rotate
