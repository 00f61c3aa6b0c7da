"""Every change to the simulated data, counted in one place.

The search cache (`search_cache.py`) keeps each query's sorted result until the data
changes. Rather than rely on every writer (REST handlers, the admin API, the edits
between pages, tests poking the store) to remember to say so, the data counts its own
changes: setting any attribute of a `Tracked` object (issues, comments, users,
projects, the store itself) and any in-place change of a list such an object holds
(the store's issues, users and projects, an issue's labels and comments) bumps one
counter, `generation()`. Lists assigned to a `Tracked` attribute are wrapped in a
`TrackedList` on the way in, so a list field added later is covered too.

A change bumps the counter after it is made, so a reader that saw generation `g`
before reading the data has seen every change counted up to `g`, and any later
change makes `g` stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

_T = TypeVar("_T")


class _Counter:
    value = 0


def generation() -> int:
    """How many changes the data has had (in this process, all stores together)."""
    return _Counter.value


def changed() -> None:
    # A lost increment under threads still moves the value, which is all readers compare.
    _Counter.value += 1


class TrackedList(list[_T]):
    """A list that counts its in-place changes (see the module docstring)."""


def _counting(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = method(self, *args, **kwargs)
        changed()
        return result

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


for _name in (
    "append",
    "extend",
    "insert",
    "remove",
    "pop",
    "clear",
    "sort",
    "reverse",
    "__setitem__",
    "__delitem__",
    "__iadd__",
    "__imul__",
):
    setattr(TrackedList, _name, _counting(getattr(list, _name)))


class Tracked:
    """Counts every attribute set on the object; plain lists become `TrackedList`s."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        if type(value) is list:
            value = TrackedList(value)
        object.__setattr__(self, name, value)
        changed()
