"""What the browser brings back from an authorization, read the same way whether it
reaches the loopback listener or the user pastes the address.

Each protocol names its parameters: OAuth 1.0a sends `oauth_token` (the request
token, which identifies the authorization) and `oauth_verifier`; OAuth 2.0 sends
`state` and `code`, or `error` instead of a code. The value that identifies the
authorization is compared in constant time, and nothing is accepted before it is
known: any local process can reach a loopback port.
"""

import hmac
from urllib.parse import parse_qs, urlsplit

import attrs

from agent.secret import Secret


@attrs.frozen
class CallbackFormat:
    match: str  # carries the value only the pending authorization knows
    value: str  # carries the verifier or code
    error: str | None = None  # carries a refusal instead of a value (OAuth 2.0)
    description: str | None = None  # the refusal's text
    # Without the matching parameter a pasted address is taken on trust (OAuth 1.0a's
    # code page shows no token); OAuth 2.0's state is required.
    match_required: bool = False


OAUTH1 = CallbackFormat(match="oauth_token", value="oauth_verifier")
OAUTH2 = CallbackFormat(
    match="state", value="code", error="error", description="error_description", match_required=True
)


@attrs.frozen
class Callback:
    """An accepted callback: the verifier or code, or the refusal it carries."""

    value: str | None = None
    error: str | None = None
    description: str | None = None


def query_of(text: str) -> dict[str, str]:
    """The parameters of an address (or of a bare query string)."""
    query = urlsplit(text).query if "?" in text else text
    return {key: values[0] for key, values in parse_qs(query).items()}


def matches(expected: Secret | None, given: str | None) -> bool:
    if expected is None or given is None:
        return False  # never before the authorization's value is known
    return hmac.compare_digest(given.encode("utf-8"), expected.reveal().encode("utf-8"))


def read(query: dict[str, str], form: CallbackFormat, expected: Secret | None) -> Callback | None:
    """The callback in `query` if it belongs to the expected authorization, else None."""
    if not matches(expected, query.get(form.match)):
        return None
    if form.error and query.get(form.error):
        error = query[form.error]
        return Callback(error=error, description=query.get(form.description or "") or None)
    value = query.get(form.value, "")
    return Callback(value=value) if value else None


class Refused(Exception):
    """A callback (or pasted address) that carries a refusal instead of a code."""

    def __init__(self, error: str, description: str | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.description = description or None
