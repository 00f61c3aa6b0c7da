"""What Jira's OAuth 2.0 errors mean (RFC 6749 5.2 and 4.1.2.1, in Jira's words), and
what the user does about each: `-32001 authenticationFailed` with `oauthError`."""

from agent.auth import oauth2
from agent.errors import AgentError, AuthenticationFailed, AuthorizationExpired
from protocol.types import ErrorAction

_CODE_HINTS: dict[str, tuple[str, str, ErrorAction]] = {
    "invalid_grant": (
        "Jira refused the authorization code: it was used already or it expired (Jira's "
        "codes live seconds), or the redirect URI or code verifier did not match.",
        "Authorize again.",
        "authorize",
    ),
    "invalid_client": (
        "Jira refused the client id or secret.",
        "Copy the client id and secret again from Jira's incoming link and configure again.",
        "configure",
    ),
    "access_denied": (
        "Jira denied access.",
        "Authorize again and allow access.",
        "authorize",
    ),
    "invalid_scope": (
        "Jira refused the scope this instance asks for.",
        "Configure the instance with the scope the link allows (READ or WRITE).",
        "configure",
    ),
    "unauthorized_client": (
        "Jira's link does not allow this client to use the authorization code flow.",
        "Ask the Jira admin to check the incoming link to the external application.",
        "configure",
    ),
    "unsupported_grant_type": (
        "Jira does not support the grant issuebridge used.",
        "Check that the server is Jira Data Center 8.22 or later.",
        "configure",
    ),
}


def grant_refused(problem: oauth2.OAuth2Problem, grant: str) -> AgentError:
    """-32001 with `oauthError`: what the error means and what to do."""
    if grant == "refresh" and problem.error == "invalid_grant":
        return AuthorizationExpired(
            "Jira refused to renew the access token: the authorization was revoked (under "
            "your Jira profile's Authorized applications) or it expired.",
            hint="Authorize again.",
            action="authorize",
            oauthError=problem.error,
        )
    message, hint, action = _CODE_HINTS.get(
        problem.error,
        (  # an error Jira names that is not known here: authorizing again may help
            f"Jira refused the OAuth 2.0 request ({problem.error[:60]}).",
            "Authorize again; if it keeps failing, ask the Jira admin to check the link.",
            "authorize",
        ),
    )
    if problem.description:
        message = f"{message} Jira says: {problem.description[:200]}"
    if grant == "refresh" and action == "authorize":
        return AuthorizationExpired(message, hint=hint, action=action, oauthError=problem.error)
    return AuthenticationFailed(message, hint=hint, action=action, oauthError=problem.error)


def callback_refused(error: str, description: str | None) -> AgentError:
    if error == "access_denied":
        return AuthenticationFailed(
            "You denied access in Jira, so issuebridge is not authorized.",
            hint="Authorize again and allow access.",
            action="authorize",
            oauthError=error,
        )
    message, hint, action = _CODE_HINTS.get(
        error,
        (
            f"Jira did not authorize issuebridge ({error[:60]}).",
            "Authorize again; if it keeps failing, ask the Jira admin to check the link.",
            "authorize",
        ),
    )
    if description:
        message = f"{message} Jira says: {description[:200]}"
    return AuthenticationFailed(message, hint=hint, action=action, oauthError=error)
