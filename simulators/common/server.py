"""The loopback HTTP server every simulator runs on, and the site object tests drive.

Standard library ``ThreadingHTTPServer`` on 127.0.0.1 only. Each request is recorded
(headers and body; a simulator redacts what must not be kept) so tests can assert how a
client talked; `drop_network` and `restore_network` play a VPN that drops.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, parse_qsl, urlsplit

from .wire import Headers, Request, Response

LOOPBACK = "127.0.0.1"


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


class LoopbackSite:
    """A simulated tracker on 127.0.0.1: start/stop, the network dropped and restored
    on the same port, the request log. Subclasses answer requests (`dispatch`)."""

    name = "simulator"

    def __init__(self, port: int = 0) -> None:
        self.request_log: list[RecordedRequest] = []
        # TLS handshakes that failed (a client that did not trust the certificate):
        # they never reach the request log.
        self.failed_handshakes = 0
        self._log_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._fixed_port = port
        self.port = 0

    # -- what a simulator provides --------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        raise NotImplementedError

    @property
    def scheme(self) -> str:
        return "http"

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{LOOPBACK}:{self.port}"

    def wrap(self, server: ThreadingHTTPServer) -> None:
        """Wrap the listening socket (TLS); plain http does nothing."""

    def peer_name(self, sock: object) -> str | None:
        """The client certificate's common name on `sock`, where there is one."""
        return None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            return self
        self._stopping.clear()
        # Once started, the simulator keeps its port: a restart (`restore_network`)
        # listens where the clients already point.
        server = _bind(self, self._fixed_port or self.port)
        self.wrap(server)
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"{self.name}-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.drop_network()

    def drop_network(self) -> None:
        """Stop listening and cut every open connection, as when the VPN drops: clients
        get "connection refused" until `restore_network`. Everything the simulator
        holds (data, tokens, the port) stays for then."""
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

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- request handling -----------------------------------------------------------------

    def count_failed_handshake(self) -> None:
        with self._log_lock:
            self.failed_handshakes += 1

    def record(self, record: RecordedRequest) -> None:
        with self._log_lock:
            self.request_log.append(record)

    def sleep(self, seconds: float) -> None:
        """Sleep, but wake up at once when the simulator stops."""
        if seconds > 0:
            self._stopping.wait(seconds)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Tomcat (Jira) queues up to 100 connections (acceptCount); socketserver's default
    # of 5 dropped handshakes when a client opened ten at once, and each dropped one
    # cost that connection a retransmission (hundreds of ms) on loopback.
    request_queue_size = 100
    # Bind exactly where asked; no dual-stack surprises.
    address_family = socket.AF_INET

    def __init__(self, simulator: LoopbackSite, port: int) -> None:
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
            scheme=simulator.scheme,
            host=headers.get("Host", f"{LOOPBACK}:{simulator.port}"),
            base_url=simulator.base_url,
        )
        record = RecordedRequest(self.command, split.path, split.query, headers, body)
        record.client_certificate = simulator.peer_name(self.request)
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


def _bind(simulator: LoopbackSite, port: int) -> _Server:
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
