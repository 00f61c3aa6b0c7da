"""GitHub's issue search syntax, the part the simulator understands (`/search/issues?q=`).

Qualifiers: `is:` / `type:` (issue, pr, pull-request, open, closed), `state:`,
`assignee:` (a login or `@me`), `author:`, `repo:owner/name`, `label:` (quoted for
spaces), `no:assignee`, `no:label`; other words (and quoted phrases) match the title or
the body, case-insensitively. Like GitHub, an unknown qualifier counts as text.
GitHub refuses (422 Validation Failed) an empty `q`, a `q` over 256 characters, and a
`repo:` that does not exist or cannot be seen; so does the simulator.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass

from .data import GitHubData, Issue

MAX_QUERY_LENGTH = 256


class SearchRefused(Exception):
    """A query GitHub answers with 422; `errors` are the entries of its `errors` list."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(errors[0].get("message", "invalid"))
        self.errors = errors


Predicate = Callable[[Issue], bool]


@dataclass
class Query:
    predicates: list[Predicate]

    def matches(self, issue: Issue) -> bool:
        return all(p(issue) for p in self.predicates)


def parse(q: str | None, me: str, data: GitHubData) -> Query:
    if q is None or not q.strip():
        raise SearchRefused([{"resource": "Search", "field": "q", "code": "missing"}])
    if len(q) > MAX_QUERY_LENGTH:
        raise SearchRefused(
            [
                {
                    "message": f"The search is longer than {MAX_QUERY_LENGTH} characters.",
                    "resource": "Search",
                    "field": "q",
                    "code": "invalid",
                }
            ]
        )
    try:
        words = shlex.split(q)
    except ValueError:
        words = q.replace('"', " ").split()
    predicates: list[Predicate] = []
    for word in words:
        name, sep, value = word.partition(":")
        qualifier = name.lower() if sep else ""
        predicate = _qualifier(qualifier, value, me, data) if qualifier else None
        if predicate is None:
            text = word.lower()
            predicate = _text(text)
        predicates.append(predicate)
    return Query(predicates)


def _text(text: str) -> Predicate:
    return lambda i: text in i.title.lower() or text in (i.body or "").lower()


def _qualifier(name: str, value: str, me: str, data: GitHubData) -> Predicate | None:
    lowered = value.lower()
    if name in ("is", "type", "state"):
        kinds: dict[str, Predicate] = {
            "issue": lambda i: not i.pull_request,
            "pr": lambda i: i.pull_request,
            "pull-request": lambda i: i.pull_request,
            "open": lambda i: i.state == "open",
            "closed": lambda i: i.state == "closed",
        }
        return kinds.get(lowered)
    if name == "assignee":
        login = me if lowered == "@me" else lowered
        return lambda i: login in (a.lower() for a in i.assignees)
    if name == "author":
        login = me if lowered == "@me" else lowered
        return lambda i: i.author.lower() == login
    if name == "repo":
        if not data.repo_exists(value):
            raise SearchRefused(
                [
                    {
                        "message": "The listed users and repositories cannot be searched "
                        "either because the resources do not exist or you do not have "
                        "permission to view them.",
                        "resource": "Search",
                        "field": "q",
                        "code": "invalid",
                    }
                ]
            )
        return lambda i: i.repo.lower() == lowered
    if name == "label":
        return lambda i: lowered in (label.lower() for label in i.labels)
    if name == "no":
        if lowered == "assignee":
            return lambda i: not i.assignees
        if lowered == "label":
            return lambda i: not i.labels
    return None


def order(issues: list[Issue], sort: str | None, direction: str | None) -> list[Issue]:
    """`sort` created, updated or comments (best match: by update too, in the
    simulator); `order`/`direction` desc (the default) or asc."""
    field = sort if sort in ("created", "updated", "comments") else "updated"

    def key(issue: Issue) -> tuple[object, int]:
        value: object = {
            "created": issue.created,
            "updated": issue.updated,
            "comments": len(issue.comments),
        }[field]
        return value, issue.id

    return sorted(issues, key=key, reverse=direction != "asc")
