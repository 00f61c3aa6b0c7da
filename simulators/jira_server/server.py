"""The ``JiraSimulator`` object tests drive, on the shared loopback server
(`simulators.common.server`). Every response carries the headers Jira sends on every
response; faults are applied before routing; each request is recorded (with its
Authorization header) so tests can assert how a client talked.
"""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from simulators.common.server import LOOPBACK, LoopbackSite, RecordedRequest

from . import client_certs, tls
from .admin import AdminApi
from .auth import Authenticator, AuthResult, not_authenticated
from .config import SimulatorConfig, parse_version
from .data import Issue, Project, Store, User
from .faults import Faults
from .oauth import OAuthProblem, OAuthProvider
from .oauth2 import AUTHORIZE_PATH as OAUTH2_AUTHORIZE_PATH
from .oauth2 import (
    NO_HTTPS,
    OAUTH2_MIN_VERSION,
    TOKEN_PATH,
    OAuth2Client,
    OAuth2Provider,
    OAuth2Settings,
    redact_body,
    redact_form,
    scope_allows,
    scope_refused,
)
from .oauth2_token import TokenEndpoint
from .oauth2_web import CONSENT_PATH, ERROR_PATH, OAuth2Pages
from .rest import RestApi
from .web import AUTHORIZE_PATH, WebPages, page
from .wire import Headers, Request, Response, error_response, html_response

OAUTH_SERVLET = "/plugins/servlet/oauth/"
OAUTH2_PATHS = (TOKEN_PATH, OAUTH2_AUTHORIZE_PATH, CONSENT_PATH, ERROR_PATH)


