"""What YouTrack's error answers mean, as errors a person can act on.

YouTrack's REST API answers errors as JSON, `{"error": "...", "error_description":
"..."}` (sometimes with `error_children`); what is in front of it (a proxy, a login
page) answers HTML. A 401 means the permanent token is wrong, expired or revoked.
"""

import json
from typing import TYPE_CHECKING, Any

from agent.errors import AgentError, AuthenticationFailed, RemoteError, UnsupportedServer
from protocol.types import ErrorAction

if TYPE_CHECKING:
    import httpx

# The most of an error message quoted back (a proxy may send a whole page).
MAX_MESSAGE = 300


class NotJson(ValueError):
    pass


def json_body(response: "httpx.Response") -> Any:
    """The answer's JSON, or RemoteError when it is not JSON (a proxy's page)."""
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        raise not_json(response) from None


def messages(response: "httpx.Response") -> list[str]:
    """`error_description` (else `error`) of the body and of its `error_children`."""
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        return []
    found: list[str] = []

    def read(entry: Any) -> None:
        if not isinstance(entry, dict):
            return
        text = entry.get("error_description") or entry.get("error")
        if isinstance(text, str) and text.strip() and text.strip()[:MAX_MESSAGE] not in found:
            found.append(text.strip()[:MAX_MESSAGE])
        for child in entry.get("error_children") or []:
            read(child)

    read(body)
    return found


def describe_body(response: "httpx.Response") -> str:
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if not response.content:
        return "an empty body"
    return f"a {content_type or 'untyped'} body of {len(response.content)} bytes"


def _url(response: "httpx.Response") -> str:
    return str(response.request.url).split("?", 1)[0]


def not_json(response: "httpx.Response") -> RemoteError:
    status = response.status_code
    action: ErrorAction | None = None
    if status >= 500:
        hint = "YouTrack, or a proxy in front of it, is failing; try again later."
        action = "retry"
    else:
        hint = (
            "A proxy or login page may be in front of YouTrack, or the URL is not "
            "YouTrack's: check it (for YouTrack Server, with its context path such as /youtrack)."
        )
        action = "configure"
    return RemoteError(
        f"{_url(response)} answered HTTP {status} with {describe_body(response)}, "
        "not JSON from YouTrack's REST API.",
        hint=hint,
        httpStatus=status,
        messages=[describe_body(response)],
        action=action,
    )


def authentication_failure(response: "httpx.Response") -> AuthenticationFailed:
    said = messages(response)
    return AuthenticationFailed(
        "YouTrack rejected the permanent token: it is wrong, expired or revoked"
        + (f" ({'; '.join(said)})." if said else "."),
        hint="Create a new permanent token in YouTrack (avatar > Profile > Account "
        "Security > Tokens) and configure it again.",
        action="configure",
        httpStatus=response.status_code,
    )


def remote_error(response: "httpx.Response", what: str) -> AgentError:
    status = response.status_code
    try:
        json.loads(response.content)
    except (ValueError, RecursionError):
        return not_json(response)
    said_list = messages(response)
    said = "; ".join(said_list) if said_list else "no message"
    if status == 400:
        return RemoteError(
            f"YouTrack refused {what}: {said}",
            hint="Check the query or the values; YouTrack's message says what it did not accept.",
            httpStatus=status,
            messages=said_list,
        )
    action: ErrorAction | None = None
    if status == 403:
        hint: str | None = "Your YouTrack account lacks the permission for this; ask the admin."
    elif status == 404:
        hint = "The issue may not exist or you may not see it; check the key."
    elif status >= 500:
        hint, action = "YouTrack is failing; try again later.", "retry"
    else:
        hint = None
    return RemoteError(
        f"YouTrack answered {what} with HTTP {status}: {said}",
        hint=hint,
        httpStatus=status,
        messages=said_list,
        action=action,
    )


def not_youtrack(response: "httpx.Response", base_url: str) -> UnsupportedServer:
    return UnsupportedServer(
        f"{base_url} did not answer like YouTrack's REST API (HTTP {response.status_code} "
        f"with {describe_body(response)} for the current user).",
        hint="Check the URL: YouTrack Cloud is https://<name>.youtrack.cloud (or "
        "https://<name>.myjetbrains.com/youtrack); YouTrack Server may run under a context "
        "path such as /youtrack.",
        action="configure",
    )
