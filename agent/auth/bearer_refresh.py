"""A Bearer `httpx.Auth` whose access token renews itself with the refresh token.

One `TokenGrant` per session holds the tokens; every client the session makes
signs with it. The token is renewed shortly before it expires (when less than a
quarter of its lifetime, at most a minute, is left), and once when the server
answers 401 anyway (revoked early, or the clocks differ), and the request is then
sent again with the new token. However many requests need it at once, there is
one renewal: they all wait for the same task, which runs to its end even if the
request that started it is cancelled (a refresh token that rotates is spent once
the server answers; losing that answer would lose the authorization).

The new tokens are stored through the session's `Renewal` (the instance store)
before anyone uses them, so a restarted agent starts with them. Before refreshing,
the grant looks at what is stored: another agent process (a second editor window,
the terminal client) may have renewed them already, and a rotated refresh token
works only once; a refresh refused because another process has just renewed them
(the store holds another refresh token by then) takes theirs. A refused refresh is
reported to the `Renewal` (the instance then needs authorizing again) and raised.
"""

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable

import httpx

from agent.auth.oauth2 import Tokens
from agent.errors import AuthorizationExpired
from agent.providers.base import Renewal
from agent.secret import Secret

log = logging.getLogger("issuebridge.auth")

# Renew when less than this share of the token's lifetime is left, and at most this long.
EARLY_SHARE = 0.25
EARLY_MAX_SECONDS = 60.0

Refresh = Callable[[Secret], Awaitable[Tokens]]


class TokenGrant:
    def __init__(self, tokens: Tokens, refresh: Refresh, renewal: Renewal | None) -> None:
        self._tokens = tokens
        self._refresh = refresh
        self._renewal = renewal
        self._renewing: asyncio.Task[Tokens] | None = None

    @property
    def access_token(self) -> Secret:
        return self._tokens.access_token

    def _expiring(self, tokens: Tokens) -> bool:
        if tokens.expires_at is None:
            return False
        lifetime = tokens.lifetime or EARLY_MAX_SECONDS / EARLY_SHARE
        early = min(EARLY_MAX_SECONDS, EARLY_SHARE * lifetime)
        return tokens.expires_at - time.time() < early

    async def fresh(self) -> Secret:
        """The access token, renewed first if it is about to expire."""
        if self._renewing is not None and self._renewing.done():
            self._renewing = None
        if self._renewing is None and not self._expiring(self._tokens):
            return self._tokens.access_token
        return (await self._renewed(None)).access_token

    async def after_rejection(self, used: Secret) -> Secret | None:
        """A token to try again with after `used` got a 401; None: there is none."""
        if self._tokens.refresh_token is None and self._renewal is None:
            return None
        renewed = await self._renewed(used)
        return None if renewed.access_token == used else renewed.access_token

    async def _renewed(self, rejected: Secret | None) -> Tokens:
        if self._renewing is not None and self._renewing.done():
            self._renewing = None  # finished while nobody waited
        if self._renewing is None:
            if rejected is not None and rejected != self._tokens.access_token:
                return self._tokens  # renewed meanwhile by another request
            task = asyncio.ensure_future(self._renew(rejected))
            # Whoever waits may be cancelled; the outcome is still retrieved.
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
            self._renewing = task
        task = self._renewing
        try:
            return await asyncio.shield(task)
        finally:
            if task.done() and self._renewing is task:
                self._renewing = None

    async def _renew(self, rejected: Secret | None) -> Tokens:
        stored = Tokens.from_secrets(await self._renewal.current()) if self._renewal else None
        if stored is not None and stored.access_token != self._tokens.access_token:
            # Renewed by another agent process: theirs stand (their refresh token is the
            # live one), unless they expire too.
            self._tokens = stored
            if stored.access_token != rejected and not self._expiring(stored):
                log.info("Using the access token another issuebridge process renewed")
                return stored
        refresh_token = self._tokens.refresh_token
        if refresh_token is None:
            return self._tokens  # nothing to renew with: the server's answer stands
        log.info("Renewing the OAuth 2.0 access token")
        try:
            renewed = await self._refresh(refresh_token)
        except AuthorizationExpired as exc:
            if self._renewal is None:
                raise
            # Refused because another process renewed (a rotated refresh token works
            # once)? Then what it stored stands.
            stored = Tokens.from_secrets(await self._renewal.current())
            if stored is not None and stored.refresh_token not in (None, refresh_token):
                log.info("Using the tokens another issuebridge process renewed")
                self._tokens = stored
                return stored
            await self._renewal.refused({"refreshToken": refresh_token}, exc)
            raise
        if self._renewal is not None:
            await self._renewal.renewed({"refreshToken": refresh_token}, renewed.secrets())
        self._tokens = renewed
        return renewed


class RefreshingBearerAuth(httpx.Auth):
    """Signs with the grant's access token; on a 401, renews once and sends again."""

    def __init__(self, grant: TokenGrant) -> None:
        self._grant = grant

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        used = await self._grant.fresh()
        request.headers["Authorization"] = f"Bearer {used.reveal()}"
        response = yield request
        if response.status_code != 401:
            return
        again = await self._grant.after_rejection(used)
        if again is None:
            return
        log.info("The server refused the access token; sending the request again, renewed")
        request.headers["Authorization"] = f"Bearer {again.reveal()}"
        yield request
