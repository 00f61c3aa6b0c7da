"""A subset of YouTrack's search query language, enough for what clients send.

Supported: `for: me` / `for: <login>` (and `assignee:`, `Assignee:`), `#Unresolved`,
`#Resolved`, `#me`, `project: <shortName>`, `State: <value>` / `#{In Progress}`,
`Priority:`, `Type:`, `tag:`, `issue id: DEMO-1`, several values of one attribute
separated by commas (`issue id: DEMO-1, DEMO-2`: either), free words matched against the
summary and description, values in braces (`{In Progress}`), and `sort by: updated`
(`asc`/`desc`, also `created`, `priority`... as `updated`). Without `sort by`, the
simulator sorts by update time, newest first (a documented assumption).

Attributes YouTrack does not have (`nosuchfield: x`) are refused with 400, as is an
unbalanced brace; YouTrack's own parser is more forgiving in places (it falls back to
text search for some words) - see docs/youtrack.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .data import STATES, Issue

Predicate = Callable[[Issue], bool]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<sort>sort\s+by\s*:\s*(?P<sortfield>[\w ]+?)(?:\s+(?P<dir>asc|desc))?\s*$)
      | (?P<attr>issue\s+id|[A-Za-z]\w*)\s*:\s*
        (?P<value>(?:\{[^}]*\}|-?[^\s,{}]+)(?:\s*,\s*(?:\{[^}]*\}|-?[^\s,{}]+))*)
      | \#(?P<hash>\{[^}]*\}|[^\s{}]+)
      | (?P<word>"[^"]*"|[^\s{}#:]+)
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_VALUES = re.compile(r"\{[^}]*\}|-?[^\s,{}]+")
_KNOWN = {
    "for",
    "assignee",
    "project",
    "state",
    "priority",
    "type",
    "tag",
    "issue id",
    "reporter",
    "summary",
    "description",
}


class QueryError(ValueError):
    pass


@dataclass
class Query:
    predicates: list[Predicate] = field(default_factory=list)
    sort_field: str = "updated"
    descending: bool = True

    def matches(self, issue: Issue) -> bool:
        return all(p(issue) for p in self.predicates)

    def sort(self, issues: list[Issue]) -> list[Issue]:
        if self.sort_field == "created":
            return sorted(issues, key=lambda i: i.created, reverse=self.descending)
        return sorted(issues, key=lambda i: i.updated, reverse=self.descending)


def parse(text: str, me: str) -> Query:
    query = Query()
    position = 0
    stripped = text.strip()
    if stripped.count("{") != stripped.count("}"):
        raise QueryError("Unbalanced braces in the query.")
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None or match.end() == position:
            raise QueryError(f"Cannot parse the query at {stripped[position:][:30]!r}.")
        position = match.end()
        if match["sort"]:
            query.sort_field = match["sortfield"].strip().lower()
            query.descending = (match["dir"] or "desc").lower() == "desc"
        elif match["attr"]:
            # `attribute: a, b`: either value (the grammar's comma-separated filters).
            alternatives = [
                _attribute(match["attr"], _unbrace(v), me) for v in _VALUES.findall(match["value"])
            ]
            query.predicates.append(_any(alternatives))
        elif match["hash"]:
            query.predicates.append(_hash(_unbrace(match["hash"]), me))
        elif match["word"]:
            query.predicates.append(_text(match["word"].strip('"').lower()))
    return query


def _any(predicates: list[Predicate]) -> Predicate:
    return predicates[0] if len(predicates) == 1 else lambda i: any(p(i) for p in predicates)


def _text(word: str) -> Predicate:
    return lambda i: word in i.summary.lower() or word in i.description.lower()


def _unbrace(value: str) -> str:
    return value[1:-1].strip() if value.startswith("{") else value


def _who(value: str, me: str) -> str | None:
    lowered = value.lower()
    if lowered == "me":
        return me
    if lowered in ("unassigned", "nobody"):
        return None
    return lowered


def _attribute(name: str, value: str, me: str) -> Predicate:
    attribute = " ".join(name.lower().split())
    if attribute not in _KNOWN:
        raise QueryError(f"Unknown field: {name.strip()}")
    lowered = value.lower()
    if attribute in ("for", "assignee"):
        who = _who(value, me)
        return lambda i: (i.assignee or None) == who
    if attribute == "reporter":
        who = _who(value, me)
        return lambda i: i.reporter == who
    if attribute == "project":
        return lambda i: i.project.lower() == lowered
    if attribute == "state":
        if lowered == "unresolved":
            return lambda i: not i.resolved
        if lowered == "resolved":
            return lambda i: i.resolved
        if lowered not in {n.lower() for n, _ in STATES}:
            raise QueryError(f"Unknown value for State: {value}")
        return lambda i: i.state.lower() == lowered
    if attribute == "priority":
        return lambda i: i.priority.lower() == lowered
    if attribute == "type":
        return lambda i: i.type.lower() == lowered
    if attribute == "tag":
        return lambda i: lowered in (t.lower() for t in i.tags)
    if attribute == "issue id":
        return lambda i: i.id_readable.lower() == lowered
    if attribute == "summary":
        return lambda i: lowered in i.summary.lower()
    return lambda i: lowered in i.description.lower()


def _hash(value: str, me: str) -> Predicate:
    lowered = value.lower()
    if lowered == "unresolved":
        return lambda i: not i.resolved
    if lowered == "resolved":
        return lambda i: i.resolved
    if lowered == "me":
        return lambda i: i.assignee == me or i.reporter == me
    if lowered in {n.lower() for n, _ in STATES}:
        return lambda i: i.state.lower() == lowered
    if re.fullmatch(r"[a-z][a-z0-9_]*-\d+", lowered):
        return lambda i: i.id_readable.lower() == lowered
    return lambda i: lowered in (t.lower() for t in i.tags) or i.project.lower() == lowered
