"""Fault injection: what proxies, overloaded servers and flaky networks do to clients.

Each injection is armed for N requests (one by default) and may be limited to paths
containing a substring and to one HTTP method, so a test can break e.g. only the search
calls, or only the POST that creates an issue. Latency applies
to every request, and so does `network_down` while it is set. Admin (``/_sim/``)
requests are never affected.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .wire import HTML_TYPE, JSON_TYPE, NOT_AUTHENTICATED, Response, error_response

PROXY_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
# What Tomcat in front of a Jira that is starting up or overloaded answers.
UNAVAILABLE_503 = (
    '<!doctype html><html lang="en"><head><title>HTTP Status 503 - Service Unavailable'
    "</title></head><body><h1>HTTP Status 503 - Service Unavailable</h1></body></html>"
)
# What a client sees when an SSO proxy intercepts an API call: 200, but a login page.
SSO_PAGE = (
    "<!DOCTYPE html><html><head><title>Sign in - Corporate SSO</title></head>"
    '<body><form method="post" action="/sso/login"><input name="username">'
    '<input type="password" name="password"><button>Sign in</button></form></body></html>'
)


@dataclass
class Injection:
    # html_502, unavailable_503, non_json_200, drop_connection, slow_response, rate_limit,
    # captcha
    kind: str
    remaining: int
    match: str | None = None
    seconds: float = 0.0
    retry_after: int = 0
    method: str | None = None

    def applies_to(self, path: str, method: str | None = None) -> bool:
        if self.method is not None and method is not None and self.method != method.upper():
            return False
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

    def unavailable_503(
        self,
        times: int = 1,
        match: str | None = None,
        method: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Fail the next `times` matching requests with 503 (with `Retry-After` if given)."""
        after = -1 if retry_after is None else retry_after
        self._arm(Injection("unavailable_503", times, match, retry_after=after, method=method))

    def captcha(self, times: int = 1, match: str | None = None) -> None:
        """Answer as Jira (Seraph) does once the account must solve a CAPTCHA: 403,
        `X-Seraph-LoginReason: AUTHENTICATION_DENIED` and
        `X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE; login-url=…`, before any
        resource runs. The simulator's own CAPTCHA mode (`captcha_threshold` failed
        password logins) applies to Basic logins; this makes any login meet it."""
        self._arm(Injection("captcha", times, match))

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
                    "method": i.method,
                }
                for i in self._queue
            ]

    def take(self, path: str, method: str | None = None) -> Injection | None:
        """Consume one shot of the first armed injection that applies to this request."""
        with self._lock:
            for injection in self._queue:
                if injection.applies_to(path, method):
                    injection.remaining -= 1
                    if injection.remaining <= 0:
                        self._queue.remove(injection)
                    return injection
        return None

    def outcome(self, path: str, method: str | None = None, base_url: str = "") -> Outcome:
        if self.network_down:
            return Outcome(Response(0, drop=True))
        injection = self.take(path, method)
        if injection is None:
            return Outcome()
        if injection.kind == "html_502":
            return Outcome(Response(502, PROXY_502.encode(), HTML_TYPE, [("Server", "nginx")]))
        if injection.kind == "unavailable_503":
            after = injection.retry_after
            headers = [("Retry-After", str(after))] if after >= 0 else []
            return Outcome(Response(503, UNAVAILABLE_503.encode(), HTML_TYPE, headers))
        if injection.kind == "captcha":
            denied = error_response(403, [NOT_AUTHENTICATED])
            denied.headers += [
                ("X-Seraph-LoginReason", "AUTHENTICATION_DENIED"),
                (
                    "X-Authentication-Denied-Reason",
                    f"CAPTCHA_CHALLENGE; login-url={base_url}/login.jsp",
                ),
            ]
            return Outcome(denied)
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
