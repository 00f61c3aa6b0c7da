"""The OAuth 2.0 authorization endpoint: checks, the login detour and the consent page.

RFC 6749 4.1.2.1 decides how a bad request is answered: with an unknown client or a
redirect URI that is not the link's, the provider must not redirect (the URI cannot be
trusted), so it answers 400 itself; every other problem goes back to the client's
redirect URI as ``error=…&error_description=…&state=…``. A visitor who is not logged
in goes to ``login.jsp`` first, as on the OAuth 1.0a page; the consent form carries
the session's ``atl_token`` like every Jira form.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode, urlsplit

from .auth import Authenticator
from .config import SimulatorConfig
from .data import Store
from .oauth2 import (
    AUTHORIZE_PATH,
    CHALLENGE_METHODS,
    SCOPES,
    VERIFIER_PATTERN,
    OAuth2Client,
    OAuth2Provider,
    parse_scope,
    scope_rank,
)
from .web import ALLOW_DENY, login_redirect, page, xsrf_missing
from .wire import Request, Response, json_response, redirect

SCOPE_WORDS = {
    "READ": "View projects and issues your account can view",
    "WRITE": "Create, update, and delete projects and issues your account can change",
    "ADMIN": "Perform most administrative functions on the entire Jira instance",
    "SYSTEM_ADMIN": "Perform all administrative functions on the entire Jira instance",
}
# What the consent form carries back, so the POST is checked exactly like the GET.
FORWARDED = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)


@dataclass
class AuthorizeRequest:
    client: OAuth2Client
    scope: str
    state: str | None
    challenge: str | None
    challenge_method: str | None


class RedirectError(Exception):
    """A problem reported to the client at its (verified) redirect URI."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(error)
        self.error = error
        self.description = description


class OAuth2Pages:
    def __init__(
        self, config: SimulatorConfig, store: Store, auth: Authenticator, provider: OAuth2Provider
    ) -> None:
        self.config = config
        self.store = store
        self.auth = auth
        self.provider = provider

    def authorize(self, request: Request) -> Response:
        source = request.form() if request.method == "POST" else request.query
        params = {key: value for key, value in reversed(source)}  # the first value wins
        client = self.provider.client(params.get("client_id", ""))
        if client is None:
            return _refuse("invalid_client", "Unknown client_id: no incoming link has it")
        if params.get("redirect_uri") != client.redirect_uri:
            return _refuse(
                "invalid_request",
                "Invalid redirect_uri: it must be exactly the redirect URL of the link",
            )
        state = params.get("state")
        try:
            checked = self._check(client, params)
        except RedirectError as error:
            return _back(
                client, [("error", error.error), ("error_description", error.description)], state
            )
        return self._decide(request, params, checked)

    def _check(self, client: OAuth2Client, params: dict[str, str]) -> AuthorizeRequest:
        response_type = params.get("response_type")
        if not response_type:
            raise RedirectError("invalid_request", "Missing required parameter: response_type")
        if response_type != "code":
            raise RedirectError(
                "unsupported_response_type", f"Response type is not supported: {response_type}"
            )
        raw_scope = params.get("scope")
        if not raw_scope:
            raise RedirectError("invalid_request", "Missing required parameter: scope")
        scopes = parse_scope(raw_scope)
        if scopes is None:
            raise RedirectError("invalid_scope", f"Scopes must be among {', '.join(SCOPES)}")
        scope = max(scopes, key=scope_rank)
        if scope_rank(scope) > scope_rank(client.scope):
            raise RedirectError("invalid_scope", f"The link allows at most {client.scope}")
        challenge = params.get("code_challenge") or None
        method = params.get("code_challenge_method") or None
        if method is not None and method not in CHALLENGE_METHODS:
            raise RedirectError("invalid_request", "code_challenge_method must be S256 or plain")
        if method is not None and challenge is None:
            raise RedirectError("invalid_request", "Missing required parameter: code_challenge")
        if challenge is not None and not VERIFIER_PATTERN.fullmatch(challenge):
            raise RedirectError("invalid_request", "Invalid code_challenge")
        if challenge is not None and method is None:
            method = "plain"  # RFC 7636 4.3: the default
        return AuthorizeRequest(client, scope, params.get("state"), challenge, method)

    def _decide(
        self, request: Request, params: dict[str, str], checked: AuthorizeRequest
    ) -> Response:
        # Read on every request so tests can flip it: a user name, "deny", or None.
        auto = self.config.oauth_auto_approve
        if auto is not None and request.method == "GET":
            if auto == "deny":
                return self._denied(checked)
            user = self.store.user(auto)
            if user is not None:
                return self._approved(checked, user.name)
        session = self.auth.session(request)
        if session is None:
            query = urlencode([(k, params[k]) for k in FORWARDED if k in params])
            destination = f"{AUTHORIZE_PATH}?{query}"
            return login_redirect(request, destination)
        if request.method == "POST":
            if request.form_arg("atl_token") != session.xsrf:
                return xsrf_missing()
            if request.form_arg("approve") is not None:
                return self._approved(checked, session.user_name)
            return self._denied(checked)
        user = self.store.user(session.user_name)
        display = user.display_name if user else session.user_name
        return self._consent(request, params, checked, display, session.xsrf)

    def _approved(self, checked: AuthorizeRequest, user_name: str) -> Response:
        code = self.provider.issue_code(
            checked.client, user_name, checked.scope, checked.challenge, checked.challenge_method
        )
        return _back(checked.client, [("code", code)], checked.state)

    @staticmethod
    def _denied(checked: AuthorizeRequest) -> Response:
        pairs = [("error", "access_denied"), ("error_description", "The user denied access")]
        return _back(checked.client, pairs, checked.state)

    @staticmethod
    def _consent(
        request: Request,
        params: dict[str, str],
        checked: AuthorizeRequest,
        display: str,
        xsrf: str,
    ) -> Response:
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{escape(params[k])}">'
            for k in FORWARDED
            if k in params
        )
        body = (
            f"<h1>Welcome, {escape(display)}</h1>"
            f"<p><strong>{escape(checked.client.name)}</strong> is requesting access to your "
            "Jira account.</p>"
            f'<p id="scope"><strong>{escape(checked.scope)}</strong>: '
            f"{escape(SCOPE_WORDS[checked.scope])}.</p>"
            f'<form method="post" action="{escape(request.base_url)}{AUTHORIZE_PATH}">'
            f'{hidden}<input type="hidden" name="atl_token" value="{escape(xsrf)}">'
            f"{ALLOW_DENY}</form>"
        )
        return page("Authorize access", body)


def _refuse(error: str, description: str) -> Response:
    # Shown to the person in the browser, never sent to an unverified redirect URI.
    return json_response(400, {"error": error, "error_description": description})


def _back(client: OAuth2Client, pairs: list[tuple[str, str]], state: str | None) -> Response:
    if state is not None:
        pairs = [*pairs, ("state", state)]  # echoed exactly, only when it came
    joiner = "&" if urlsplit(client.redirect_uri).query else "?"
    return redirect(f"{client.redirect_uri}{joiner}{urlencode(pairs)}")
