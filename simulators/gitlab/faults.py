"""Faults a test (or the admin API) injects: a status for the next N issue lists,
latency on every answer. GitLab's own shapes: 429 from its rate limiter (Rack::Attack)
is plain text `Retry later` with `Retry-After` and `RateLimit-*` headers; a 500 is
`{"message":"500 Internal Server Error"}`; 502/503 come from the front proxy as HTML."""

from __future__ import annotations

import threading
import time
from email.utils import formatdate

from simulators.common.wire import Response, html_response, json_response

from .wire import TEXT


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.latency_seconds = 0.0
        self.list_status = 0
        self.list_count = 0
        # What a 429 asks the client to wait (GitLab: the seconds until the window ends).
        self.retry_after_seconds = 60
        self.rate_limit = 2000

    def fail_lists(self, status: int, count: int) -> None:
        with self._lock:
            self.list_status, self.list_count = status, count

    def take_list_fault(self) -> int:
        """The status the current issue list must answer, or 0 for none."""
        with self._lock:
            if self.list_count <= 0:
                return 0
            self.list_count -= 1
            return self.list_status

    def answer(self, status: int) -> Response:
        if status == 429:
            reset = int(time.time()) + self.retry_after_seconds
            response = Response(429, b"Retry later\n", TEXT)
            response.header("Retry-After", str(self.retry_after_seconds))
            response.header("RateLimit-Name", "throttle_authenticated_api")
            response.header("RateLimit-Limit", str(self.rate_limit))
            response.header("RateLimit-Observed", str(self.rate_limit + 1))
            response.header("RateLimit-Remaining", "0")
            response.header("RateLimit-Reset", str(reset))
            response.header("RateLimit-ResetTime", formatdate(reset, usegmt=True))
            return response
        if status in (502, 503, 504):
            return html_response(
                status,
                "<!DOCTYPE html><html><head><title>GitLab is not responding (502)"
                "</title></head><body><h1>502</h1><p>Whoops, GitLab is taking too much "
                "time to respond.</p></body></html>",
            )
        return json_response(status, {"message": f"{status} {_reason(status)}"})


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
