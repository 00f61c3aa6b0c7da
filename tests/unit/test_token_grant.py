"""The session's token grant: renewed before expiry, one renewal however many wait,
a renewal that outlives a cancelled request, what another process stored adopted, and
a refused renewal reported to the store."""

import asyncio
import time

import pytest

from agent.auth.bearer_refresh import TokenGrant
from agent.auth.oauth2 import Tokens
from agent.errors import AgentError, AuthorizationExpired
from agent.providers.base import Renewal
from agent.secret import Secret


class _Store(Renewal):
    def __init__(self) -> None:
        self.stored: dict[str, Secret] = {}
        self.saved: list[dict[str, Secret]] = []
        self.refusals: list[AgentError] = []

    async def current(self) -> dict[str, Secret]:
        return dict(self.stored)

    async def renewed(self, used: dict[str, Secret], secrets: dict[str, Secret]) -> None:
        self.saved.append(secrets)
        self.stored.update(secrets)

    async def refused(self, used: dict[str, Secret], error: AgentError) -> None:
        self.refusals.append(error)


def _tokens(n: int, seconds: float = 3600) -> Tokens:
    return Tokens(Secret(f"access-{n}"), Secret(f"refresh-{n}"), time.time() + seconds, seconds)


async def test_one_renewal_for_many_and_it_outlives_a_cancelled_request() -> None:
    store = _Store()
    release = asyncio.Event()
    calls: list[str] = []

    async def refresh(refresh_token: Secret) -> Tokens:
        calls.append(refresh_token.reveal())
        await release.wait()
        return _tokens(2)

    grant = TokenGrant(_tokens(1, seconds=-1), refresh, store)  # expired: renew first
    first = asyncio.ensure_future(grant.fresh())
    others = [asyncio.ensure_future(grant.fresh()) for _ in range(5)]
    await asyncio.sleep(0)
    first.cancel()
    release.set()
    assert [(await o).reveal() for o in others] == ["access-2"] * 5
    with pytest.raises(asyncio.CancelledError):
        await first
    assert calls == ["refresh-1"]
    assert [s["refreshToken"].reveal() for s in store.saved] == ["refresh-2"]
    assert (await grant.fresh()).reveal() == "access-2"  # no renewal while it is fresh


async def test_a_rejected_token_is_renewed_once_unless_renewed_meanwhile() -> None:
    renewed: list[int] = []

    async def refresh(refresh_token: Secret) -> Tokens:
        renewed.append(1)
        return _tokens(len(renewed) + 1)

    grant = TokenGrant(_tokens(1), refresh, None)
    again = await grant.after_rejection(Secret("access-1"))
    assert again is not None and again.reveal() == "access-2"
    # A request that used the old token learns of the new one without a second renewal.
    late = await grant.after_rejection(Secret("access-1"))
    assert late is not None and late.reveal() == "access-2" and len(renewed) == 1


async def test_tokens_another_process_stored_are_used_as_they_are() -> None:
    store = _Store()
    store.stored = _tokens(7).secrets()

    async def refresh(refresh_token: Secret) -> Tokens:
        raise AssertionError("the stored tokens are fresh: no refresh")

    grant = TokenGrant(_tokens(1, seconds=-1), refresh, store)
    assert (await grant.fresh()).reveal() == "access-7"


async def test_a_refused_renewal_is_reported_and_raised() -> None:
    store = _Store()

    async def refresh(refresh_token: Secret) -> Tokens:
        raise AuthorizationExpired("revoked", action="authorize", oauthError="invalid_grant")

    grant = TokenGrant(_tokens(1, seconds=-1), refresh, store)
    with pytest.raises(AuthorizationExpired):
        await grant.fresh()
    assert [e.message for e in store.refusals] == ["revoked"]


async def test_a_refusal_after_another_process_rotated_the_token_takes_theirs() -> None:
    store = _Store()

    async def refresh(refresh_token: Secret) -> Tokens:
        store.stored = _tokens(9).secrets()  # the other process stored first
        raise AuthorizationExpired("spent", action="authorize", oauthError="invalid_grant")

    grant = TokenGrant(_tokens(1, seconds=-1), refresh, store)
    assert (await grant.fresh()).reveal() == "access-9"
    assert not store.refusals
