"""What the key-style providers share for `lookup_issues` and `suggest_issues`.

`chunks` cuts the keys of one lookup into the batches a tracker's API takes;
`merge` puts a completion's two searches together (the user's open issues first,
then the text search's, each issue once, at most `limit`); `search_words` keeps the
words of what was typed after the dash, so that no tracker's query syntax (JQL's
reserved characters, YouTrack's `#` and `:`, GitHub's qualifiers) sees anything else.
"""

import re
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_WORD = re.compile(r"[^\W_]+")
# A completion's search: a few words are plenty.
MAX_WORDS = 8


def chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def unique(keys: Iterable[str]) -> list[str]:
    """The keys in their order, each once."""
    return list(dict.fromkeys(k for k in keys if k))


def search_words(text: str) -> str:
    """The words of `text`, space-separated (letters and digits only)."""
    return " ".join(_WORD.findall(text)[:MAX_WORDS])


def room(mine: list[Any], limit: int) -> int:
    """How many issues the text search asks for after `mine`: enough to fill `limit` even
    when `mine` come back in it too (they usually do: both are the newest first)."""
    return limit + len(mine)


def merge(
    mine: list[dict[str, Any]], found: list[dict[str, Any]], limit: int
) -> list[dict[str, Any]]:
    """`mine` first, then `found`, by key without repeats, at most `limit`."""
    merged: list[dict[str, Any]] = []
    seen: set[str] = set()
    for issue in [*mine, *found]:
        key = issue.get("key")
        if not isinstance(key, str) or key in seen:
            continue
        seen.add(key)
        merged.append(issue)
        if len(merged) >= limit:
            break
    return merged


class Prefixes:
    """A session's project keys, read once (`key_prefixes` is cached per session)."""

    def __init__(self, read: Callable[[], Awaitable[set[str]]]) -> None:
        self._read = read
        self._keys: set[str] | None = None

    async def get(self) -> set[str]:
        if self._keys is None:
            self._keys = await self._read()
        return self._keys
