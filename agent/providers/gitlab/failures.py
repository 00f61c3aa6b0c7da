"""What GitLab's error answers mean, as errors a person can act on.

GitLab's API writes errors as JSON: `{"message": "401 Unauthorized"}`,
`{"message": {"title": ["is too long"]}}` (validation) or `{"error": "scope does not
have a valid value"}` (a parameter outside its values). Its rate limiter answers 429 in
plain text (`Retry later`) with `Retry-After` (handled by `agent.retry`); the proxy in
front of it (nginx, Workhorse) answers 502/503 with HTML pages.
"""

import json
from typing import TYPE_CHECKING, Any

from agent import bodies
from agent.errors import AgentError, AuthenticationFailed, RemoteError, UnsupportedServer
from protocol.types import ErrorAction

if TYPE_CHECKING:
    import httpx

TOKEN_HINT = (
    "Create a new personal access token in GitLab (avatar > Edit profile > Access tokens) "
    "with scope api (or read_api), and configure it again."
)


def parse_json(response: "httpx.Response") -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _NOT_JSON


_NOT_JSON = object()


def messages(response: "httpx.Response") -> list[str]:
    """GitLab's own words from an error body, or a description of a non-JSON one."""
    body = parse_json(response)
    if body is _NOT_JSON:
        return [describe_body(response)]
    found: list[str] = []
    if isinstance(body, dict):
        for name in ("message", "error", "error_description"):
            value = body.get(name)
            if isinstance(value, str) and value:
                found.append(value)
            elif isinstance(value, dict):
                found += [
                    f"{field}: {', '.join(map(str, _list(text)))}" for field, text in value.items()
                ]
            elif isinstance(value, list):
                found += [str(v) for v in value]
    return found


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def describe_body(response: "httpx.Response") -> str:
    """A non-JSON body in a few words: GitLab's rate limiter's `'Retry later'`, or "an
    HTML page titled '…'" (the description Jira's provider gives, shared)."""
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if kind == "text/plain" and response.content:
        return repr(response.content[:80].decode("utf-8", "replace").strip())
    return bodies.describe_body(response)


def _url(response: "httpx.Response") -> str:
    return str(response.request.url).split("?", 1)[0]


def authentication_failure(response: "httpx.Response") -> AuthenticationFailed:
    return AuthenticationFailed(
        "GitLab rejected the personal access token: it is wrong, expired or revoked.",
        hint=TOKEN_HINT,
        action="configure",
        httpStatus=response.status_code,
    )


def not_gitlab(response: "httpx.Response") -> UnsupportedServer:
    """The user request did not get GitLab's answer: no GitLab API at this base URL."""
    said = "; ".join(messages(response))[:200]
    return UnsupportedServer(
        f"{_url(response)} answered HTTP {response.status_code} ({said}), not GitLab's "
        "REST API v4.",
        hint="Check the base URL: the address you open GitLab at (e.g. https://gitlab.com "
        "or https://gitlab.example.com), with the relative path if GitLab runs under one, "
        "without /api/v4.",
        action="configure",
    )


def not_json(response: "httpx.Response") -> RemoteError:
    status = response.status_code
    action: ErrorAction
    if status >= 500:
        hint, action = "GitLab, or a proxy in front of it, is failing; try again later.", "retry"
    else:
        hint = (
            "A proxy or sign-in page may be in front of GitLab, or the base URL is not "
            "GitLab's: check it."
        )
        action = "configure"
    return RemoteError(
        f"{_url(response)} answered HTTP {status} with {describe_body(response)}, not JSON "
        "from GitLab's REST API.",
        hint=hint,
        httpStatus=status,
        messages=[describe_body(response)],
        action=action,
    )


def insufficient_scope(response: "httpx.Response") -> bool:
    """A 403 for a token whose scopes do not allow the request."""
    body = parse_json(response)
    return (
        response.status_code == 403
        and isinstance(body, dict)
        and body.get("error") == "insufficient_scope"
    )


def remote_error(response: "httpx.Response", what: str) -> AgentError:
    status = response.status_code
    if parse_json(response) is _NOT_JSON:
        return not_json(response)
    if insufficient_scope(response):
        body = parse_json(response)
        needed = str(body.get("scope") or "api")
        return RemoteError(
            f"GitLab refused {what}: the access token's scopes do not allow it (it needs "
            f"one of: {needed}).",
            hint="Create a personal access token with scope api (read_api only reads) and "
            "configure it again.",
            httpStatus=status,
            messages=messages(response),
            action="configure",
        )
    found = messages(response)
    said = "; ".join(found) if found else "no message"
    action: ErrorAction | None = None
    if status == 400:
        hint: str | None = "GitLab's message says what it did not accept."
    elif status == 403:
        hint = (
            "The token lacks the scope for this (api is needed to change issues), or your "
            "account lacks the permission in this project."
        )
        action = "configure"
    elif status == 404:
        hint = "The project or issue does not exist, or your account cannot see it."
    elif status >= 500:
        hint, action = "GitLab is failing; try again later.", "retry"
    else:
        hint = None
    return RemoteError(
        f"GitLab answered {what} with HTTP {status}: {said}",
        hint=hint,
        httpStatus=status,
        messages=found,
        action=action,
    )
