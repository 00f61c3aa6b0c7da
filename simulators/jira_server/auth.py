"""Who is calling: Basic, Bearer personal access tokens, OAuth 1.0a and browser sessions.

The rules mirror Jira (Seraph):
- a failed password login leaves the caller anonymous with
  ``X-Seraph-LoginReason: AUTHENTICATED_FAILED``; an anonymous-readable resource then
  still answers 200, a resource that needs a user answers 401;
- after ``captcha_threshold`` consecutive failures the account needs a CAPTCHA: every
  Basic request for it is denied (403, ``AUTHENTICATION_DENIED``) until the user logs in
  through the browser;
- ``Bearer`` is only understood from Jira 8.14 on; before that the header is ignored;
  a bad, expired or revoked token is refused outright with 401. From 8.22 on the same
  header also carries OAuth 2.0 access tokens, which act as the user who approved them.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .config import SimulatorConfig
from .data import Store, User
from .oauth import OAuthProblem, OAuthProvider, has_oauth_parameters
from .oauth2 import OAUTH2_MIN_VERSION, OAuth2Provider
from .wire import NOT_AUTHENTICATED, Request, Response, error_response

PAT_MIN_VERSION = (8, 14, 0)
SESSION_COOKIE = "JSESSIONID"


@dataclass
class AuthResult:
    user: User | None
    method: str  # anonymous, basic, pat, oauth, oauth2, session
    login_reason: str | None = None
    # Set when Jira answers before any resource runs (bad token, CAPTCHA, OAuth problem).
    rejection: Response | None = None
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    # An OAuth 2.0 access token's scope (READ, WRITE, ...); None for other methods.
    scope: str | None = None


@dataclass
class Session:
    user_name: str
    xsrf: str


class Authenticator:
    def __init__(
        self,
        config: SimulatorConfig,
        store: Store,
        oauth: OAuthProvider,
        oauth2: OAuth2Provider,
    ) -> None:
        self.config = config
        self.store = store
        self.oauth = oauth
        self.oauth2 = oauth2
        self.lock = threading.Lock()
        self.failures: dict[str, int] = {}
        self.sessions: dict[str, Session] = {}

    # -- sessions (browser logins for the authorize page) -------------------------

    def login(self, user: User) -> str:
        session_id = secrets.token_hex(16).upper()
        with self.lock:
            self.sessions[session_id] = Session(user.name, secrets.token_hex(20))
            # An interactive login is how a Jira user clears the CAPTCHA requirement.
            self.failures.pop(user.name, None)
        return session_id

    def session(self, request: Request) -> Session | None:
        session_id = request.cookie(SESSION_COOKIE)
        if not session_id:
            return None
        with self.lock:
            return self.sessions.get(session_id)

    # -- CAPTCHA bookkeeping --------------------------------------------------------

    def needs_captcha(self, user: User) -> bool:
        with self.lock:
            return self.failures.get(user.name, 0) >= self.config.captcha_threshold

    def record_failure(self, user: User) -> None:
        with self.lock:
            self.failures[user.name] = self.failures.get(user.name, 0) + 1

    def reset_failures(self, user_name: str | None = None) -> None:
        with self.lock:
            if user_name is None:
                self.failures.clear()
            else:
                self.failures.pop(user_name, None)

    def check_password(self, user: User | None, password: str) -> bool:
        """Password check shared by Basic auth and the login form (counts failures)."""
        if user is None or not user.active:
            return False
        if user.password != password:
            self.record_failure(user)
            return False
        with self.lock:
            self.failures.pop(user.name, None)
        return True

    # -- the request filter ------------------------------------------------------------

    def authenticate(self, request: Request) -> AuthResult:
        header = request.headers.get("Authorization", "").strip()
        scheme = header.split(" ", 1)[0].lower() if header else ""
        if has_oauth_parameters(request):
            return self._oauth(request)
        if scheme == "bearer":
            return self._bearer(header[7:].strip())
        if scheme == "basic":
            return self._basic(request, header[6:].strip())
        session = self.session(request)
        if session is not None:
            return AuthResult(self.store.user(session.user_name), "session")
        return AuthResult(None, "anonymous")

    def _oauth(self, request: Request) -> AuthResult:
        try:
            user_name = self.oauth.authenticate_resource(request)
        except OAuthProblem as problem:
            return AuthResult(None, "oauth", rejection=problem.response(request.base_url))
        return AuthResult(self.store.user(user_name), "oauth")

    def _bearer(self, token: str) -> AuthResult:
        if self.config.version_tuple < PAT_MIN_VERSION:
            # Pre-8.14 Jira has no token filter: the header is simply not understood.
            return AuthResult(None, "anonymous")
        if self.config.version_tuple >= OAUTH2_MIN_VERSION:
            access = self.oauth2.access_token(token)
            owner = self.store.user(access.user_name) if access else None
            if access is not None and owner is not None and owner.active:
                return AuthResult(owner, "oauth2", "OK", scope=access.scope)
        record = self.store.pat(token)
        now = datetime.now(UTC)
        user = self.store.user(record.user_name) if record else None
        if (
            record is None
            or record.revoked
            or (record.expiring is not None and record.expiring < now)
            or user is None
            or not user.active
        ):
            return AuthResult(
                None,
                "pat",
                "AUTHENTICATED_FAILED",
                rejection=not_authenticated(),
            )
        return AuthResult(user, "pat", "OK")

    def _basic(self, request: Request, encoded: str) -> AuthResult:
        try:
            decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return AuthResult(None, "anonymous", "AUTHENTICATED_FAILED")
        name, _, password = decoded.partition(":")
        user = self.store.user(name)
        if user is not None and self.needs_captcha(user):
            login_url = f"{request.base_url}/login.jsp"
            denied = error_response(403, [NOT_AUTHENTICATED])
            return AuthResult(
                None,
                "basic",
                "AUTHENTICATION_DENIED",
                rejection=denied,
                extra_headers=[
                    ("X-Authentication-Denied-Reason", f"CAPTCHA_CHALLENGE; login-url={login_url}")
                ],
            )
        if not self.check_password(user, password):
            return AuthResult(None, "anonymous", "AUTHENTICATED_FAILED")
        return AuthResult(user, "basic", "OK")


def not_authenticated() -> Response:
    return error_response(401, [NOT_AUTHENTICATED])
