"""The OAuth 2.0 authorization endpoint and its two pages, in the order Jira uses them.

1. ``GET /rest/oauth2/latest/authorize`` checks little: a known client asking for a
   scope it may not have goes back to the redirect URI with ``invalid_scope``; a
   missing ``client_id``, ``redirect_uri``, ``response_type`` or ``scope`` goes to
   Jira's own error page (``/plugins/servlet/oauth2/error?errorName=…``); anything
   else is redirected to the consent page, *unknown client ids and wrong redirect URIs
   included*.
2. ``GET /plugins/servlet/oauth2/consent`` sends a visitor who is not logged in to
   ``login.jsp``; then a ``redirect_uri`` that is not a URL answers 412 and an unknown
   client 400; otherwise the page names the client and the scope, with Allow and Deny.
3. Allow posts the parameters back to ``/rest/oauth2/latest/authorize`` with the
   session's XSRF token. Now the client and its redirect URI are checked (RFC 6749
   4.1.2.1: no redirect to a URI that is not the link's, so problems go to the error
   page, as do PKCE parameter problems); ``response_type`` and scope problems go back
   to the redirect URI; else the code does.

The auto-approve switch answers step 1 with the outcome of all three at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode, urlsplit

from .auth import Authenticator, Session
from .config import SimulatorConfig
from .data import Store
from .oauth2 import (
    AUTHORIZE_PATH,
    CHALLENGE_METHODS,
    SCOPES,
    VERIFIER_PATTERN,
    OAuth2Client,
    OAuth2Provider,
    scope_rank,
)
from .web import ALLOW_DENY, login_redirect, page
from .wire import Request, Response, redirect

CONSENT_PATH = "/plugins/servlet/oauth2/consent"
ERROR_PATH = "/plugins/servlet/oauth2/error"

SCOPE_WORDS = {
    "READ": "View projects and issues your account can view",
    "WRITE": "Create, update, and delete projects and issues your account can change",
    "ADMIN": "Perform most administrative functions on the entire Jira instance",
    "SYSTEM_ADMIN": "Perform all administrative functions on the entire Jira instance",
}
# What travels from the authorize request to the consent page and back.
FORWARDED = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "code_challenge_method",
    "code_challenge",
)
REQUIRED_FOR_CONSENT = ("client_id", "redirect_uri", "response_type", "scope")


@dataclass
class Problem(Exception):
    """An authorization error: to Jira's error page, or back to the client."""

    error: str
    description: str


