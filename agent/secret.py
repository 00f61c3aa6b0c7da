"""A value that cannot leak by being printed, logged, formatted or serialised.

Tokens and private keys travel through the agent as `Secret`. `str()`, `repr()`,
f-strings and `%s` all give ``<secret>``; JSON encoding fails loudly. The only way
to the value is `reveal()`, which is greppable and used only where the value must
leave the process (an HTTP header, the secret store, a signature).

Every secret value (and each long line of a multi-line one, such as a PEM) is also
remembered for the life of the process, so the log filter can scrub it from any
message that somehow contains it anyway.
"""

from typing import Final

_REDACTED: Final = "<secret>"
_live_values: set[str] = set()


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("Secret wraps a str")
        self._value = value
        if len(value) >= 6:
            _live_values.add(value)
            _live_values.update(line for line in value.splitlines() if len(line) >= 16)

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
    for value in sorted(_live_values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, _REDACTED)
    return text
