"""What Jira's error answers mean, as errors a person can act on.

Jira says why it refused in headers (`X-Seraph-LoginReason`,
`X-Authentication-Denied-Reason`, `WWW-Authenticate: OAuth … oauth_problem=…`)
and in bodies (`{"errorMessages": [...], "errors": {...}}`, or a form-encoded
`oauth_problem=…`). This module reads them all in one place.
"""

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from agent.bodies import describe_body
from agent.errors import AgentError, AuthenticationFailed, RemoteError, UnsupportedServer
from protocol.types import ErrorAction

if TYPE_CHECKING:
    import httpx

# What each OAuth problem means for the user, and what to do about it.
OAUTH_HINTS: dict[str, str] = {
    "consumer_key_unknown": "No incoming Application Link in Jira has this consumer key. Ask "
    "the Jira admin to check the link's consumer key, or fix the consumer key here.",
    "signature_invalid": "The public key in Jira's Application Link does not match this "
    "private key. Give the admin this key's public key (see the fingerprints), or configure "
    "the private key that belongs to the link.",
    "timestamp_refused": "This computer's clock and the Jira server's clock differ by more "
    "than 5 minutes. Fix the clock (enable NTP), then try again.",
    "token_rejected": "Jira no longer accepts this authorization. Authorize again.",
    "token_expired": "The authorization expired. Authorize again.",
    "token_used": "This authorization was already used. Authorize again.",
    "permission_denied": "Access was denied in the browser (Deny was clicked). Authorize "
    "again and click Allow.",
    "permission_unknown": "The authorization was not approved in the browser yet. Finish it "
    "in the browser, then try again.",
    "nonce_used": "Jira saw this request twice (a replay). Try again.",
    "signature_method_rejected": "Jira refused the RSA-SHA1 signature method. The "
    "Application Link must be configured with a public key (not a shared secret).",
    "consumer_key_refused": "Jira refuses this consumer. Ask the Jira admin to check the "
    "Application Link.",
    "user_refused": "Jira refuses access for this user. Ask the Jira admin.",
    "parameter_absent": "Jira says a required OAuth parameter is missing. This is a bug in "
    "issuebridge; please report it.",
    "parameter_rejected": "Jira rejected an OAuth parameter. This is a bug in issuebridge; "
    "please report it.",
    "version_rejected": "Jira rejected the OAuth version. This is a bug in issuebridge.",
}

# The next step each OAuth problem calls for (`data.action`); the rest need the Jira
# admin, which no client can do for the user.
OAUTH_ACTIONS: dict[str, ErrorAction] = {
    "consumer_key_unknown": "configure",
    "signature_invalid": "configure",
    "timestamp_refused": "retry",
    "token_rejected": "authorize",
    "token_expired": "authorize",
    "token_used": "authorize",
    "permission_denied": "authorize",
    "permission_unknown": "authorize",
    "nonce_used": "retry",
}

_OAUTH_PARAM = re.compile(r'(\w+)="([^"]*)"')


def oauth_parameters(response: "httpx.Response") -> dict[str, str]:
    """OAuth problem parameters from `WWW-Authenticate` or a form-encoded body."""
    found: dict[str, str] = {}
    header = response.headers.get("WWW-Authenticate", "")
    if header.lower().startswith("oauth"):
        found.update({k: v for k, v in _OAUTH_PARAM.findall(header) if k != "realm"})
    if "oauth_problem" not in found and "oauth_problem=" in response.text[:4000]:
        body = parse_qs(response.text.strip(), keep_blank_values=True)
        found.update({k: v[0] for k, v in body.items() if k.startswith("oauth_")})
    return found


class NotJson(ValueError):
    """A body that is not JSON, or JSON too deeply nested to read."""


def parse_json(response: "httpx.Response") -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise NotJson(str(exc)) from None
    except RecursionError:
        raise NotJson(NESTED) from None


NESTED = "nested too deeply"


def json_body(response: "httpx.Response") -> Any:
    """A successful answer's JSON, or `remoteError` saying what came instead."""
    try:
        return parse_json(response)
    except NotJson as exc:
        if str(exc) == NESTED:
            raise RemoteError(
                f"{_url(response)} answered with JSON nested too deeply to read.",
                hint="No Jira answer looks like that: check that the base URL points at Jira.",
                httpStatus=response.status_code,
                messages=["JSON nested too deeply"],
                action="configure",
            ) from None
        raise not_json(response) from None


def error_messages(response: "httpx.Response") -> list[str]:
    """Jira's own words from an error body, or a description of a non-JSON one."""
    try:
        body: Any = parse_json(response)
    except NotJson:
        return [describe_body(response)]
    messages: list[str] = []
    if isinstance(body, dict):
        messages += [str(m) for m in _as_list(body.get("errorMessages")) if m]
        errors = body.get("errors")
        if isinstance(errors, dict):
            messages += [f"{field}: {text}" for field, text in errors.items()]
        if not messages and isinstance(body.get("message"), str):
            messages.append(body["message"])
    return messages


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def not_json(response: "httpx.Response") -> RemoteError:
    """Not an answer from Jira's REST API: a proxy's error page, a login page, a web site."""
    status = response.status_code
    action: ErrorAction
    if status >= 500:
        hint = "Jira, or a proxy in front of it, is failing; try again later."
        action = "retry"
    else:
        hint = (
            "A proxy or login page may be in front of Jira, or the base URL is not Jira's: "
            "check it, including the context path (for example https://example.com/jira)."
        )
        action = "configure"
    return RemoteError(
        f"{_url(response)} answered HTTP {status} with {describe_body(response)}, "
        "not JSON from Jira's REST API.",
        hint=hint,
        httpStatus=status,
        messages=[describe_body(response)],
        action=action,
    )


