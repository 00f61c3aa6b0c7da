"""Jira's side of OAuth 2.0 (Data Center 8.22+): an incoming link to an "External
application", its two endpoints, and what their errors mean.

authorize (the browser, with state and a PKCE S256 challenge) -> the redirect URI
gets `code` and `state` -> the token endpoint exchanges the code (client id and
secret as form parameters, the redirect URI, the code verifier) for an access token
and a refresh token. Refreshing sends the redirect URI too: Jira checks it there
(leaving it out gives `invalid_grant`). Parameters are built and read by
`agent.auth.oauth2` (oauthlib); this module knows Jira's paths and words.
"""

import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import attrs

from agent.auth import oauth2
from agent.auth.callback import OAUTH2
from agent.auth.loopback import ListenAt
from agent.bodies import describe_body
from agent.errors import AuthenticationFailed, InvalidParams, UnsupportedServer
from agent.providers.base import PendingAuthorization
from agent.providers.jira_server import failures, oauth2_errors
from agent.providers.jira_server.methods import DEFAULT_REDIRECT_URI, DEFAULT_SCOPE
from agent.secret import Secret

if TYPE_CHECKING:
    import httpx

    from agent.providers.jira_server.api import JiraApi

AUTHORIZE_PATH = "/rest/oauth2/latest/authorize"
TOKEN_PATH = "/rest/oauth2/latest/token"
MINIMUM_VERSION = (8, 22)
SCOPES = ("READ", "WRITE")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")
# Jira's code lives seconds, but the user may need minutes to log in first; Jira's
# login page and consent page keep the authorization request that long.
AUTHORIZATION_WAIT_SECONDS = 600
# What configure sends as a code (see probe_secret): the token endpoint's answer says
# it is there, and a server that checks the client first says whether the secret is.
PROBE_CODE = "issuebridge-configuration-check"
PROBE_VERIFIER = Secret("issuebridge-configuration-check-" + "0" * 32)
SETTING_NAMES = ("clientId", "redirectUri", "scope")


@attrs.frozen
class Link:
    """The incoming link's settings, as the admin registered them."""

    client_id: str
    redirect_uri: str
    scope: str = DEFAULT_SCOPE

    @classmethod
    def of(cls, settings: dict[str, str]) -> "Link":
        return cls(
            settings.get("clientId", ""),
            settings.get("redirectUri", DEFAULT_REDIRECT_URI),
            settings.get("scope", DEFAULT_SCOPE),
        )

    def settings(self) -> dict[str, str]:
        return {"clientId": self.client_id, "redirectUri": self.redirect_uri, "scope": self.scope}


def parse_link(fields: dict[str, str]) -> Link:
    """The form's link settings, checked: -32602 naming the field that is wrong."""
    client_id = fields["clientId"].strip()
    if any(c.isspace() for c in client_id):
        raise InvalidParams(
            "fields.clientId", "The client id contains spaces; paste only the id Jira shows."
        )
    redirect_uri = (fields.get("redirectUri") or DEFAULT_REDIRECT_URI).strip()
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment:
        raise InvalidParams(
            "fields.redirectUri",
            "The redirect URI must be an absolute http:// or https:// address without a "
            "fragment, exactly as registered in Jira's link.",
            hint=f"The default is {DEFAULT_REDIRECT_URI}.",
        )
    scope = (fields.get("scope") or DEFAULT_SCOPE).strip().upper()
    if scope not in SCOPES:
        raise InvalidParams(
            "fields.scope",
            f"The scope must be READ or WRITE, not {scope[:20]!r}.",
            hint="WRITE (the default) lets issuebridge comment and move issues with your own "
            "rights; READ only reads.",
        )
    return Link(client_id, redirect_uri, scope)


def listen_at(link: Link) -> ListenAt | None:
    """The loopback listener for the registered redirect URI; None when it leads to
    another host (the user then pastes the address the browser shows)."""
    parts = urlsplit(link.redirect_uri)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS or parts.query:
        return None
    return ListenAt(port=parts.port or 80, path=parts.path or "/", registered=link.redirect_uri)


# --- configure ------------------------------------------------------------------


def require_version(version: str | None, numbers: tuple[int, ...]) -> None:
    if numbers < MINIMUM_VERSION:
        raise UnsupportedServer(
            f"Jira {version or 'of this version'} has no OAuth 2.0 provider for external "
            "applications (it arrived in Jira Data Center 8.22).",
            hint="Use OAuth 1.0a (an Application Link) with this server, or a personal access "
            "token if it is Jira 8.14 or later.",
            action="configure",
            serverVersion=version,
        )


