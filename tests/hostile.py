"""Hostile HTTP servers for end-to-end tests: endless, dripping, lying or recording.

A `HostileServer` listens on 127.0.0.1 port 0 and runs a handler per connection, each
in its own daemon thread. It is bounded: it stops when the test leaves the `with`
block or when its lifetime runs out, whichever comes first, and never sends more
than `max_bytes` on one connection, so a test that fails cannot leave it running.
"""

import contextlib
import http.client
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

MiB = 1024 * 1024


@dataclass
class Request:
    method: str
    target: str  # as sent: a path, or an absolute URL when the server is used as a proxy
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.target).path if "://" in self.target else self.target


class Connection:
    """One accepted connection; `send` and `wait` return False once it should stop."""

    def __init__(self, sock: socket.socket, server: "HostileServer") -> None:
        self.sock = sock
        self._server = server
        self.sent = 0

    @property
    def budget(self) -> int:
        return self._server.max_bytes

    @property
    def open(self) -> bool:
        return not self._server.stopping.is_set()

    def send(self, data: bytes) -> bool:
        if not self.open or self.sent + len(data) > self._server.max_bytes:
            return False
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        self.sent += len(data)
        return True

    def wait(self, seconds: float) -> bool:
        return not self._server.stopping.wait(seconds)


Handler = Callable[[Request, Connection], None]


class HostileServer:
    def __init__(
        self, handler: Handler, *, lifetime: float = 60.0, max_bytes: int = 512 * MiB
    ) -> None:
        self.handler = handler
        self.lifetime = lifetime
        self.max_bytes = max_bytes
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = int(self._listener.getsockname()[1])
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "HostileServer":
        self._deadline = time.monotonic() + self.lifetime
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopping.set()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # unblocks a handler stuck in sendall
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            if time.monotonic() > self._deadline:
                threading.Thread(target=self.stop, daemon=True).start()
                return
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._sockets.append(sock)
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, sock: socket.socket) -> None:
        connection = Connection(sock, self)
        try:
            with sock:
                request = _read_request(sock)
                if request is None:  # not HTTP (a TLS hello): answer as a plain server does
                    connection.send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                    return
                self.requests.append(request)
                self.handler(request, connection)
        except OSError:
            pass


def _read_request(sock: socket.socket) -> Request | None:
    sock.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk or len(data) > 65536:
            return None
        data += chunk
        if not data[:1].isalpha():
            return None
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        return None
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return Request(parts[0], parts[1], headers, body)


# --- canned answers -----------------------------------------------------------------


def head(status: int = 200, headers: dict[str, str] | None = None, reason: str = "X") -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def reply(
    body: Any = b"",
    status: int = 200,
    headers: dict[str, str] | None = None,
    content_type: str = "application/json",
) -> Handler:
    """A complete answer; `body` as bytes or str is sent as is, anything else as JSON."""
    if isinstance(body, str):
        data = body.encode()
    elif isinstance(body, bytes):
        data = body
    else:
        data = json.dumps(body).encode()
    all_headers = {"Content-Type": content_type, "Content-Length": str(len(data))}
    all_headers.update(headers or {})

    def handle(request: Request, connection: Connection) -> None:
        connection.send(head(status, all_headers) + data)

    return handle


def endless(compressed: bool = False) -> Handler:
    """200 and a JSON-looking body that never ends (or a gzip stream that inflates forever)."""
    chunk = b'"' + b"x" * (64 * 1024) + b'",'

    def handle(request: Request, connection: Connection) -> None:
        headers = {"Content-Type": "application/json"}
        if compressed:
            headers["Content-Encoding"] = "gzip"
        if not connection.send(head(200, headers)):
            return
        if not compressed:
            connection.send(b"[")
            while connection.send(chunk):
                pass
            return
        # Bounded by what it inflates to, not what it sends: max_bytes of zeros.
        gzip = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = b"0" * MiB
        connection.send(gzip.compress(b"["))
        for _ in range(connection.budget // MiB):
            if not connection.send(gzip.compress(zeros) + gzip.flush(zlib.Z_SYNC_FLUSH)):
                return

    return handle


def drip(data: bytes, interval: float = 1.0, prefix: bytes = b"") -> Handler:
    """Send `prefix` at once, then `data` one byte per `interval`, then spaces forever."""

    def handle(request: Request, connection: Connection) -> None:
        if prefix and not connection.send(prefix):
            return
        for byte in _forever(data):
            if not connection.send(byte) or not connection.wait(interval):
                return

    return handle


def _forever(data: bytes) -> Iterator[bytes]:
    yield from (bytes([b]) for b in data)
    while True:
        yield b" "


def routes(table: dict[str, Handler], default: Handler | None = None) -> Handler:
    """Dispatch on the request path's ending (e.g. "/rest/api/2/serverInfo")."""
    fallback = default or reply(
        "<html><title>Not Found</title></html>", 404, content_type="text/html"
    )

    def handle(request: Request, connection: Connection) -> None:
        for suffix, handler in table.items():
            if request.path.endswith(suffix):
                handler(request, connection)
                return
        fallback(request, connection)

    return handle


SERVER_INFO = {
    "baseUrl": "http://jira.example.com",
    "version": "9.12.0",
    "versionNumbers": [9, 12, 0],
    "deploymentType": "Server",
    "serverTitle": "Jira",
}


def jira_like(**overrides: Handler) -> Handler:
    """Enough of Jira for a token configure: serverInfo and myself; `overrides` win
    (keyed by the last path segment, e.g. `search=endless()`)."""
    table: dict[str, Handler] = {
        "/rest/api/2/serverInfo": reply(SERVER_INFO),
        "/rest/api/2/myself": reply(
            {"name": "alice", "displayName": "Alice"}, headers={"X-AUSERNAME": "alice"}
        ),
        "/rest/api/2/search": reply({"startAt": 0, "maxResults": 50, "total": 0, "issues": []}),
    }
    for name, handler in overrides.items():
        table[f"/rest/api/2/{name}"] = handler
    return routes(table)


@dataclass
class ProxyLog:
    seen: list[Request] = field(default_factory=list)


def forwarding_proxy(log: ProxyLog) -> Handler:
    """A plain HTTP forward proxy: records each request, relays it to its absolute URL."""

    def handle(request: Request, connection: Connection) -> None:
        log.seen.append(request)
        target = urlsplit(request.target)
        if target.scheme != "http" or not target.hostname:
            connection.send(head(400, {"Content-Length": "0"}))
            return
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=10)
        try:
            path = target.path + (f"?{target.query}" if target.query else "")
            headers = {k: v for k, v in request.headers.items() if not k.startswith("proxy-")}
            upstream.request(request.method, path or "/", body=request.body, headers=headers)
            answer = upstream.getresponse()
            body = answer.read()
        except OSError:
            connection.send(head(502, {"Content-Length": "0"}))
            return
        finally:
            upstream.close()
        kept = {
            k: v
            for k, v in answer.getheaders()
            if k.lower() not in ("connection", "transfer-encoding", "content-length")
        }
        kept["Content-Length"] = str(len(body))
        connection.send(head(answer.status, kept, answer.reason) + body)

    return handle
