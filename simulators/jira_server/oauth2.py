"""OAuth 2.0 provider side (Jira DC 8.22+, an incoming link to an "External application").

What Atlassian documents ("Jira OAuth 2.0 provider API", "Configure an incoming link",
"OAuth 2.0 provider system properties") plus RFC 6749 and RFC 7636 where Jira's pages
say nothing: clients with exactly one redirect URL and a permission (scope), the
authorization code grant with optional PKCE, single-use codes that live
``code_seconds`` (``atlassian.oauth2.provider.max.client.delay.seconds``, 10 s),
access tokens that live ``access_token_seconds`` (3600 s), refresh tokens (90 days)
and errors as ``{error, error_description}`` JSON. The authorize page lives in
``oauth2_web.py``; this module holds the state and the token endpoint.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from .wire import Request, Response, error_response, json_response

OAUTH2_MIN_VERSION = (8, 22, 0)
AUTHORIZE_PATH = "/rest/oauth2/latest/authorize"
TOKEN_PATH = "/rest/oauth2/latest/token"

# Each scope includes the ones before it; a link's permission caps what may be asked.
SCOPES = ("READ", "WRITE", "ADMIN", "SYSTEM_ADMIN")
CHALLENGE_METHODS = ("S256", "plain")
# RFC 7636 4.1: 43-128 unreserved characters (a challenge has the same alphabet).
VERIFIER_PATTERN = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
REFRESH_TOKEN_SECONDS = 7776000.0  # atlassian.oauth2.provider.refresh.token.expiration.seconds

# Values that must never land in the request log (tests read it; people print it).
SECRET_PARAMETERS = ("client_secret", "code", "code_verifier", "refresh_token")
REDACTED = "[redacted]"


@dataclass
class OAuth2Settings:
    """Settable while the simulator runs (the system properties of a real Jira)."""

    access_token_seconds: float = 3600.0
    code_seconds: float = 10.0
    # True: a refresh answers with a new refresh token and the one used stops working
    # at once. False: the same refresh token comes back and keeps working.
    rotate_refresh_tokens: bool = True
    refresh_token_seconds: float = REFRESH_TOKEN_SECONDS


@dataclass(frozen=True)
class OAuth2Client:
    client_id: str
    client_secret: str
    redirect_uri: str
    scope: str
    name: str


@dataclass
class AuthorizationCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user_name: str
    expires: float
    challenge: str | None
    challenge_method: str | None
    used: bool = False
    # Tokens this code gave: revoked if the code is presented again (RFC 6749 10.5).
    issued: list[str] = field(default_factory=list)


@dataclass
class IssuedToken:
    value: str
    kind: str  # "access" or "refresh"
    client_id: str
    user_name: str
    scope: str
    expires: float
    revoked: bool = False
    # The access token issued with a refresh token (and the other way round).
    partner: str | None = None


class OAuth2Error(Exception):
    """An RFC 6749 5.2 error answer of the token endpoint."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def response(self) -> Response:
        response = json_response(
            self.status, {"error": self.error, "error_description": self.description}
        )
        return _no_store(response)


def scope_rank(scope: str) -> int:
    return SCOPES.index(scope)


def parse_scope(raw: str) -> list[str] | None:
    """The scopes of a space-separated list, or None when one is not Jira's."""
    names = raw.split()
    if not names or any(name not in SCOPES for name in names):
        return None
    return names


READ_METHODS = ("GET", "HEAD", "OPTIONS")


def scope_allows(scope: str, method: str, path: str) -> bool:
    """READ may only read; WRITE and above may do what the user may. A JQL search by
    POST (``/search``) only reads, so READ may send it."""
    if scope_rank(scope) >= scope_rank("WRITE") or method in READ_METHODS:
        return True
    return method == "POST" and path.rstrip("/").endswith("/search")


def scope_refused(scope: str) -> Response:
    return error_response(
        403, [f"The OAuth 2.0 access token's scope ({scope}) does not allow this request."]
    )


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_client_id() -> str:
    return secrets.token_hex(16)  # 32 hex characters, as Jira shows them


def new_client_secret() -> str:
    return secrets.token_hex(32)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def parameters(request: Request) -> dict[str, str]:
    """Token endpoint parameters: the form body, then the query (a servlet's
    getParameter reads both; Atlassian's own examples put them in the query)."""
    params: dict[str, str] = {}
    for key, value in [*request.form(), *request.query]:
        params.setdefault(key, value)
    return params


