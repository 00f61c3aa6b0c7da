"""What the simulator does instead of answering: latency on every request, and failures
armed for the next N issue list or search requests, each the way GitHub sends it.

- a 5xx: GitHub's JSON (`{"message": "Server Error"}`) for 500, the front end's HTML page
  for 502/503/504 (GitHub's "Unicorn!" page);
- 429 or 403 with `kind` "primary": the primary rate limit spent (`x-ratelimit-remaining:
  0`, `x-ratelimit-reset` in epoch seconds, "API rate limit exceeded for user ID n.");
- 429 or 403 with `kind` "secondary": a secondary rate limit (`retry-after`, "You have
  exceeded a secondary rate limit.").

Admin (`/_sim/`) requests are never affected.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from simulators.common.wire import HTML_TYPE, Response, json_response

RATE_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"
UNICORN = (
    "<!DOCTYPE html><html><head><title>Unicorn! &middot; GitHub</title></head><body>"
    "<h1>No server is currently available to service your request.</h1>"
    "<p>Sorry about that. Please try refreshing and contact us if the problem persists.</p>"
    "</body></html>"
)


@dataclass
class ListFailure:
    status: int
    remaining: int
    kind: str = "primary"  # for 403/429: primary or secondary
    retry_after: int = 1
    reset_in: int = 60


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.latency_seconds = 0.0
        self._lists: ListFailure | None = None

    def fail_lists(
        self,
        status: int,
        count: int,
        kind: str = "primary",
        retry_after: int = 1,
        reset_in: int = 60,
    ) -> None:
        with self._lock:
            self._lists = (
                ListFailure(status, count, kind, retry_after, reset_in) if count > 0 else None
            )

    def clear(self) -> None:
        with self._lock:
            self._lists = None
        self.latency_seconds = 0.0

    def state(self) -> dict[str, object]:
        with self._lock:
            failure = self._lists
        return {
            "latencySeconds": self.latency_seconds,
            "lists": None
            if failure is None
            else {"status": failure.status, "remaining": failure.remaining, "kind": failure.kind},
        }

    def take_list_failure(self, user_id: int) -> Response | None:
        """The answer of the next list or search request, when one is armed."""
        with self._lock:
            failure = self._lists
            if failure is None:
                return None
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._lists = None
        return failure_response(failure, user_id)


def failure_response(failure: ListFailure, user_id: int) -> Response:
    status = failure.status
    if status in (403, 429):
        if failure.kind == "secondary":
            response = json_response(
                status,
                {
                    "message": "You have exceeded a secondary rate limit. Please wait a few "
                    "minutes before you try again. If you reach out to GitHub Support for "
                    "help, please include the request ID.",
                    "documentation_url": RATE_DOCS + "#about-secondary-rate-limits",
                    "status": str(status),
                },
            )
            return response.header("retry-after", str(failure.retry_after))
        return rate_limit_spent(status, user_id, 5000, failure.reset_in)
    if status == 500:
        return json_response(500, {"message": "Server Error", "status": "500"})
    return Response(status, UNICORN.encode(), HTML_TYPE)


def rate_limit_spent(status: int, user_id: int, limit: int, reset_in: int) -> Response:
    """The primary rate limit spent: what GitHub answers until `x-ratelimit-reset`."""
    response = json_response(
        status,
        {
            "message": f"API rate limit exceeded for user ID {user_id}. If you reach out to "
            "GitHub Support for help, please include the request ID.",
            "documentation_url": RATE_DOCS,
            "status": str(status),
        },
    )
    reset = int(time.time()) + reset_in
    for name, value in (
        ("x-ratelimit-limit", str(limit)),
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset", str(reset)),
        ("x-ratelimit-used", str(limit)),
        ("x-ratelimit-resource", "core"),
    ):
        response.header(name, value)
    return response
