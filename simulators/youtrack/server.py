"""The YouTrack simulator: a `LoopbackSite` answering YouTrack's REST API under
`{base}/api/` (Bearer permanent tokens), a web page per issue, and `/_sim/` (admin).

Faults: the next N issue list requests answer a status (`fail_lists`; 429 with
`Retry-After`, 500 with YouTrack's error JSON, 502/503/504 with a proxy's HTML page),
latency before every answer, a page size cap on `$top`.
"""

from __future__ import annotations

import threading

from simulators.common.server import LoopbackSite
from simulators.common.wire import HTML_TYPE, Request, Response, html_response

from .admin import AdminApi
from .data import Store
from .rest import RestApi, error

PROXY_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
REASONS = {502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}


class YouTrackSimulator(LoopbackSite):
    name = "youtrack-simulator"

    def __init__(
        self, port: int = 0, context_path: str = "", seed: int = 1, issue_count: int = 80
    ) -> None:
        super().__init__(port)
        self.context_path = context_path.rstrip("/")
        self.store = Store(seed, issue_count)
        self.page_size: int | None = None
        self.latency_seconds = 0.0
        self.retry_after_seconds = 1
        # Issue list requests that arrived (counted before any latency) and answered.
        self.list_requests = 0
        self.lists_answered = 0
        # Set: the issue count answers -1, as YouTrack does while it is still counting.
        self.count_pending = False
        self._fault_status = 0
        self._fault_count = 0
        self._lock = threading.RLock()
        self.rest = RestApi(self)
        self.admin = AdminApi(self)

    @property
    def base_url(self) -> str:
        return f"{super().base_url}{self.context_path}"

    # --- what tests drive -----------------------------------------------------------

    def fail_lists(self, status: int, count: int) -> None:
        with self._lock:
            self._fault_status, self._fault_count = status, count

    def count_list_request(self) -> None:
        with self._lock:
            self.list_requests += 1

    def list_fault(self) -> Response | None:
        with self._lock:
            if self._fault_count <= 0:
                return None
            self._fault_count -= 1
            status = self._fault_status
        if status == 429:
            return error(429, "too_many_requests", "Too many requests").header(
                "Retry-After", str(self.retry_after_seconds)
            )
        if status in REASONS:
            page = PROXY_PAGE.format(status=status, reason=REASONS[status])
            return html_response(status, page)
        return error(status, "server_error", "Internal server error")

    # --- answering --------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        path = request.full_path
        if self.context_path and not path.startswith(self.context_path + "/"):
            return error(404, "Not Found", f"Resource {path} not found")
        request.path = path[len(self.context_path) :]
        if request.path.startswith("/_sim"):
            return self.admin.handle(request)
        listing = request.method == "GET" and request.path.rstrip("/") == "/api/issues"
        if listing:
            self.count_list_request()  # on arrival, before any latency
        self.sleep(self.latency_seconds)
        if request.path == "/api" or request.path.startswith("/api/"):
            with self._lock:
                response = self._api(request)
                if listing:
                    self.lists_answered += 1
                return response
        if request.path.startswith("/issue/"):
            key = request.path[len("/issue/") :]
            issue = self.store.find(key)
            if issue is not None:
                return html_response(200, f"<html><title>{issue.id_readable}</title></html>")
        return Response(404, b"<html><body>Not found</body></html>", HTML_TYPE)

    def _api(self, request: Request) -> Response:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if not header:
            return error(401, "Unauthorized", "You are not logged in.").header(
                "WWW-Authenticate", 'Bearer realm="YouTrack"'
            )
        user = self.store.user_by_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            return error(401, "Unauthorized", "Invalid token").header(
                "WWW-Authenticate", 'Bearer realm="YouTrack", error="invalid_token"'
            )
        return self.rest.handle(request, user)
