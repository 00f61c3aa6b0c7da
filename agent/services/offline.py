"""When the server is away: `issues/fetch` answers the last result of the same query.

Every successful fetch is kept (`agent.store.last_results`) before it is answered, so
that the next request, in this agent or another, finds it. A fetch that fails with an
`offline` `Unreachable` (see `agent.errors`) answers the kept result instead, with
`stale: true`, `fetchedAt` and `staleReason`, unless the request asked for `fresh`.
The log (INFO: the clients show staleness themselves) says so once per outage of an
instance, and again when the server answers.
"""

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.errors import Unreachable
from agent.store.last_results import Kept, LastResults
from protocol.converter import WireJson

log = logging.getLogger("issuebridge.offline")


class Offline:
    def __init__(self, storage_dir: Callable[[], Path]) -> None:
        self._storage_dir = storage_dir
        # Instances whose outage the log has told about (until they answer again).
        self._told: set[str] = set()

    def _store(self) -> LastResults:
        return LastResults(self._storage_dir())

    async def keep(
        self,
        instance_id: str,
        user: str | None,
        query: str | None,
        issues: list[dict[str, Any]],
        total: int,
    ) -> None:
        """Keep a fresh result (off the event loop); a failure only goes to the log."""
        if instance_id in self._told:
            self._told.discard(instance_id)
            log.info("%s answers again: issues are fresh", instance_id)
        kept = Kept(issues, total, now())
        try:
            await asyncio.to_thread(self._store().save, instance_id, query, user, kept)
        except (OSError, ValueError, TypeError) as exc:
            log.warning(
                "Could not keep the issues for when the server is away: %s",
                getattr(exc, "strerror", None) or exc.__class__.__name__,
            )

    async def stand_in(
        self,
        instance_id: str,
        base_url: str,
        user: str | None,
        query: str | None,
        limit: int,
        error: Unreachable,
    ) -> WireJson | None:
        """The kept result of `query` in wire form (`IssuesFetchResult`, stale), at
        most `limit` issues of it; None when none is kept."""
        kept = await asyncio.to_thread(self._store().load, instance_id, query, user)
        if kept is None:
            return None
        if instance_id not in self._told:
            self._told.add(instance_id)
            log.info(
                "%s is unreachable (%s); answering the issues fetched at %s, marked stale, "
                "until it answers again",
                base_url,
                error.message,
                kept.fetched_at,
            )
        return WireJson(
            issues=kept.issues[:limit],
            total=kept.total,
            stale=True,
            fetchedAt=kept.fetched_at,
            staleReason=error.message,
        )

    async def forget(self, instance_id: str) -> None:
        """Remove what is kept for an instance (it was forgotten)."""
        self._told.discard(instance_id)
        await asyncio.to_thread(self._store().forget, instance_id)


def now() -> str:
    """ISO 8601, UTC, to the second: `2024-03-05T14:22:01Z`."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
