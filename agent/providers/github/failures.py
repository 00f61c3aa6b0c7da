"""What GitHub's error answers mean, as errors a person can act on.

GitHub's errors are JSON: `{"message": …, "documentation_url": …, "status": "…"}`, a
422 adds `errors: [{resource, field, code, message?}]`. Rate limits come as 403 or 429:
the primary limit spent says `x-ratelimit-remaining: 0` and when it resets
(`x-ratelimit-reset`, epoch seconds); a secondary limit says so in the message and may
send `retry-after`. Without either, GitHub asks to wait at least a minute.
"""

import json
import math
import time
from typing import TYPE_CHECKING, Any

from agent.bodies import describe_body
from agent.errors import AgentError, AuthenticationFailed, RateLimited, RemoteError
from agent.retry import MAX_RETRY_AFTER_SECONDS, retry_after_seconds
from protocol.types import ErrorAction

if TYPE_CHECKING:
    import httpx

# GitHub: "Otherwise, wait for at least one minute before retrying."
SECONDARY_WAIT_SECONDS = 60


def body_of(response: "httpx.Response") -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        return None


def messages(response: "httpx.Response") -> list[str]:
    """GitHub's own words: the message, then each entry of `errors`."""
    body = body_of(response)
    if not isinstance(body, dict):
        return [describe_body(response)]
    said: list[str] = []
    if isinstance(body.get("message"), str) and body["message"]:
        said.append(body["message"])
    for entry in body.get("errors") or []:
        if isinstance(entry, dict):
            text = entry.get("message")
            if not isinstance(text, str) or not text:
                field, code = entry.get("field"), entry.get("code")
                text = f"{field}: {code}" if field else str(code or "invalid")
            said.append(text)
        elif isinstance(entry, str):
            said.append(entry)
    return said


def rate_limited(response: "httpx.Response") -> RateLimited | None:
    """The error for a rate-limit answer (403 or 429 that says so), else None."""
    status = response.status_code
    if status not in (403, 429):
        return None
    headers = response.headers
    said = " ".join(messages(response)).lower()
    if headers.get("x-ratelimit-remaining") == "0":
        wait = _until(headers.get("x-ratelimit-reset"))
        if headers.get("retry-after"):
            wait = max(wait, retry_after_seconds(response))
        return _limited(wait, "GitHub's hourly request limit for this token is used up")
    if headers.get("retry-after") or "rate limit" in said:
        wait = (
            retry_after_seconds(response) if headers.get("retry-after") else SECONDARY_WAIT_SECONDS
        )
        return _limited(wait, "GitHub is limiting requests (a secondary rate limit)")
    return None


def _until(reset: str | None) -> int:
    try:
        seconds = float(reset or "") - time.time()
    except ValueError:
        return SECONDARY_WAIT_SECONDS
    if not math.isfinite(seconds):
        return MAX_RETRY_AFTER_SECONDS
    return max(1, min(MAX_RETRY_AFTER_SECONDS, math.ceil(seconds)))


def _limited(wait: int, why: str) -> RateLimited:
    return RateLimited(
        f"{why}; it asks to wait {wait} seconds.",
        hint="Wait and try again; fetching fewer issues (a smaller limit or a narrower "
        "search) sends fewer requests.",
        retryAfterSeconds=wait,
        action="retry",
    )


def reworded(exc: RateLimited) -> RateLimited:
    """`agent.retry`'s error after repeated 429s, in GitHub's name."""
    wait = int(exc.data.get("retryAfterSeconds", SECONDARY_WAIT_SECONDS))
    return _limited(wait, "GitHub kept answering 429 Too Many Requests")


def authentication_failed(response: "httpx.Response") -> AuthenticationFailed:
    said = "; ".join(messages(response)) or "no message"
    return AuthenticationFailed(
        f"GitHub rejected the personal access token ({said}): it is wrong, expired or revoked.",
        hint="Create a new token (avatar > Settings > Developer settings > Personal access "
        "tokens) and configure it again.",
        action="configure",
        httpStatus=response.status_code,
    )


def remote_error(response: "httpx.Response", what: str) -> AgentError:
    status = response.status_code
    said = messages(response)
    text = "; ".join(said) or "no message"
    action: ErrorAction | None = None
    if body_of(response) is None:
        advice = (
            "GitHub, or a proxy in front of it, is failing; try again later."
            if status >= 500
            else "Something other than GitHub's API answered: check the base URL "
            "(https://api.github.com, or https://HOST/api/v3 for Enterprise Server)."
        )
        action = "retry" if status >= 500 else "configure"
        return RemoteError(
            f"{_url(response)} answered {what} with HTTP {status} and {describe_body(response)}, "
            "not JSON from GitHub's API.",
            hint=advice,
            httpStatus=status,
            messages=said,
            action=action,
        )
    if status == 422:
        hint: str | None = "Check the search: GitHub's message says what it did not accept."
    elif status == 404:
        hint = (
            "No such issue or repository, or the token cannot see it (a fine-grained token "
            "must include the repository)."
        )
    elif status == 403:
        hint = "The token lacks the permission for this (fine-grained: Issues read and write)."
    elif status == 410:
        hint = "Issues are turned off for this repository."
    elif status >= 500:
        hint, action = "GitHub is failing; try again later.", "retry"
    else:
        hint = None
    return RemoteError(
        f"GitHub refused {what} (HTTP {status}): {text}",
        hint=hint,
        httpStatus=status,
        messages=said,
        action=action,
    )


def _url(response: "httpx.Response") -> str:
    return str(response.request.url).split("?", 1)[0]
