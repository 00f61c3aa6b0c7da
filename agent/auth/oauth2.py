"""OAuth 2.0 authorization code with PKCE (RFC 6749, RFC 7636), for any provider.

oauthlib's `WebApplicationClient` builds every parameter (the authorize URL with
its S256 challenge, the code and refresh grants' form bodies) and reads the token
endpoint's answer; this module only keeps what must stay secret in `Secret`s and
turns oauthlib's errors into `OAuth2Problem` values a provider explains in its own
words. Sending the requests is the provider's (it knows the endpoints and the
network settings).

oauthlib refuses http:// URLs unless an environment variable says otherwise. The
agent has its own policy for cleartext (`agent.net.cleartext_warning`), and an
http:// loopback redirect is what RFC 8252 recommends for a native app, so the
check is lifted, only around oauthlib's own calls.
"""

import contextlib
import os
import time
from collections.abc import Iterator

import attrs
from oauthlib.oauth2 import OAuth2Error, WebApplicationClient

from agent.secret import Secret

# RFC 7636 4.1: 43 to 128 characters; the longest gives the most entropy.
VERIFIER_LENGTH = 128
STATE_BYTES = 32


@attrs.frozen
class AuthorizationRequest:
    """Where the browser goes, and what only this agent knows about that visit."""

    url: str
    state: Secret
    code_verifier: Secret


@attrs.frozen
class Tokens:
    """What a token endpoint granted. `expires_at`: time.time() when the access token
    stops working (None: the server did not say); `lifetime`: its seconds then."""

    access_token: Secret
    refresh_token: Secret | None = None
    expires_at: float | None = None
    lifetime: float | None = None

    def secrets(self) -> dict[str, Secret]:
        """In the form the secret store keeps them (the expiry as text)."""
        found = {"accessToken": self.access_token}
        if self.refresh_token is not None:
            found["refreshToken"] = self.refresh_token
        if self.expires_at is not None:
            found["accessTokenExpiresAt"] = Secret(f"{self.expires_at:.0f}")
        return found

    @classmethod
    def from_secrets(cls, values: dict[str, Secret]) -> "Tokens | None":
        access = values.get("accessToken")
        if access is None:
            return None
        expires = values.get("accessTokenExpiresAt")
        expires_at = _number(expires.reveal()) if expires is not None else None
        return cls(access, values.get("refreshToken"), expires_at)


class OAuth2Problem(Exception):
    """The server's (or the callback's) OAuth 2.0 error: `error` and its description."""

    def __init__(self, error: str, description: str | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.description = description


@contextlib.contextmanager
def _agent_checks_transport() -> Iterator[None]:
    keep = os.environ.get("OAUTHLIB_INSECURE_TRANSPORT")
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    try:
        yield
    finally:
        if keep is None:
            os.environ.pop("OAUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = keep


def authorization_request(
    authorize_endpoint: str, client_id: str, redirect_uri: str, scope: str
) -> AuthorizationRequest:
    """A fresh random state and PKCE verifier, and the authorize URL with the S256
    challenge of that verifier."""
    import secrets

    client = WebApplicationClient(client_id)
    verifier = client.create_code_verifier(VERIFIER_LENGTH)
    challenge = client.create_code_challenge(verifier, "S256")
    state = secrets.token_urlsafe(STATE_BYTES)
    with _agent_checks_transport():
        url = client.prepare_request_uri(
            authorize_endpoint,
            redirect_uri=redirect_uri,
            scope=scope,
            state=state,
            code_challenge=challenge,
            code_challenge_method="S256",
        )
    return AuthorizationRequest(url, Secret(state), Secret(verifier))


def code_grant_body(
    client_id: str, client_secret: Secret, code: str, redirect_uri: str, code_verifier: Secret
) -> str:
    """The form of `grant_type=authorization_code`, client credentials as form params."""
    client = WebApplicationClient(client_id)
    return str(
        client.prepare_request_body(
            code=code,
            redirect_uri=redirect_uri,
            include_client_id=True,
            client_secret=client_secret.reveal(),
            code_verifier=code_verifier.reveal(),
        )
    )


def refresh_grant_body(
    client_id: str, client_secret: Secret, refresh_token: Secret, redirect_uri: str
) -> str:
    """The form of `grant_type=refresh_token`; some providers (Jira) check redirect_uri."""
    client = WebApplicationClient(client_id)
    return str(
        client.prepare_refresh_body(
            refresh_token=refresh_token.reveal(),
            client_id=client_id,
            client_secret=client_secret.reveal(),
            redirect_uri=redirect_uri,
        )
    )


def parse_token_answer(client_id: str, body: str) -> Tokens:
    """The tokens in a token endpoint's answer, or its error as an OAuth2Problem."""
    client = WebApplicationClient(client_id)
    try:
        with _agent_checks_transport():
            token = client.parse_request_body_response(body)
    except OAuth2Error as exc:
        raise OAuth2Problem(str(exc.error or "invalid_request"), exc.description) from None
    except (ValueError, Warning) as exc:  # no access_token, or an unreadable answer
        raise OAuth2Problem("invalid_response", exc.__class__.__name__) from None
    refresh = token.get("refresh_token")
    lifetime = _number(str(token.get("expires_in", "")))
    return Tokens(
        Secret(str(token["access_token"])),
        Secret(str(refresh)) if refresh else None,
        time.time() + lifetime if lifetime is not None else None,
        lifetime,
    )


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
