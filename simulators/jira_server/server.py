"""The HTTP server and the ``JiraSimulator`` object tests drive.

Standard library ``ThreadingHTTPServer`` on 127.0.0.1 only. Every response carries the
headers Jira sends on every response; faults are applied before routing; each request
is recorded (with its Authorization header) so tests can assert how a client talked.
"""

from __future__ import annotations

import contextlib
import itertools
import secrets
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote, urlsplit

from . import client_certs, tls
from .admin import AdminApi
from .auth import Authenticator, AuthResult, not_authenticated
from .config import SimulatorConfig, parse_version
from .data import Issue, Store, User
from .faults import Faults
from .oauth import OAuthProblem, OAuthProvider
from .oauth2 import AUTHORIZE_PATH as OAUTH2_AUTHORIZE_PATH
from .oauth2 import (
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
from .oauth2_web import OAuth2Pages
from .rest import RestApi
from .web import AUTHORIZE_PATH, WebPages
from .wire import Headers, Request, Response, html_response

LOOPBACK = "127.0.0.1"
OAUTH_SERVLET = "/plugins/servlet/oauth/"


@dataclass
class RecordedRequest:
    method: str
    # Full path on the wire (context path included), without the query string.
    path: str
    query_string: str
    headers: Headers
    body: bytes
    status: int = 0
    time: float = field(default_factory=time.time)
    # The common name of the client certificate the connection presented, if any.
    client_certificate: str | None = None

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.query_string, keep_blank_values=True)

    @property
    def form(self) -> dict[str, str]:
        """A form-encoded body's fields (first value of each); {} for other bodies."""
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            return {}
        pairs = parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return {k: v for k, v in reversed(pairs)}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Jira's Tomcat queues up to 100 connections (acceptCount); socketserver's default
    # of 5 dropped handshakes when a client opened ten at once, and each dropped one
    # cost that connection a retransmission (hundreds of ms) on loopback.
    request_queue_size = 100
    # Bind exactly where asked; no dual-stack surprises.
    address_family = socket.AF_INET

    def __init__(self, simulator: JiraSimulator, port: int) -> None:
        self.simulator = simulator
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__((LOOPBACK, port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "Apache-Coyote/1.1"
    sys_version = ""

    def setup(self) -> None:
        with self.server.connections_lock:
            self.server.connections.add(self.request)
        # Headers and body go out in separate writes; without NODELAY, Nagle plus the
        # client's delayed ACK adds ~40 ms to every response.
        with contextlib.suppress(OSError):
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if isinstance(self.request, ssl.SSLSocket):
            # The handshake runs here, in the connection's thread, so a client that
            # connects and stalls cannot block the accept loop.
            self.request.settimeout(10)
            try:
                self.request.do_handshake()
            except (OSError, ssl.SSLError):
                self.close_connection = True
                self.server.simulator.count_failed_handshake()
                _linger(self.request)
            self.request.settimeout(None)
        super().setup()

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.server.connections_lock:
            self.server.connections.discard(self.request)

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ConnectionError, ssl.SSLError, TimeoutError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        # Quiet: the request log is the record; stderr noise would drown test output.
        return

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0] or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        simulator = self.server.simulator
        body = self._read_body()
        split = urlsplit(self.path)
        headers = Headers(self.headers.items())
        request = Request(
            method=self.command,
            path="",
            full_path=split.path,
            query_string=split.query,
            headers=headers,
            body=body,
            scheme="https" if simulator.config.https else "http",
            host=headers.get("Host", f"{LOOPBACK}:{simulator.port}"),
            base_url=simulator.base_url,
        )
        record = RecordedRequest(self.command, split.path, split.query, headers, body)
        record.client_certificate = client_certs.peer_common_name(self.request)
        simulator.record(record)
        response = simulator.dispatch(request)
        record.status = response.status
        if response.drop:
            # Fault: vanish without a status line, like a crashed proxy.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.request.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = _serve
    do_POST = _serve
    do_PUT = _serve
    do_DELETE = _serve
    do_PATCH = _serve
    do_HEAD = _serve


def _linger(sock: socket.socket) -> None:
    """After a refused handshake, close as servers do (a lingering close): stop
    writing, then read what the client still sends. Closing with its data unread would
    answer with a reset, which can destroy the TLS alert before the client reads it."""
    with contextlib.suppress(OSError):
        sock.settimeout(2)
        sock.shutdown(socket.SHUT_WR)  # an SSLSocket drops its TLS state: plain reads
        while sock.recv(65536):
            pass


class JiraSimulator:
    """A Jira Server / Data Center stand-in on loopback. See docs/simulator.md."""

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig()
        self.store = Store()
        self.store.seed(self.config.seed, self.config.issue_count)
        self.oauth = OAuthProvider(self.config)
        self.oauth2 = OAuth2Provider()
        self.authenticator = Authenticator(self.config, self.store, self.oauth, self.oauth2)
        self.rest = RestApi(self.config, self.store)
        self.web = WebPages(self.config, self.store, self.authenticator, self.oauth)
        self.oauth2_pages = OAuth2Pages(self.config, self.store, self.authenticator, self.oauth2)
        self.admin = AdminApi(self)
        self.faults = Faults()
        self.request_log: list[RecordedRequest] = []
        # TLS handshakes that failed (a client that did not trust the certificate):
        # they never reach the request log.
        self.failed_handshakes = 0
        self._log_lock = threading.Lock()
        self._request_counter = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._tls: tls.TlsMaterial | None = None
        self._client_certs: client_certs.ClientCertificates | None = None
        self.port = 0

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> JiraSimulator:
        if self._server is not None:
            return self
        self._stopping.clear()
        # Once started, the simulator keeps its port: a restart (`restore_network`)
        # listens where the clients already point.
        server = _bind(self, self.config.port or self.port)
        if self.config.https:
            self._tls = self._tls or tls.generate(self.config.tls_mode)
            context = self._tls.server_context()
            if self.config.require_client_certificate:
                self.client_certificates.require(context)
            server.socket = context.wrap_socket(
                server.socket, server_side=True, do_handshake_on_connect=False
            )
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"jira-simulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.drop_network()
        if self._tls is not None:
            self._tls.cleanup()
            self._tls = None
        if self._client_certs is not None:
            self._client_certs.cleanup()
            self._client_certs = None

    def drop_network(self) -> None:
        """Stop listening and cut every open connection, as when the VPN drops: clients
        get "connection refused" until `restore_network`. Everything the simulator
        holds (issues, tokens, the TLS certificate, the port) stays for then."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        # Idle keep-alive connections would otherwise keep their threads (and
        # server_close, which joins them) waiting for the client.
        with server.connections_lock:
            connections = list(server.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if thread is not None:
            thread.join(timeout=10)
        self._server = None
        self._thread = None

    def restore_network(self) -> None:
        """Listen again on the same port after `drop_network`."""
        self.start()

    @property
    def network_up(self) -> bool:
        return self._server is not None

    def __enter__(self) -> JiraSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        scheme = "https" if self.config.https else "http"
        return f"{scheme}://{LOOPBACK}:{self.port}{self.config.context_path}"

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

    def count_failed_handshake(self) -> None:
        with self._log_lock:
            self.failed_handshakes += 1

    def record(self, record: RecordedRequest) -> None:
        if record.path.endswith(TOKEN_PATH):
            # Tests count grant types in the log; the secrets must not be in it.
            record.body = redact_body(record.body, record.headers.get("Content-Type", ""))
            record.query_string = redact_form(record.query_string)
            record.headers = _redact_basic(record.headers)
        with self._log_lock:
            self.request_log.append(record)

    def sleep(self, seconds: float) -> None:
        """Sleep, but wake up at once when the simulator stops."""
        if seconds > 0:
            self._stopping.wait(seconds)

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
        if self._stopping.is_set():
            return Response(0, drop=True)
        return self.route(request)

    def route(self, request: Request) -> Response:
        path = request.path
        auth = AuthResult(None, "anonymous")
        oauth2 = self.config.version_tuple >= OAUTH2_MIN_VERSION
        if path.startswith(OAUTH_SERVLET) and path != AUTHORIZE_PATH:
            response = self._oauth_servlet(request)
        elif oauth2 and path == TOKEN_PATH:
            # Client authentication happens inside; a user's credentials play no part.
            response = self.oauth2.token_endpoint(request)
        elif oauth2 and path == OAUTH2_AUTHORIZE_PATH:
            auth = AuthResult(self._session_user(request), "session")
            response = self.oauth2_pages.authorize(request)
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


def _bind(simulator: JiraSimulator, port: int) -> _Server:
    """A server on `port`. After a restart on a fixed port, a socket of the old one may
    hold the port for a moment more: try again briefly before giving up."""
    attempts = 50 if port else 1
    for attempt in range(attempts):
        try:
            return _Server(simulator, port)
        except OSError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")


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
