"""YouTrack commands (`POST /api/commands`), the subset clients send to change an issue:
`State {In Progress}` / `State Fixed`, a bare state value (`Fixed`), `Assignee alice`,
`Assignee Unassigned`, `for me` / `for alice`. Several in one query are applied in order.
"""

from __future__ import annotations

import re

from .data import STATES, Issue, Store

_PART = re.compile(r"\s*(?P<word>[A-Za-z']+)(?:\s+(?P<value>\{[^}]*\}|[^\s{}]+))?")


class CommandError(ValueError):
    pass


def apply(store: Store, issue: Issue, query: str, me: str) -> None:
    """Apply `query` to `issue`, all or nothing; CommandError names what is wrong."""
    changes: list[tuple[str, str | None]] = []
    text = query.strip()
    position = 0
    states = {name.lower(): name for name, _ in STATES}
    if not text:
        raise CommandError("Command is empty")
    while position < len(text):
        match = _PART.match(text, position)
        if match is None or match.end() == position:
            raise CommandError(f"Command [{text}] is invalid")
        position = match.end()
        word, value = match["word"].lower(), match["value"]
        unbraced = value[1:-1].strip() if value and value.startswith("{") else value
        if word == "state" and unbraced:
            if unbraced.lower() not in states:
                raise CommandError(f"Unknown State value: {unbraced}")
            changes.append(("state", states[unbraced.lower()]))
        elif word in ("assignee", "for") and unbraced:
            login = me if unbraced.lower() == "me" else unbraced.lower()
            if login in ("unassigned", "nobody"):
                changes.append(("assignee", None))
            elif login in store.users:
                changes.append(("assignee", login))
            else:
                raise CommandError(f"Unknown user: {unbraced}")
        elif value is None and word in states:
            changes.append(("state", states[word]))
        else:
            raise CommandError(f"Command [{text}] is invalid")
    for name, new in changes:
        if name == "state" and new is not None:
            issue.state = new
        elif name == "assignee":
            issue.assignee = new
    issue.updated = store.touch()
