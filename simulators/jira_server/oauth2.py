"""OAuth 2.0 provider side (Jira DC 8.22+, an incoming link to an "External application").

What Atlassian documents ("Jira OAuth 2.0 provider API", "Configure an incoming link",
"OAuth 2.0 provider system properties", the KB on the consent page) plus RFC 6749 and
RFC 7636 where Jira's pages say nothing: clients with exactly one redirect URL and a
permission (scope), the authorization code grant with optional PKCE, single-use codes
that live ``code_seconds`` (``atlassian.oauth2.provider.max.client.delay.seconds``,
10 s), access tokens that live ``access_token_seconds`` (3600 s), refresh tokens (90
days) and errors as ``{error, error_description}`` JSON. This module holds the state;
``oauth2_web.py`` has the authorize endpoint and its pages, ``oauth2_token.py`` the
token endpoint.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
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
# Jira's words (KB "Jira get 400 bad request when following the OAuth 2.0 provider API
# authorization steps") when the base URL is not https and the property is not set.
NO_HTTPS = (
    "Please ensure that your server is using HTTPS and that your application base URL "
    "is configured appropriately."
)


@dataclass
class OAuth2Settings:
    """Settable while the simulator runs (the system properties of a real Jira)."""

    access_token_seconds: float = 3600.0
    code_seconds: float = 10.0
    # True: a refresh answers with a new refresh token and the one used stops working
    # at once. False: the same refresh token comes back and keeps working.
    rotate_refresh_tokens: bool = True
    # Jira checks redirect_uri on a refresh too (missing or another: invalid_grant).
    refresh_checks_redirect_uri: bool = True
    refresh_token_seconds: float = REFRESH_TOKEN_SECONDS
    # Jira's atlassian.oauth2.provider.skip.base.url.https.requirement and
    # ...skip.redirect.url.https.requirement. The simulator serves http, so both are on
    # by default; off, an http request to the provider and an http:// redirect URL of
    # a new link are refused, as in a Jira without the properties.
    skip_base_url_https_requirement: bool = True
    skip_redirect_url_https_requirement: bool = True


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
    # The authorization code the grant started from.
    code: str | None = None


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
        return no_store(response)


def scope_rank(scope: str) -> int:
    return SCOPES.index(scope)


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


_JWT_HEADER = base64.urlsafe_b64encode(b'{"alg":"HS256"}').rstrip(b"=")
_JWT_KEY = secrets.token_bytes(32)


def new_token() -> str:
    """Shaped like Jira's: an HS256 JWT whose payload is the token's id. Clients must
    treat it as opaque; the shape only keeps length and alphabet realistic."""
    payload = json.dumps({"id": secrets.token_hex(16)}, separators=(",", ":")).encode()
    signed = _JWT_HEADER + b"." + base64.urlsafe_b64encode(payload).rstrip(b"=")
    signature = hmac.new(_JWT_KEY, signed, hashlib.sha256).digest()
    return (signed + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode("ascii")


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
        if not self.settings.skip_redirect_url_https_requirement and not redirect_uri.startswith(
            "https://"
        ):
            raise ValueError(
                "the redirect URL must use https (or set "
                "atlassian.oauth2.provider.skip.redirect.url.https.requirement)"
            )
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

    def issue_tokens(
        self,
        client_id: str,
        user_name: str,
        scope: str,
        code: str | None = None,
        refresh: IssuedToken | None = None,
    ) -> dict[str, Any]:
        """A new access token, with a new refresh token unless `refresh` is kept; the
        token endpoint's answer. Call with the lock held."""
        now = self.clock()
        settings = self.settings
        owner = (client_id, user_name, scope)
        access = IssuedToken(new_token(), "access", *owner, now + settings.access_token_seconds)
        if refresh is None:
            refresh = IssuedToken(
                new_token(), "refresh", *owner, now + settings.refresh_token_seconds
            )
        access.partner = refresh.value
        refresh.partner = access.value
        access.code = refresh.code = code or refresh.code
        self.tokens[access.value] = access
        self.tokens[refresh.value] = refresh
        return {
            "access_token": access.value,
            "token_type": "bearer",
            "expires_in": int(settings.access_token_seconds),
            "refresh_token": refresh.value,
            "scope": scope,
        }


def no_store(response: Response) -> Response:
    # RFC 6749 5.1: token answers (and their errors) must not be cached.
    response.headers.extend([("Cache-Control", "no-store"), ("Pragma", "no-cache")])
    return response
