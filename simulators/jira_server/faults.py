"""Fault injection: what proxies, overloaded servers and flaky networks do to clients.

Each injection is armed for N requests (one by default) and may be limited to paths
containing a substring, so a test can break e.g. only the search calls. Latency applies
to every request, and so does `network_down` while it is set. Admin (``/_sim/``)
requests are never affected.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .wire import HTML_TYPE, JSON_TYPE, Response

PROXY_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
# What a client sees when an SSO proxy intercepts an API call: 200, but a login page.
SSO_PAGE = (
    "<!DOCTYPE html><html><head><title>Sign in - Corporate SSO</title></head>"
    '<body><form method="post" action="/sso/login"><input name="username">'
    '<input type="password" name="password"><button>Sign in</button></form></body></html>'
)


@dataclass
class Injection:
    kind: str  # html_502, non_json_200, drop_connection, slow_response, rate_limit
    remaining: int
    match: str | None = None
    seconds: float = 0.0
    retry_after: int = 0

    def applies_to(self, path: str) -> bool:
        return self.match is None or self.match in path


@dataclass
class Outcome:
    """What the server should do instead of (or before) answering normally."""

    response: Response | None = None
    delay_seconds: float = 0.0


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[Injection] = []
        self.latency_seconds: float = 0.0
        self.rate_limit_capacity = 20
        # While set, every request (not admin ones) loses its connection unanswered,
        # as behind a VPN that dropped; see also `JiraSimulator.drop_network`.
        self.network_down = False

    def _arm(self, injection: Injection) -> None:
        with self._lock:
            self._queue.append(injection)

    def html_502(self, times: int = 1, match: str | None = None) -> None:
        self._arm(Injection("html_502", times, match))

    def non_json_200(self, times: int = 1, match: str | None = None) -> None:
        self._arm(Injection("non_json_200", times, match))

    def drop_connection(self, times: int = 1, match: str | None = None) -> None:
        self._arm(Injection("drop_connection", times, match))

    def slow_response(self, seconds: float, times: int = 1, match: str | None = None) -> None:
        self._arm(Injection("slow_response", times, match, seconds=seconds))

    def rate_limit(self, n_times: int = 1, retry_after: int = 1, match: str | None = None) -> None:
        self._arm(Injection("rate_limit", n_times, match, retry_after=retry_after))

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
        self.latency_seconds = 0.0
        self.network_down = False

    def pending(self) -> list[dict[str, object]]:
        with self._lock:
            return [
                {
                    "kind": i.kind,
                    "remaining": i.remaining,
                    "match": i.match,
                    "seconds": i.seconds,
                    "retryAfter": i.retry_after,
                }
                for i in self._queue
            ]

    def take(self, path: str) -> Injection | None:
        """Consume one shot of the first armed injection that applies to this path."""
        with self._lock:
            for injection in self._queue:
                if injection.applies_to(path):
                    injection.remaining -= 1
                    if injection.remaining <= 0:
                        self._queue.remove(injection)
                    return injection
        return None

    def outcome(self, path: str) -> Outcome:
        if self.network_down:
            return Outcome(Response(0, drop=True))
        injection = self.take(path)
        if injection is None:
            return Outcome()
        if injection.kind == "html_502":
            return Outcome(Response(502, PROXY_502.encode(), HTML_TYPE, [("Server", "nginx")]))
        if injection.kind == "non_json_200":
            return Outcome(Response(200, SSO_PAGE.encode(), HTML_TYPE))
        if injection.kind == "drop_connection":
            return Outcome(Response(0, drop=True))
        if injection.kind == "slow_response":
            return Outcome(delay_seconds=injection.seconds)
        return Outcome(self._rate_limited(injection.retry_after))

    def _rate_limited(self, retry_after: int) -> Response:
        # Jira DC 8.6+ rate limiting: token bucket headers plus Retry-After.
        body = b'{"message":"Rate limit exceeded.","status-code":429}'
        return Response(
            429,
            body,
            JSON_TYPE,
            [
                ("Retry-After", str(retry_after)),
                ("X-RateLimit-Limit", str(self.rate_limit_capacity)),
                ("X-RateLimit-Remaining", "0"),
                ("X-RateLimit-FillRate", "10"),
                ("X-RateLimit-Interval-Seconds", "1"),
            ],
        )
