"""The line that says a list is not fresh: the server was unreachable and the agent
answered the last list it kept (`stale`, `fetchedAt`, `staleReason`)."""

from datetime import UTC, datetime
from typing import Any


def note(result: dict[str, Any], now: datetime | None = None) -> str | None:
    """None for a fresh result; else e.g. "Offline: showing the list fetched 12 minutes
    ago (server unreachable: Could not connect to …). `--fresh` fails instead." """
    if not result.get("stale"):
        return None
    fetched_at = result.get("fetchedAt")
    when = f"fetched {age(fetched_at, now)}" if isinstance(fetched_at, str) else "kept"
    reason = result.get("staleReason")
    why = f"server unreachable: {str(reason).rstrip('.')}" if reason else "server unreachable"
    return f"Offline: showing the list {when} ({why}). With --fresh it fails instead."


def age(fetched_at: str, now: datetime | None = None) -> str:
    """How long ago an ISO 8601 time was, in words ("12 minutes ago"); the time itself
    if it cannot be read."""
    try:
        then = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    except ValueError:
        return f"at {fetched_at}"
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    seconds = ((now or datetime.now(UTC)) - then).total_seconds()
    if seconds < 60:
        return "less than a minute ago"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    raise AssertionError("unreachable")
