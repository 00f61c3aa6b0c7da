"""A small JQL: what the provider and people try against the simulator.

Clauses `field op value` joined by AND (OR and parentheses around clauses are not
simulated), then `ORDER BY field [ASC|DESC], …`. Fields: assignee, reporter, project,
status, statusCategory, resolution, key (issuekey), issuetype (type), priority,
labels, summary, text. Operators: `=`, `!=`, `~`, `!~`, `in`, `not in`, `is`,
`is not` (EMPTY/NULL). Values: quoted or bare words, `currentUser()`, `(a, b)` lists.
A query without any clause is refused as unbounded, as Cloud's enhanced search does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .data import STATUSES, CloudIssue, CloudUser

_TOKEN = re.compile(
    r"\s*(?:(?P<str>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')|(?P<op>!=|!~|=|~|\(|\)|,)"
    r"|(?P<word>[^\s=!~(),\"']+))"
)
FIELDS = {
    "assignee",
    "reporter",
    "project",
    "status",
    "statuscategory",
    "resolution",
    "key",
    "issuekey",
    "issuetype",
    "type",
    "priority",
    "labels",
    "summary",
    "text",
}
ORDERABLE = {"updated", "created", "key", "priority", "status", "summary"}


class JqlError(ValueError):
    """Jira's words for a query it refuses."""


@dataclass
class Token:
    kind: str  # str, op, word
    text: str