def not_jira(response: "httpx.Response") -> UnsupportedServer:
    """The server info request did not get Jira's server info: no Jira at this base URL."""
    status = response.status_code
    try:
        body = parse_json(response)
    except NotJson:
        text = (
            f"{_url(response)} answered HTTP {status} with {describe_body(response)}, "
            "not Jira's REST API."
        )
    else:
        messages = error_messages(response) if status >= 400 else []
        said = f" ({'; '.join(messages)[:300]})" if messages else ""
        what = f"HTTP {status}{said}" if status >= 400 else _json_kind(body)
        text = f"{_url(response)} answered {what}, not Jira's server info."
    return UnsupportedServer(
        text,
        hint="Check the base URL, including the context path Jira runs under "
        "(for example https://example.com/jira).",
        action="configure",
    )


def _json_kind(body: Any) -> str:
    if isinstance(body, dict):
        return "a JSON object without Jira's version numbers"
    if isinstance(body, list):
        return "a JSON array"
    return "JSON null" if body is None else f"a JSON {type(body).__name__}"


def _url(response: "httpx.Response") -> str:
    return str(response.request.url).split("?", 1)[0]


def authentication_failure(response: "httpx.Response", auth_method: str) -> AuthenticationFailed:
    """The error for a 401 (or a login Jira silently treated as anonymous)."""
    reason = response.headers.get("X-Seraph-LoginReason")
    denied = response.headers.get("X-Authentication-Denied-Reason", "")
    oauth = oauth_parameters(response)
    problem = oauth.get("oauth_problem")
    status = response.status_code
    if "CAPTCHA_CHALLENGE" in denied:
        login_url = captcha_login_url(denied, response)
        where = f" at {login_url}" if login_url else ""
        return AuthenticationFailed(
            "Jira refuses API logins for this account until you log in once in the browser"
            f"{where}: after failed logins it wants a CAPTCHA solved.",
            hint=f"Log in to Jira in your browser{where} and solve the CAPTCHA, then connect "
            "again. issuebridge sends this server nothing more until you do: every further "
            "attempt would count against the account.",
            httpStatus=status,
            loginReason=reason,
            loginUrl=login_url,
            action=_reenter(auth_method),
        )
    if problem:
        return AuthenticationFailed(
            f"Jira refused the OAuth request: {problem}.",
            hint=OAUTH_HINTS.get(
                problem, "Authorize again; if it keeps failing, ask the Jira admin."
            ),
            # A problem Jira names but we do not know: authorizing again may help.
            action=OAUTH_ACTIONS.get(problem) if problem in OAUTH_HINTS else "authorize",
            httpStatus=status,
            oauthProblem=problem,
            loginReason=reason,
        )
    if auth_method == "token":
        return AuthenticationFailed(
            "Jira rejected the personal access token: it is wrong, expired or revoked.",
            hint="Create a new token in Jira (avatar > Profile > Personal Access Tokens) and "
            "configure it again.",
            action="configure",
            httpStatus=status,
            loginReason=reason,
        )
    return AuthenticationFailed(
        "Jira rejected the credentials.",
        hint="Authorize again.",
        httpStatus=status,
        loginReason=reason,
        action=_reenter(auth_method),
    )


def captcha_login_url(denied: str, response: "httpx.Response") -> str | None:
    """The `login-url=` of `X-Authentication-Denied-Reason`, if it is a web page of the
    server that answered (a URL from elsewhere is not offered to the user)."""
    login_url = denied.partition("login-url=")[2].split(";", 1)[0].strip()
    try:
        offered, answered = urlsplit(login_url), response.request.url
    except ValueError:
        return None
    same = offered.scheme in ("http", "https") and offered.hostname == answered.host
    return login_url[:500] if same else None


def _reenter(auth_method: str) -> ErrorAction:
    """What gives new credentials: a new token for token instances, else the browser."""
    return "configure" if auth_method == "token" else "authorize"


def remote_error(response: "httpx.Response", what: str) -> AgentError:
    """An error status from Jira (a JSON error body), or from something in front of it."""
    status = response.status_code
    try:
        parse_json(response)
    except NotJson:
        return not_json(response)
    messages = error_messages(response)
    said = "; ".join(messages) if messages else "no message"
    if status == 400:
        return RemoteError(
            f"Jira refused {what}: {said}",
            hint="Check the query; Jira's message says what it did not accept.",
            httpStatus=status,
            messages=messages,
        )
    action: ErrorAction | None = None
    if status == 403:
        hint: str | None = "Your Jira account lacks the permission for this; ask the Jira admin."
    elif status >= 500:
        hint, action = "Jira is failing; try again later.", "retry"
    else:
        hint = None
    return RemoteError(
        f"Jira answered {what} with HTTP {status}: {said}",
        hint=hint,
        httpStatus=status,
        messages=messages,
        action=action,
    )
