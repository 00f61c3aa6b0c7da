"""Each query's sorted result, kept until the data changes.

A client pages through a search by asking the same JQL again and again with another
`startAt`; without this, every page would filter and sort every issue again (about
25 ms at 10,000 issues), and a benchmark of the client would measure the simulator.
Jira itself answers pages from its Lucene index rather than from the database.

An entry is the result of one JQL text for one caller (the user decides
`currentUser()` and what may be browsed), tagged with the data's change count
(`changes.generation()`) read before the search ran; it serves later pages only
while that count is unchanged, so any change at all (an edit, a transition, a new
issue, a comment, an admin API call, a test editing the store) makes the next
search run afresh. Paging over a moving result therefore behaves exactly as it did
without the cache. Queries whose result depends on the clock (`now()`,
`startOfDay()`, `-1d`...) are never kept; errors are never kept either.

Rendering a page's issues as JSON cost more than the search itself once that was
kept (about 2 ms per 50 issues), so `RenderedIssues` keeps each issue's encoded JSON
per base URL, field list and expand set, under the same rule: it is emptied as soon
as the data changes. What an issue renders as depends only on those and the data
(`Representer` holds nothing else); a new input to it belongs in the key.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import changes, jql
from .data import Issue
from .represent import Representer

# Distinct (query, caller) results kept; 10,000 issues take 80 kB of references each.
MAX_ENTRIES = 64
# Encoded issues kept (about 2 kB each with an editor's fields); past it, start over.
MAX_RENDERED = 50_000

_Key = tuple[str, str | None, bool, bool]


@dataclass(frozen=True)
class _Entry:
    generation: int
    issues: tuple[Issue, ...]


class SearchCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[_Key, _Entry] = OrderedDict()
        self.hits = 0
        self.misses = 0
        # Searches that read the clock, so could not be kept.
        self.uncached = 0

    def search(self, query: str, ctx: jql.Context) -> Sequence[Issue]:
        """`jql.search(query, ctx)`, from the cache while the data is unchanged."""
        key: _Key = (query, ctx.user.name if ctx.user else None, ctx.can_browse, ctx.validate)
        generation = changes.generation()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.generation == generation:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry.issues
        issues = tuple(jql.search(query, ctx))
        with self._lock:
            if ctx.reads_clock or ctx.warnings:
                # Warnings are the answer's too: a kept result would lose them.
                self.uncached += 1
                return issues
            self.misses += 1
            # The count only grows: entries of another generation can never serve again.
            for stale in [k for k, e in self._entries.items() if e.generation != generation]:
                del self._entries[stale]
            self._entries[key] = _Entry(generation, issues)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return issues

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "entries": len(self._entries),
                "hits": self.hits,
                "misses": self.misses,
                "uncached": self.uncached,
            }

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def encode_json(payload: Any) -> bytes:
    """Bytes exactly as `wire.json_response` writes them (raw UTF-8, no spaces)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class RenderedIssues:
    """Each issue's JSON in a search page, kept while the data is unchanged."""

    def __init__(self, max_entries: int = MAX_RENDERED) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._generation = -1
        self._encoded: dict[tuple[str, tuple[str, ...], frozenset[str], int], bytes] = {}

    def encoded(
        self, rep: Representer, issues: Sequence[Issue], fields: list[str], expand: set[str]
    ) -> list[bytes]:
        """`encode_json(rep.issue(i, fields, expand))` for each issue, in order."""
        generation = changes.generation()
        field_key, expand_key = tuple(fields), frozenset(expand)
        with self._lock:
            if generation != self._generation or len(self._encoded) > self.max_entries:
                # Written under one generation, never valid under a later one.
                self._encoded = {}
                self._generation = generation
            kept = self._encoded
        out = []
        for issue in issues:
            key = (rep.base, field_key, expand_key, issue.id)
            body = kept.get(key)
            if body is None:
                body = encode_json(rep.issue(issue, fields, expand))
                kept[key] = body
            out.append(body)
        return out