def tokenize(jql: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(jql):
        if jql[position:].strip() == "":
            break
        match = _TOKEN.match(jql, position)
        if not match or match.end() == position:
            raise JqlError(
                f"Error in the JQL Query: The character '{jql[position:].strip()[:1]}' is a "
                f"reserved JQL character. (line 1, character {position + 1})"
            )
        kind = match.lastgroup or "word"
        text = match.group(kind)
        if kind == "str":
            text = re.sub(r"\\(.)", r"\1", text[1:-1])
        tokens.append(Token(kind, text))
        position = match.end()
    return tokens


Predicate = Callable[[CloudIssue], bool]


@dataclass
class Query:
    predicates: list[Predicate]
    order: list[tuple[str, bool]]  # (field, descending)

    def run(self, issues: list[CloudIssue]) -> list[CloudIssue]:
        found = [i for i in issues if all(p(i) for p in self.predicates)]
        for name, descending in reversed(self.order or [("created", True)]):

            def key(issue: CloudIssue, name: str = name) -> tuple[Any, int]:
                return (_sort_value(issue, name), int(issue.id))

            found.sort(key=key, reverse=descending)
        return found


def _sort_value(issue: CloudIssue, name: str) -> Any:
    if name == "key":
        return (issue.project, int(issue.key.rpartition("-")[2]))
    return {
        "updated": issue.updated,
        "created": issue.created,
        "priority": issue.priority,
        "status": issue.status,
        "summary": issue.summary,
    }[name]


def parse(jql: str, me: CloudUser, users: list[CloudUser]) -> Query:
    tokens = tokenize(jql)
    words = [t.text.lower() if t.kind == "word" else None for t in tokens]
    order_at = next(
        (i for i in range(len(tokens) - 1) if words[i] == "order" and words[i + 1] == "by"),
        len(tokens),
    )
    clause_tokens, order_tokens = tokens[:order_at], tokens[order_at + 2 :]
    if order_at < len(tokens) and not order_tokens:
        raise JqlError(
            "Error in the JQL Query: Expecting a field name but got the end of the query."
        )
    predicates = [_clause(c, me, users) for c in _split_and(clause_tokens)] if clause_tokens else []
    if not predicates:
        raise JqlError(
            "Unbounded JQL queries are not allowed here. Please add a search restriction to "
            "your query."
        )
    return Query(predicates, _order(order_tokens))


def _split_and(tokens: list[Token]) -> list[list[Token]]:
    clauses: list[list[Token]] = [[]]
    for token in tokens:
        if token.kind == "word" and token.text.lower() == "and":
            clauses.append([])
        elif token.kind == "word" and token.text.lower() == "or":
            raise JqlError("Error in the JQL Query: OR is not supported by this simulator.")
        else:
            clauses[-1].append(token)
    if any(not c for c in clauses):
        raise JqlError("Error in the JQL Query: Expecting a field name but got 'AND'.")
    return clauses


def _order(tokens: list[Token]) -> list[tuple[str, bool]]:
    order: list[tuple[str, bool]] = []
    if not tokens:
        return order
    parts: list[list[Token]] = [[]]
    for token in tokens:
        if token.kind == "op" and token.text == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    for part in parts:
        if not part or len(part) > 2:
            raise JqlError("Error in the JQL Query: Expecting ',' or the end of the query.")
        name = part[0].text.lower()
        if name not in ORDERABLE:
            raise JqlError(f"Not able to sort using field '{part[0].text}'.")
        direction = part[1].text.lower() if len(part) == 2 else "asc"
        if direction not in ("asc", "desc"):
            raise JqlError(
                f"Error in the JQL Query: Expecting 'ASC' or 'DESC' but got '{part[1].text}'."
            )
        order.append((name, direction == "desc"))
    return order


def _clause(tokens: list[Token], me: CloudUser, users: list[CloudUser]) -> Predicate:
    field = tokens[0].text.lower()
    if tokens[0].kind != "word" or field not in FIELDS:
        raise JqlError(
            f"Field '{tokens[0].text}' does not exist or you do not have permission to view it."
        )
    rest = tokens[1:]
    if not rest:
        raise JqlError("Error in the JQL Query: Expecting operator but got the end of the query.")
    lowered = [t.text.lower() for t in rest]
    if lowered[:2] == ["not", "in"]:
        op, values = "not in", rest[2:]
    elif lowered[:2] == ["is", "not"]:
        op, values = "is not", rest[2:]
    elif lowered[0] in ("in", "is") or (
        rest[0].kind == "op" and rest[0].text in ("=", "!=", "~", "!~")
    ):
        op, values = lowered[0], rest[1:]
    else:
        raise JqlError(f"Error in the JQL Query: Expecting operator but got '{rest[0].text}'.")
    listed = _values(values, op)
    getter = _getter(field, me, users)
    wanted = [_normalise(field, v, me, users) for v in listed]
    if op in ("~", "!~"):
        if field not in ("summary", "text"):
            raise JqlError(f"The operator '{op}' is not supported by the '{field}' field.")
        needle = (wanted[0] or "").lower()
        contains: Predicate = lambda i: needle in (getter(i) or "").lower()  # noqa: E731
        return contains if op == "~" else (lambda i: not contains(i))
    if op in ("is", "is not"):
        if wanted != [None]:
            raise JqlError(f"The operator '{op}' only takes EMPTY or NULL.")
        empty: Predicate = lambda i: getter(i) in (None, [], "")  # noqa: E731
        return empty if op == "is" else (lambda i: not empty(i))
    if field in ("summary", "text"):
        raise JqlError(f"The operator '{op}' is not supported by the '{field}' field.")

    def matches(issue: CloudIssue) -> bool:
        value = getter(issue)
        if isinstance(value, list):
            return any(v in value for v in wanted)
        return value in wanted

    return matches if op in ("=", "in") else (lambda i: not matches(i))


def _values(tokens: list[Token], op: str) -> list[str | None]:
    if op in ("in", "not in"):
        if len(tokens) < 2 or tokens[0].text != "(" or tokens[-1].text != ")":
            raise JqlError("Error in the JQL Query: Expecting '(' after 'in'.")
        items = [t for t in tokens[1:-1] if not (t.kind == "op" and t.text == ",")]
        return [_value(t) for t in items]
    if len(tokens) == 3 and tokens[0].kind == "word" and [t.text for t in tokens[1:]] == ["(", ")"]:
        return [tokens[0].text + "()"]
    if len(tokens) != 1:
        raise JqlError("Error in the JQL Query: Expecting a single value.")
    return [_value(tokens[0])]


def _value(token: Token) -> str | None:
    if token.kind == "word" and token.text.lower() in ("empty", "null"):
        return None
    if token.kind == "op":
        raise JqlError(f"Error in the JQL Query: Expecting a value but got '{token.text}'.")
    return token.text


def _normalise(field: str, value: str | None, me: CloudUser, users: list[CloudUser]) -> Any:
    if value is None:
        return None
    low = value.lower()
    if field in ("assignee", "reporter"):
        if low == "currentuser()":
            return me.account_id
        for user in users:
            if value in (user.account_id, user.email) or low == user.display_name.lower():
                return user.account_id
        raise JqlError(f"The value '{value}' does not exist for the field '{field}'.")
    if field == "resolution":
        if low != "unresolved" and low != "done":
            raise JqlError(f"The value '{value}' does not exist for the field 'resolution'.")
        return low
    if field in ("status", "statuscategory"):
        return low
    if field in ("project", "key", "issuekey", "issuetype", "type", "priority"):
        return low
    return value


def _getter(field: str, me: CloudUser, users: list[CloudUser]) -> Callable[[CloudIssue], Any]:
    def status_category(issue: CloudIssue) -> str:
        return {"new": "to do", "indeterminate": "in progress", "done": "done"}[
            STATUSES[issue.status][1]
        ]

    getters: dict[str, Callable[[CloudIssue], Any]] = {
        "assignee": lambda i: i.assignee,
        "reporter": lambda i: i.reporter,
        "project": lambda i: i.project.lower(),
        "status": lambda i: i.status.lower(),
        "statuscategory": status_category,
        "resolution": lambda i: "done" if i.resolved else "unresolved",
        "key": lambda i: i.key.lower(),
        "issuekey": lambda i: i.key.lower(),
        "issuetype": lambda i: i.issue_type.lower(),
        "type": lambda i: i.issue_type.lower(),
        "priority": lambda i: i.priority.lower(),
        "labels": lambda i: i.labels,
        "summary": lambda i: i.summary,
        "text": lambda i: i.summary,
    }
    return getters[field]