class JiraSimulator(LoopbackSite):
    """A Jira Server / Data Center stand-in on loopback. See docs/simulator.md."""

    name = "jira-simulator"

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig()
        super().__init__(self.config.port)
        self.store = Store()
        self.store.seed(self.config.seed, self.config.issue_count)
        self.oauth = OAuthProvider(self.config)
        self.oauth2 = OAuth2Provider()
        self.authenticator = Authenticator(self.config, self.store, self.oauth, self.oauth2)
        self.rest = RestApi(self.config, self.store)
        self.web = WebPages(self.config, self.store, self.authenticator, self.oauth)
        self.oauth2_pages = OAuth2Pages(self.config, self.store, self.authenticator, self.oauth2)
        self.oauth2_token = TokenEndpoint(self.oauth2)
        self.admin = AdminApi(self)
        self.faults = Faults()
        self._request_counter = itertools.count(1)
        self._tls: tls.TlsMaterial | None = None
        self._client_certs: client_certs.ClientCertificates | None = None

    # -- the loopback site -------------------------------------------------------------

    @property
    def scheme(self) -> str:
        return "https" if self.config.https else "http"

    def wrap(self, server: ThreadingHTTPServer) -> None:
        if not self.config.https:
            return
        self._tls = self._tls or tls.generate(self.config.tls_mode)
        context = self._tls.server_context()
        if self.config.require_client_certificate:
            self.client_certificates.require(context)
        server.socket = context.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )

    def peer_name(self, sock: object) -> str | None:
        return client_certs.peer_common_name(sock)

    def stop(self) -> None:
        super().stop()
        if self._tls is not None:
            self._tls.cleanup()
            self._tls = None
        if self._client_certs is not None:
            self._client_certs.cleanup()
            self._client_certs = None

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{LOOPBACK}:{self.port}{self.config.context_path}"

    # -- data and configuration -----------------------------------------------------------

    @property
    def users(self) -> list[User]:
        return self.store.users

    def user(self, name: str) -> User:
        user = self.store.user(name)
        if user is None:
            raise KeyError(name)
        return user

    def add_user(
        self,
        name: str,
        display_name: str | None = None,
        email: str | None = None,
        password: str | None = None,
        key: str | None = None,
        admin: bool = False,
    ) -> User:
        return self.store.add_user(name, display_name, email, password, key, admin)

    @property
    def issues(self) -> list[Issue]:
        return self.store.issues

    def add_issue(
        self,
        project_key: str = "ISB",
        summary: str = "Simulated issue",
        *,
        issuetype: str = "Task",
        status: str | None = None,
        assignee: str | None = None,
        reporter: str | None = None,
        priority: str | None = "Medium",
        resolution: str | None = None,
        labels: list[str] | None = None,
        description: str | None = None,
        created: datetime | str | None = None,
        updated: datetime | str | None = None,
    ) -> Issue:
        return self.store.add_issue(
            project_key,
            summary,
            issuetype=issuetype,
            status=status,
            assignee=assignee,
            reporter=reporter,
            priority=priority,
            resolution=resolution,
            labels=labels,
            description=description,
            created=_as_datetime(created),
            updated=_as_datetime(updated),
        )

    def clear_issues(self) -> None:
        self.store.clear_issues()

    def add_project(
        self, key: str, name: str, lead: str = "alice", issue_types: list[str] | None = None
    ) -> Project:
        """A new project; `issue_types` (names, e.g. ["Bug"]) is its issue type scheme."""
        return self.store.add_project(key, name, lead, issue_types)

    def edit_after_searches(self, key: str, after: int = 1, resolve: bool = False) -> None:
        """Edit issue `key` right after the `after`-th search from now is answered
        (between two pages of a client's fetch): its `updated` becomes now, the newest;
        with `resolve` it is resolved too. See docs/simulator.md."""
        self.rest.edits.arm(key, after, resolve)

    def add_oauth_consumer(
        self, consumer_key: str, public_key_pem: str, name: str = "issuebridge"
    ) -> None:
        self.oauth.add_consumer(consumer_key, public_key_pem, name)

    def remove_oauth_consumer(self, consumer_key: str) -> bool:
        return self.oauth.remove_consumer(consumer_key)

    def add_oauth2_client(
        self,
        redirect_uri: str,
        *,
        name: str = "issuebridge",
        scope: str = "WRITE",
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> OAuth2Client:
        """An incoming link to an external application (OAuth 2.0, Jira 8.22+)."""
        return self.oauth2.add_client(
            redirect_uri, name=name, scope=scope, client_id=client_id, client_secret=client_secret
        )

    def remove_oauth2_client(self, client_id: str) -> bool:
        return self.oauth2.remove_client(client_id)

    @property
    def oauth2_settings(self) -> OAuth2Settings:
        """access_token_seconds, code_seconds, rotate_refresh_tokens: settable any time."""
        return self.oauth2.settings

    def revoke_oauth2_tokens(self, user: str | None = None) -> int:
        """The user (or every user) revoked access under "Authorized applications"."""
        return self.oauth2.revoke(user)

    def expire_oauth2_access_tokens(self) -> int:
        """Every live OAuth 2.0 access token expires now (refresh tokens keep working)."""
        return self.oauth2.expire_access_tokens()

    def create_pat(self, user_name: str, name: str) -> str:
        return self.store.create_pat(user_name, name)

    def revoke_pat(self, token: str) -> bool:
        return self.store.revoke_pat(token)

    def set_version(self, version: str) -> None:
        parse_version(version)
        self.config.version = version

    def reset_captcha(self, user_name: str | None = None) -> None:
        self.authenticator.reset_failures(user_name)

    @property
    def oauth_auto_approve(self) -> str | None:
        return self.config.oauth_auto_approve

    @oauth_auto_approve.setter
    def oauth_auto_approve(self, value: str | None) -> None:
        self.config.oauth_auto_approve = value

    @property
    def ca_cert_pem(self) -> str | None:
        return self._tls.ca_cert_pem if self._tls else None

    @property
    def ca_cert_path(self) -> Path | None:
        return self._tls.ca_cert_path if self._tls else None

    @property
    def server_cert_pem(self) -> str | None:
        """The certificate the server presents (HTTPS mode): a self-signed one, say, to
        trust it by itself."""
        return self._tls.server_cert_pem if self._tls else None

    @property
    def tls(self) -> tls.TlsMaterial | None:
        """The HTTPS mode's CA and files (the CA issues client certificates too)."""
        return self._tls

    @property
    def client_certificates(self) -> client_certs.ClientCertificates:
        """The client CA of `require_client_certificate` mode, which issues test
        certificates (made on first use, removed with the simulator)."""
        self._client_certs = self._client_certs or client_certs.generate()
        return self._client_certs

    # -- request handling ------------------------------------------------------------------

    def record(self, record: RecordedRequest) -> None:
        if record.path.endswith(TOKEN_PATH):
            # Tests count grant types in the log; the secrets must not be in it.
            record.body = redact_body(record.body, record.headers.get("Content-Type", ""))
            record.query_string = redact_form(record.query_string)
            record.headers = _redact_basic(record.headers)
        super().record(record)

    def dispatch(self, request: Request) -> Response:
        context = self.config.context_path
        full = request.full_path
        if context and full != context and not full.startswith(context + "/"):
            return _tomcat_404(full)
        request.path = full[len(context) :] or "/"
        if request.path == "/_sim" or request.path.startswith("/_sim/"):
            return self.admin.handle(request)
        self.sleep(self.faults.latency_seconds)
        outcome = self.faults.outcome(request.path, request.method, request.base_url)
        if outcome.response is not None:
            return outcome.response
        self.sleep(outcome.delay_seconds)
        if self.stopping:
            return Response(0, drop=True)
        return self.route(request)

    def route(self, request: Request) -> Response:
        path = request.path
        auth = AuthResult(None, "anonymous")
        oauth2 = self.config.version_tuple >= OAUTH2_MIN_VERSION
        if path.startswith(OAUTH_SERVLET) and path != AUTHORIZE_PATH:
            response = self._oauth_servlet(request)
        elif oauth2 and path in OAUTH2_PATHS:
            # The token endpoint authenticates the client itself; the pages use the
            # browser's session.
            if path != TOKEN_PATH:
                auth = AuthResult(self._session_user(request), "session")
            response = self._oauth2(request)
        else:
            auth = self.authenticator.authenticate(request)
            if path.startswith("/rest/"):
                refused = auth.user is None and not self.config.anonymous_access
                response = auth.rejection or (
                    not_authenticated() if refused else self._rest(request, auth)
                )
            elif path == AUTHORIZE_PATH:
                response = self.web.authorize(request)
            elif path == "/login.jsp":
                response = self.web.login(request)
            elif path.startswith("/browse/"):
                response = self.web.browse(request, path[len("/browse/") :])
            elif path in ("/", "/secure/Dashboard.jspa"):
                response = self.web.home(request)
            else:
                response = _tomcat_404(request.full_path)
        return self._decorate(request, response, auth)

    def _rest(self, request: Request, auth: AuthResult) -> Response:
        if auth.scope is not None and not scope_allows(auth.scope, request.method, request.path):
            return scope_refused(auth.scope)
        return self.rest.handle(request, auth)

    def _oauth2(self, request: Request) -> Response:
        if not self.oauth2.settings.skip_base_url_https_requirement and request.scheme != "https":
            if request.path == CONSENT_PATH:
                return page("HTTP Status 400", f"<h1>HTTP Status 400</h1><p>{NO_HTTPS}</p>", 400)
            if request.path in (TOKEN_PATH, OAUTH2_AUTHORIZE_PATH):
                return error_response(400, [NO_HTTPS])
        if request.path == TOKEN_PATH:
            return self.oauth2_token.handle(request)
        if request.path == CONSENT_PATH:
            return self.oauth2_pages.consent(request)
        if request.path == ERROR_PATH:
            return self.oauth2_pages.error_page(request)
        return self.oauth2_pages.authorize(request)

    def _session_user(self, request: Request) -> User | None:
        session = self.authenticator.session(request)
        return self.store.user(session.user_name) if session else None

    def _oauth_servlet(self, request: Request) -> Response:
        name = request.path[len(OAUTH_SERVLET) :]
        try:
            if name == "request-token":
                return self.oauth.request_token(request)
            if name == "access-token":
                return self.oauth.access_token(request)
        except OAuthProblem as problem:
            return problem.response(request.base_url)
        return _tomcat_404(request.full_path)

    def _decorate(self, request: Request, response: Response, auth: AuthResult) -> Response:
        now = datetime.now(UTC)
        minutes = now.hour * 60 + now.minute
        names = {name.lower() for name, _ in response.headers}
        response.headers.extend(
            [
                ("X-AREQUESTID", f"{minutes}x{next(self._request_counter)}x1"),
                ("X-AUSERNAME", quote(auth.user.name) if auth.user else "anonymous"),
                ("X-Content-Type-Options", "nosniff"),
                ("X-XSS-Protection", "1; mode=block"),
            ]
        )
        if "cache-control" not in names:
            response.headers.append(("Cache-Control", "no-cache, no-store, no-transform"))
        if auth.login_reason:
            response.headers.append(("X-Seraph-LoginReason", auth.login_reason))
        response.headers.extend(auth.extra_headers)
        if response.status == 401 and "www-authenticate" not in names:
            # Jira's OAuth plugin advertises itself on every 401.
            response.headers.append(
                ("WWW-Authenticate", f'OAuth realm="{quote(request.base_url, safe="")}"')
            )
        if auth.user is not None:
            response.headers.append(("X-ASESSIONID", secrets.token_hex(4)))
        return response


def _redact_basic(headers: Headers) -> Headers:
    """Client credentials sent as HTTP Basic to the token endpoint, out of the log."""
    items = [
        (k, "Basic [redacted]" if k.lower() == "authorization" and v[:6].lower() == "basic " else v)
        for k, v in headers.items()
    ]
    return Headers(items)


def _tomcat_404(path: str) -> Response:
    return html_response(
        404,
        '<!doctype html><html lang="en"><head><title>HTTP Status 404 - Not Found</title>'
        "</head><body><h1>HTTP Status 404 - Not Found</h1><p><b>Type</b> Status Report</p>"
        f"<p><b>Message</b> {path.replace('<', '&lt;')}</p></body></html>",
    )


def _as_datetime(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    # Accept Jira's own format ("...000+0000") as well as ISO 8601.
    text = value.replace("Z", "+00:00")
    if len(text) >= 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
