"""A value that cannot leak by being printed, logged, formatted or serialised.

Tokens and private keys travel through the agent as `Secret`. `str()`, `repr()`,
f-strings and `%s` all give ``<secret>``; JSON encoding fails loudly. The only way
to the value is `reveal()`, which is greppable and used only where the value must
leave the process (an HTTP header, the secret store, a signature).

Every secret value (and each long line of a multi-line one, such as a PEM) is also
remembered while a `Secret` holding it is alive, so the log filter can scrub it from
any message that somehow contains it anyway. A value is forgotten when its last
`Secret` goes: a value the agent no longer holds (a failed configure's token, a
deleted instance's) cannot reach a log line, and keeping it would keep its memory.
"""

import threading
from collections import Counter
from typing import Final

_REDACTED: Final = "<secret>"
# How many live Secrets hold each value (or line of one).
_live_values: Counter[str] = Counter()
# Secrets are made and dropped in worker threads too; re-entrant, as a GC pass inside
# the locked section may drop a Secret.
_lock = threading.RLock()


def _parts(value: str) -> set[str]:
    if len(value) < 6:
        return set()
    return {value, *(line for line in value.splitlines() if len(line) >= 16)}


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("Secret wraps a str")
        self._value = value
        parts = _parts(value)
        if parts:
            with _lock:
                _live_values.update(parts)

    def __del__(self) -> None:
        value = getattr(self, "_value", None)
        if value is None:
            return
        with _lock:
            for part in _parts(value):
                _live_values[part] -= 1
                if _live_values[part] <= 0:
                    del _live_values[part]

    def reveal(self) -> str:
        return self._value

    def __str__(self) -> str:
        return _REDACTED

    def __repr__(self) -> str:
        return f"Secret({_REDACTED})"

    def __format__(self, spec: str) -> str:
        return _REDACTED

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> str:
        raise TypeError("a Secret cannot be pickled")


def scrub(text: str) -> str:
    """Replace every known secret value in `text` (defence in depth for log lines)."""
    # Longest first, so a whole PEM is replaced before its lines are.
    with _lock:
        values = sorted(_live_values, key=len, reverse=True)
    for value in values:
        if value in text:
            text = text.replace(value, _REDACTED)
    return text
