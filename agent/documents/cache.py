"""Issues looked up for hovers, kept a short while per (instance, key).

"Not found" is kept too (None), so a key that names no issue is not asked about at
every hover. A lookup in flight is shared: a hover on a key that an earlier hover's
lookup is fetching waits for that lookup instead of sending another.
"""

import asyncio
import time
from typing import Any

LIFETIME_SECONDS = 60.0

Key = tuple[str, str]  # (instance id, issue key)
Found = dict[str, Any] | None  # the issue as wire JSON; None: no such issue


class IssueCache:
    def __init__(self, lifetime: float = LIFETIME_SECONDS) -> None:
        self.lifetime = lifetime
        self._kept: dict[Key, tuple[float, Found]] = {}
        self._pending: dict[Key, asyncio.Future[dict[str, Found]]] = {}

    def get(self, key: Key) -> tuple[bool, Found]:
        """(True, issue or None) when kept and fresh, else (False, None)."""
        entry = self._kept.get(key)
        if entry is None:
            return False, None
        if time.monotonic() - entry[0] > self.lifetime:
            del self._kept[key]
            return False, None
        return True, entry[1]

    def put(self, key: Key, found: Found) -> None:
        self._kept[key] = (time.monotonic(), found)

    def pending(self, key: Key) -> "asyncio.Future[dict[str, Found]] | None":
        return self._pending.get(key)

    def start(self, keys: list[Key], lookup: "asyncio.Future[dict[str, Found]]") -> None:
        """`lookup` is fetching `keys` (its result: issue key -> issue or None)."""
        for key in keys:
            self._pending[key] = lookup

        def done(future: "asyncio.Future[dict[str, Found]]") -> None:
            for key in keys:
                if self._pending.get(key) is future:
                    del self._pending[key]
            if not future.cancelled() and future.exception() is None:
                for instance_id, issue_key in keys:
                    self.put((instance_id, issue_key), future.result().get(issue_key))

        lookup.add_done_callback(done)

    def clear(self) -> None:
        self._kept.clear()