def redact_form(encoded: str) -> str:
    """Form or query parameters with the secret values replaced, grant_type kept."""
    pairs = parse_qsl(encoded, keep_blank_values=True)
    return urlencode([(k, REDACTED if k in SECRET_PARAMETERS else v) for k, v in pairs])


def redact_body(body: bytes, content_type: str) -> bytes:
    """A token request's body as the request log may keep it."""
    if content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        return redact_form(body.decode("utf-8", "replace")).encode("ascii")
    return REDACTED.encode("ascii") if body else body


class OAuth2Provider:
    def __init__(self) -> None:
        self.settings = OAuth2Settings()
        self.lock = threading.RLock()
        self.clients: dict[str, OAuth2Client] = {}
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: dict[str, IssuedToken] = {}
        # Replaceable so tests can move the provider's clock.
        self.clock = time.time

    # -- administration (the incoming link) ------------------------------------------------

    def add_client(
        self,
        redirect_uri: str,
        *,
        name: str = "issuebridge",
        scope: str = "WRITE",
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> OAuth2Client:
        if scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
        if not redirect_uri:
            raise ValueError("a link needs a redirect URL")
        client = OAuth2Client(
            client_id or new_client_id(),
            client_secret or new_client_secret(),
            redirect_uri,
            scope,
            name,
        )
        with self.lock:
            self.clients[client.client_id] = client
        return client

    def remove_client(self, client_id: str) -> bool:
        with self.lock:
            removed = self.clients.pop(client_id, None) is not None
            # Deleting the link ends everything issued to it.
            for value in [v for v, t in self.tokens.items() if t.client_id == client_id]:
                del self.tokens[value]
            for value in [v for v, c in self.codes.items() if c.client_id == client_id]:
                del self.codes[value]
            return removed

    def client(self, client_id: str) -> OAuth2Client | None:
        with self.lock:
            return self.clients.get(client_id)

    def revoke(self, user_name: str | None = None) -> int:
        """What "Authorized applications" → Revoke does: every token of the user (or of
        everyone) stops working. Returns how many live tokens were revoked."""
        now = self.clock()
        count = 0
        with self.lock:
            for token in self.tokens.values():
                if user_name is not None and token.user_name != user_name:
                    continue
                if not token.revoked and now < token.expires:
                    count += 1
                token.revoked = True
        return count

    def expire_access_tokens(self) -> int:
        now = self.clock()
        count = 0
        with self.lock:
            for token in self.tokens.values():
                if token.kind == "access" and not token.revoked and now < token.expires:
                    token.expires = now
                    count += 1
        return count

    # -- the authorization endpoint's half (the page in oauth2_web.py calls these) ---------

    def issue_code(
        self,
        client: OAuth2Client,
        user_name: str,
        scope: str,
        challenge: str | None,
        challenge_method: str | None,
    ) -> str:
        code = AuthorizationCode(
            code=new_token(),
            client_id=client.client_id,
            redirect_uri=client.redirect_uri,
            scope=scope,
            user_name=user_name,
            expires=self.clock() + self.settings.code_seconds,
            challenge=challenge,
            challenge_method=challenge_method,
        )
        with self.lock:
            self.codes[code.code] = code
        return code.code

    # -- resources -----------------------------------------------------------------------

    def access_token(self, value: str) -> IssuedToken | None:
        """The live access token with this value, or None (unknown, expired, revoked)."""
        with self.lock:
            token = self.tokens.get(value)
        if token is None or token.kind != "access" or token.revoked:
            return None
        if self.clock() >= token.expires:
            return None
        return token

    # -- the token endpoint -----------------------------------------------------------------

    def token_endpoint(self, request: Request) -> Response:
        if request.method != "POST":
            return Response(405, b"", None, [("Allow", "POST")])
        try:
            return self._token(request)
        except OAuth2Error as error:
            return error.response()

    def _token(self, request: Request) -> Response:
        params = parameters(request)
        client = self._authenticate_client(request, params)
        grant_type = params.get("grant_type")
        if not grant_type:
            raise OAuth2Error("invalid_request", "Missing required parameter: grant_type")
        if grant_type == "authorization_code":
            return self._authorization_code(client, params)
        if grant_type == "refresh_token":
            return self._refresh(client, params)
        raise OAuth2Error("unsupported_grant_type", f"Grant type is not supported: {grant_type}")

    def _authenticate_client(self, request: Request, params: dict[str, str]) -> OAuth2Client:
        client_id = params.get("client_id")
        client_secret = params.get("client_secret")
        basic = _basic_credentials(request)
        if basic is not None and client_id is None:
            client_id, client_secret = basic
        client = self.client(client_id or "")
        if (
            client is None
            or client_secret is None
            or not hmac.compare_digest(client.client_secret, client_secret)
        ):
            raise OAuth2Error("invalid_client", "Client authentication failed", 401)
        return client

    def _authorization_code(self, client: OAuth2Client, params: dict[str, str]) -> Response:
        value = params.get("code")
        if not value:
            raise OAuth2Error("invalid_request", "Missing required parameter: code")
        with self.lock:
            code = self.codes.get(value)
            if code is None or code.client_id != client.client_id:
                raise OAuth2Error("invalid_grant", "Invalid authorization code")
            if code.used:
                # RFC 6749 10.5: a code seen twice may be stolen; end what it gave.
                for value_given in code.issued:
                    if value_given in self.tokens:
                        self.tokens[value_given].revoked = True
                raise OAuth2Error("invalid_grant", "Authorization code already used")
            # Any exchange attempt uses the code up, so a guessed verifier gets one try.
            code.used = True
            if self.clock() >= code.expires:
                raise OAuth2Error("invalid_grant", "Authorization code expired")
            redirect_uri = params.get("redirect_uri")
            if not redirect_uri:
                raise OAuth2Error("invalid_request", "Missing required parameter: redirect_uri")
            if redirect_uri != code.redirect_uri:
                raise OAuth2Error("invalid_grant", "Redirect URI does not match")
            self._check_verifier(code, params.get("code_verifier"))
            answer, issued = self._issue(client, code.user_name, code.scope)
            code.issued.extend(issued)
        return answer

    @staticmethod
    def _check_verifier(code: AuthorizationCode, verifier: str | None) -> None:
        if code.challenge is None:
            return  # the plain authorization code flow, without PKCE
        if not verifier:
            raise OAuth2Error("invalid_request", "Missing required parameter: code_verifier")
        if not VERIFIER_PATTERN.fullmatch(verifier):
            raise OAuth2Error("invalid_grant", "Invalid code_verifier")
        expected = s256(verifier) if code.challenge_method == "S256" else verifier
        if not hmac.compare_digest(expected, code.challenge):
            raise OAuth2Error("invalid_grant", "PKCE verification failed")

    def _refresh(self, client: OAuth2Client, params: dict[str, str]) -> Response:
        value = params.get("refresh_token")
        if not value:
            raise OAuth2Error("invalid_request", "Missing required parameter: refresh_token")
        # Jira checks the redirect URI on a refresh too; leaving it out is invalid_grant.
        if params.get("redirect_uri") != client.redirect_uri:
            raise OAuth2Error("invalid_grant", "Redirect URI does not match")
        with self.lock:
            token = self.tokens.get(value)
            if (
                token is None
                or token.kind != "refresh"
                or token.client_id != client.client_id
                or token.revoked
                or self.clock() >= token.expires
            ):
                raise OAuth2Error("invalid_grant", "Invalid refresh token")
            scope = token.scope
            if params.get("scope"):
                asked = parse_scope(params["scope"])
                if asked is None or max(map(scope_rank, asked)) > scope_rank(token.scope):
                    raise OAuth2Error("invalid_scope", "Scope exceeds the granted scope")
                scope = max(asked, key=scope_rank)
            if self.settings.rotate_refresh_tokens:
                token.revoked = True
                answer, _ = self._issue(client, token.user_name, scope)
            else:
                answer, _ = self._issue(client, token.user_name, scope, refresh=token)
        return answer

    def _issue(
        self,
        client: OAuth2Client,
        user_name: str,
        scope: str,
        refresh: IssuedToken | None = None,
    ) -> tuple[Response, list[str]]:
        now = self.clock()
        settings = self.settings
        owner = (client.client_id, user_name, scope)
        access = IssuedToken(new_token(), "access", *owner, now + settings.access_token_seconds)
        if refresh is None:
            refresh = IssuedToken(
                new_token(), "refresh", *owner, now + settings.refresh_token_seconds
            )
        access.partner = refresh.value
        refresh.partner = access.value
        with self.lock:
            self.tokens[access.value] = access
            self.tokens[refresh.value] = refresh
        payload: dict[str, Any] = {
            "access_token": access.value,
            "token_type": "bearer",
            "expires_in": int(settings.access_token_seconds),
            "refresh_token": refresh.value,
            "scope": scope,
        }
        return _no_store(json_response(200, payload)), [access.value, refresh.value]


def _no_store(response: Response) -> Response:
    # RFC 6749 5.1: token answers (and their errors) must not be cached.
    response.headers.extend([("Cache-Control", "no-store"), ("Pragma", "no-cache")])
    return response


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    if header[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None