async def probe_client(api: "JiraApi", link: Link) -> None:
    """The authorize endpoint is there, and does not refuse the client id or redirect
    URI outright. Jira itself sends every complete request on to its consent page (and
    an anonymous visitor on to the login page), unknown client ids included: it names
    an unknown client only to a logged-in user, in the browser. A Jira (or a proxy in
    front of it) that answers a client error here does say more. Redirects are not
    followed."""
    request = oauth2.authorization_request(
        api.base_url + AUTHORIZE_PATH, link.client_id, link.redirect_uri, link.scope
    )
    path = request.url[len(api.base_url) :]
    response = await api.send("GET", path, auth=None)
    status = response.status_code
    if status == 404:
        raise UnsupportedServer(
            f"{api.base_url} has no OAuth 2.0 authorize endpoint ({AUTHORIZE_PATH} is not "
            "found), though its version should have one.",
            hint="Ask the Jira admin whether OAuth 2.0 is turned off; or use OAuth 1.0a or a "
            "personal access token.",
            action="configure",
        )
    if 400 <= status < 500:
        said = describe_body(response).lower() + " " + response.text[:2000].lower()
        if "redirect" in said:
            raise InvalidParams(
                "fields.redirectUri",
                f"Jira's link with client id {link.client_id} does not have the redirect URI "
                f"{link.redirect_uri}.",
                hint="Register exactly this redirect URI in the link (Administration > "
                "Applications > Application links), or enter the one registered there.",
            )
        raise AuthenticationFailed(
            f"Jira does not know the client id {link.client_id} (its authorize page answered "
            f"HTTP {status}).",
            hint="Copy the client id from Jira's incoming link to the external application "
            "(Administration > Applications > Application links).",
            action="configure",
            httpStatus=status,
            field="fields.clientId",
        )
    if status >= 500:
        raise failures.remote_error(response, "the OAuth 2.0 authorize request")


async def probe_secret(api: "JiraApi", link: Link, client_secret: Secret) -> None:
    """A code grant with a made-up code. Jira checks the code first and the secret
    last, so its answer (`invalid_request`) proves only that the token endpoint is
    there; a wrong secret shows at the first real exchange. A server that checks the
    client first answers `invalid_client` for a wrong id or secret, which is worth
    saying now."""
    body = oauth2.code_grant_body(
        link.client_id, client_secret, PROBE_CODE, link.redirect_uri, PROBE_VERIFIER
    )
    try:
        await _token_request(api, link, body)
    except oauth2.OAuth2Problem as problem:
        if problem.error == "invalid_client":
            raise AuthenticationFailed(
                "Jira refused the client secret for this client id (or the client id).",
                hint="Copy the client secret (and the client id) again from Jira's incoming "
                "link to the external application, and configure again.",
                action="configure",
                oauthError=problem.error,
                field="fields.clientSecret",
            ) from None
        # invalid_request or invalid_grant: the made-up code, as expected.


# --- authorize ------------------------------------------------------------------


def start(base_url: str, link: Link) -> PendingAuthorization:
    request = oauth2.authorization_request(
        base_url + AUTHORIZE_PATH, link.client_id, link.redirect_uri, link.scope
    )
    return PendingAuthorization(
        authorize_url=request.url,
        expires_at=time.time() + AUTHORIZATION_WAIT_SECONDS,
        state={"state": request.state, "codeVerifier": request.code_verifier},
        expected=request.state,
        form=OAUTH2,
    )


async def exchange(
    api: "JiraApi", link: Link, client_secret: Secret, pending: PendingAuthorization, code: Secret
) -> oauth2.Tokens:
    verifier = pending.state["codeVerifier"]
    body = oauth2.code_grant_body(
        link.client_id, client_secret, code.reveal(), link.redirect_uri, verifier
    )
    try:
        return await _token_request(api, link, body)
    except oauth2.OAuth2Problem as problem:
        raise oauth2_errors.grant_refused(problem, "code") from None


async def refresh(
    api: "JiraApi", link: Link, client_secret: Secret, refresh_token: Secret
) -> oauth2.Tokens:
    body = oauth2.refresh_grant_body(
        link.client_id, client_secret, refresh_token, link.redirect_uri
    )
    try:
        tokens = await _token_request(api, link, body)
    except oauth2.OAuth2Problem as problem:
        raise oauth2_errors.grant_refused(problem, "refresh") from None
    # Jira may rotate refresh tokens: keep whichever one the answer carries.
    if tokens.refresh_token is None:
        tokens = attrs.evolve(tokens, refresh_token=refresh_token)
    return tokens


async def _token_request(api: "JiraApi", link: Link, body: str) -> oauth2.Tokens:
    """POST the grant; the tokens, or Jira's OAuth error as an OAuth2Problem."""
    # Never sent twice: a code is good for one exchange, and a rotated refresh token
    # for one refresh; a second attempt would be refused (and may revoke the grant).
    response = await api.send(
        "POST",
        TOKEN_PATH,
        content=body.encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=None,
        idempotent=False,
    )
    if response.status_code == 200 or _is_oauth_error(response):
        return oauth2.parse_token_answer(link.client_id, response.text)
    if response.status_code == 404:
        raise UnsupportedServer(
            f"{api.base_url} has no OAuth 2.0 token endpoint ({TOKEN_PATH} is not found).",
            hint="Check the base URL; OAuth 2.0 needs Jira Data Center 8.22 or later.",
            action="configure",
        )
    raise failures.remote_error(response, "the OAuth 2.0 token request")


def _is_oauth_error(response: "httpx.Response") -> bool:
    if response.status_code not in (400, 401, 403):
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("error"), str)