class OAuth2Pages:
    def __init__(
        self, config: SimulatorConfig, store: Store, auth: Authenticator, provider: OAuth2Provider
    ) -> None:
        self.config = config
        self.store = store
        self.auth = auth
        self.provider = provider

    # -- step 1: the authorize URL a client sends the browser to -------------------------

    def authorize(self, request: Request) -> Response:
        if request.method == "POST":
            return self.submitted(request)
        params = _first_values(request.query)
        early = self._before_consent(request, params)
        if early is not None:
            return early
        # Read on every request so tests can flip it: a user name, "deny", or None.
        auto = self.config.oauth_auto_approve
        user = self.store.user(auto) if auto not in (None, "deny") else None
        if auto == "deny" or user is not None:
            refused = self._consent_refusal(params)
            if refused is not None:
                return refused
            if user is None:
                return self._deny(request, params)
            return self._grant(request, params, user.name)
        query = urlencode([(k, params[k]) for k in FORWARDED if params.get(k)])
        return redirect(f"{request.base_url}{CONSENT_PATH}?{query}")

    def _before_consent(self, request: Request, params: dict[str, str]) -> Response | None:
        client = self.provider.client(params.get("client_id", ""))
        scope = params.get("scope", "")
        # Only a link's own redirect URI: Jira would redirect to any URI here.
        if (
            client is not None
            and params.get("redirect_uri") == client.redirect_uri
            and not _scope_allowed(client, scope)
        ):
            description = f"The scope '{scope}' is not valid for this client ({client.scope})"
            return _back(client.redirect_uri, "error", "invalid_scope", description, params)
        for name in REQUIRED_FOR_CONSENT:
            if not params.get(name):
                return _error_page(request, "invalid_request", _invalid(name))
        return None

    # -- step 2: the consent page ----------------------------------------------------------

    def consent(self, request: Request) -> Response:
        params = _first_values(request.query)
        if not _is_url(params.get("redirect_uri", "")):
            return _servlet_error(412, "Invalid 'redirect_uri' URL parameter.")
        session = self.auth.session(request)
        if session is None:
            return login_redirect(request, f"{CONSENT_PATH}?{request.query_string}")
        client = self.provider.client(params.get("client_id", ""))
        if client is None:
            return _servlet_error(400, "The client does not exist.")
        return self._consent_page(request, params, client, session)

    def _consent_refusal(self, params: dict[str, str]) -> Response | None:
        """What the consent page would answer instead of showing itself."""
        if not _is_url(params.get("redirect_uri", "")):
            return _servlet_error(412, "Invalid 'redirect_uri' URL parameter.")
        if self.provider.client(params.get("client_id", "")) is None:
            return _servlet_error(400, "The client does not exist.")
        return None

    def _consent_page(
        self, request: Request, params: dict[str, str], client: OAuth2Client, session: Session
    ) -> Response:
        user = self.store.user(session.user_name)
        display = user.display_name if user else session.user_name
        scope = params.get("scope", "")
        words = SCOPE_WORDS.get(scope, "")
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{escape(params[k])}">'
            for k in FORWARDED
            if params.get(k)
        )
        body = (
            f"<h1>Welcome, {escape(display)}</h1>"
            f"<p><strong>{escape(client.name)}</strong> is requesting access to your Jira "
            "account.</p>"
            f'<p id="scope"><strong>{escape(scope)}</strong>: {escape(words)}.</p>'
            f'<form method="post" action="{escape(request.base_url)}{AUTHORIZE_PATH}">'
            f'{hidden}<input type="hidden" name="atl_token" value="{escape(session.xsrf)}">'
            f"{ALLOW_DENY}</form>"
        )
        return page("Authorize access", body)

    # -- step 3: the consent page's answer -------------------------------------------------

    def submitted(self, request: Request) -> Response:
        params = _first_values(request.form())
        session = self.auth.session(request)
        if session is None or params.get("atl_token") != session.xsrf:
            return _error_page(request, "invalid_request", "Invalid XSRF token.")
        if "approve" not in params:
            return self._deny(request, params)
        return self._grant(request, params, session.user_name)

    def _deny(self, request: Request, params: dict[str, str]) -> Response:
        try:
            client = self._verified_client(params)
        except Problem as problem:
            return _error_page(request, problem.error, problem.description)
        return _back(client.redirect_uri, "error", "access_denied", "Access denied", params)

    def _grant(self, request: Request, params: dict[str, str], user_name: str) -> Response:
        try:
            client = self._verified_client(params)
            challenge, method = _pkce(params)
        except Problem as problem:
            return _error_page(request, problem.error, problem.description)
        response_type = params.get("response_type")
        if not response_type:
            return _back(
                client.redirect_uri, "error", "invalid_request", _invalid("response_type"), params
            )
        if response_type != "code":
            description = "The response type is not supported"
            return _back(
                client.redirect_uri, "error", "unsupported_response_type", description, params
            )
        scope = params.get("scope") or client.scope
        if not _scope_allowed(client, scope):
            description = f"The scope '{scope}' is not valid for this client ({client.scope})"
            return _back(client.redirect_uri, "error", "invalid_scope", description, params)
        code = self.provider.issue_code(client, user_name, scope, challenge, method)
        return _back(client.redirect_uri, "code", code, None, params)

    def _verified_client(self, params: dict[str, str]) -> OAuth2Client:
        client = self.provider.client(params.get("client_id", ""))
        if client is None:
            raise Problem("invalid_request", _invalid("client_id"))
        if params.get("redirect_uri") != client.redirect_uri:
            raise Problem("invalid_request", _invalid("redirect_uri"))
        return client

    # -- Jira's error page ---------------------------------------------------------------

    @staticmethod
    def error_page(request: Request) -> Response:
        params = _first_values(request.query)
        body = (
            "<h1>Authorization failed</h1>"
            f'<p id="error-name">{escape(params.get("errorName", ""))}</p>'
            f'<p id="error-description">{escape(params.get("errorDescription", ""))}</p>'
        )
        return page("OAuth 2.0 error", body)


def _first_values(pairs: list[tuple[str, str]]) -> dict[str, str]:
    return {key: value for key, value in reversed(pairs)}  # a servlet's getParameter


def _invalid(name: str) -> str:
    return f"Missing or invalid '{name}' parameter"


def _scope_allowed(client: OAuth2Client, scope: str) -> bool:
    return scope in SCOPES and scope_rank(scope) <= scope_rank(client.scope)


def _pkce(params: dict[str, str]) -> tuple[str | None, str | None]:
    challenge = params.get("code_challenge") or None
    method = params.get("code_challenge_method") or None
    if challenge is not None and method is None:
        method = "plain"  # RFC 7636 4.3: the default
    if method is None:
        return None, None
    if method not in CHALLENGE_METHODS:
        raise Problem("invalid_request", "The code challenge method is not supported")
    if challenge is None:
        raise Problem("invalid_request", "The code challenge is missing")
    if not VERIFIER_PATTERN.fullmatch(challenge):
        raise Problem("invalid_request", "The code challenge is invalid")
    return challenge, method


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _back(
    redirect_uri: str, key: str, value: str, description: str | None, params: dict[str, str]
) -> Response:
    pairs = [(key, value)]
    if description is not None:
        pairs.append(("error_description", description))
    if params.get("state"):
        pairs.append(("state", params["state"]))  # echoed exactly; left out when blank
    joiner = "&" if urlsplit(redirect_uri).query else "?"
    return redirect(f"{redirect_uri}{joiner}{urlencode(pairs)}")


def _error_page(request: Request, error: str, description: str) -> Response:
    query = urlencode([("errorName", error), ("errorDescription", description)])
    return redirect(f"{request.base_url}{ERROR_PATH}?{query}")


def _servlet_error(status: int, message: str) -> Response:
    # Tomcat's page for HttpServletResponse.sendError(status, message).
    return page(
        f"HTTP Status {status}", f"<h1>HTTP Status {status}</h1><p>{escape(message)}</p>", status
    )
