"""Sending a request again, only where that is safe.

What is retried:
- an idempotent request (GET, HEAD, OPTIONS, PUT — Jira's `PUT …/assignee` sets the
  same assignee however often it arrives — or one marked idempotent, such as the
  search, a read sent as POST) whose connection was refused or cut, or that was
  answered 502, 503 or 504: at most `ATTEMPTS` attempts in all, with exponential
  backoff and full jitter (or the server's `Retry-After` on a 503, when it says one);
- any request answered 429: the rate limiter refused it before anything ran, so
  sending it again after `Retry-After` repeats nothing; at most `RATE_LIMIT_RETRIES`
  times.

What never is: a TLS failure, a DNS failure, a timeout, an authentication failure
(Jira locks an account behind a CAPTCHA after repeated failed logins), and a create,
a comment or a transition (POST) that may have reached the server.

Every attempt and every wait stays inside the request's one total deadline: a
`Retry-After` longer than what is left ends the request at once (`rateLimited` for
a 429; a 503's own answer otherwise).
"""

import asyncio
import logging
import math
import random
from collections.abc import Awaitable, Callable
from email.utils import parsedate_to_datetime
from time import time
from typing import TYPE_CHECKING

from agent.errors import RateLimited, Unreachable
from agent.net import address, redact_url, within

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("issuebridge.retry")

# Attempts in all for a request that failed on the way (connection, 502/503/504).
ATTEMPTS = 3
# Waits for a 429 before reporting `rateLimited`.
RATE_LIMIT_RETRIES = 3
# Backoff: a random wait up to BASE * 2**n seconds (full jitter), at most MAX.
BACKOFF_BASE_SECONDS = 0.25
BACKOFF_MAX_SECONDS = 4.0
# The longest Retry-After reported to the editor (a server may say inf).
MAX_RETRY_AFTER_SECONDS = 3600

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT"})
RETRIED_STATUSES = frozenset({502, 503, 504})

Attempt = Callable[[], Awaitable["httpx.Response"]]


def is_idempotent(method: str, marked: bool | None = None) -> bool:
    """May this request be sent twice? `marked` overrides the method's rule."""
    return marked if marked is not None else method.upper() in IDEMPOTENT_METHODS


def backoff_seconds(retry: int) -> float:
    """The wait before retry number `retry` (1, 2, …): full jitter, bounded."""
    ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (retry - 1))
    return random.uniform(0, ceiling)  # spreading retries: no secret


async def send(
    attempt: Attempt, method: str, url: str, timeout_seconds: float, idempotent: bool
) -> "httpx.Response":
    """Run `attempt` (one request and its answer) until it gives an answer worth
    returning, within `timeout_seconds` in all. A refused or cut connection of an
    idempotent request raises its `Unreachable` once the attempts are spent; a 5xx that
    stays returns its last answer, for the caller to read as Jira's error."""
    where = address(url)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_seconds if math.isfinite(timeout_seconds) else math.inf
    failures = 0
    limited = 0
    async with within(timeout_seconds, where):
        while True:
            try:
                response = await attempt()
            except Unreachable as exc:
                if not (idempotent and exc.transient) or failures + 1 >= ATTEMPTS:
                    raise
                failures += 1
                wait = backoff_seconds(failures)
                if loop.time() + wait >= deadline:
                    raise
                log.info(
                    "%s %s: %s; attempt %d", method, redact_url(url), exc.message, failures + 1
                )
                await asyncio.sleep(wait)
                continue
            status = response.status_code
            if status == 429:
                wait = retry_after_seconds(response)
                if limited >= RATE_LIMIT_RETRIES or loop.time() + wait >= deadline:
                    raise _rate_limited(wait)
                limited += 1
                log.info("The server answered 429; retrying in %d s", wait)
                await asyncio.sleep(wait)
                continue
            if status in RETRIED_STATUSES and idempotent and failures + 1 < ATTEMPTS:
                failures += 1
                said = response.headers.get("Retry-After")
                wait = retry_after_seconds(response) if said else backoff_seconds(failures)
                if loop.time() + wait >= deadline:
                    return response  # no time left to wait: the answer stands
                log.info(
                    "%s %s -> %d; attempt %d in %.2f s",
                    method,
                    redact_url(url),
                    status,
                    failures + 1,
                    wait,
                )
                await asyncio.sleep(wait)
                continue
            return response


def _rate_limited(wait: int) -> RateLimited:
    return RateLimited(
        f"The server is rate-limiting requests and asked to wait {wait} "
        f"second{'' if wait == 1 else 's'}.",
        hint="Wait a little and try again; fetching fewer issues sends fewer requests.",
        retryAfterSeconds=wait,
        action="retry",
    )


def retry_after_seconds(response: "httpx.Response") -> int:
    """`Retry-After` as whole seconds from 0 to an hour: seconds or an HTTP date; anything
    else (nan, negative, words) means 1; inf and huge values are capped."""
    value = response.headers.get("Retry-After", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time()
        except (TypeError, ValueError, OverflowError):
            return 1
        seconds = max(0.0, seconds)  # a date in the past: now
    if math.isnan(seconds) or seconds < 0:
        return 1
    return min(
        MAX_RETRY_AFTER_SECONDS,
        math.ceil(seconds) if math.isfinite(seconds) else MAX_RETRY_AFTER_SECONDS,
    )
