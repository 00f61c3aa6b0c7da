"""Jira's issue JSON with comments and transitions -> the contract's `IssueDetail`,
`Comment` and `Transition`. The `Issue` part is `issues.to_issue`'s, read as
defensively: a field of the wrong type counts as absent."""

from typing import Any

import attrs

from agent.providers.jira_server.issues import (
    SEARCH_FIELDS_WITH_PROJECT,
    iso_timestamp,
    to_issue,
    to_status,
    to_user,
)
from protocol.types import Comment, Issue, IssueDetail, Transition, User

# The fields of one issue's detail view: the list's fields and what the view adds.
DETAIL_FIELDS = [
    *SEARCH_FIELDS_WITH_PROJECT,
    "description",
    "reporter",
    "created",
    "labels",
    "comment",
]

UNKNOWN_AUTHOR = User(name="", display_name="Unknown user")


def to_detail(
    raw: dict[str, Any], base_url: str, comments: list[Comment], transitions: list[Transition]
) -> IssueDetail:
    issue = to_issue(raw, base_url)
    fields = raw.get("fields")
    fields = fields if isinstance(fields, dict) else {}
    description, reporter, labels = (
        fields.get("description"),
        fields.get("reporter"),
        fields.get("labels"),
    )
    return IssueDetail(
        **{a.name: getattr(issue, a.name) for a in attrs.fields(Issue)},
        description=description if isinstance(description, str) and description else None,
        reporter=to_user(reporter) if isinstance(reporter, dict) else None,
        created_at=iso_timestamp(fields.get("created")),
        labels=[label for label in labels if isinstance(label, str)]
        if isinstance(labels, list)
        else [],
        comments=comments,
        transitions=transitions,
    )


def comment_page(raw: Any) -> tuple[list[Comment], int]:
    """The comments of one page (`{startAt, maxResults, total, comments}`) and `total`."""
    page = raw if isinstance(raw, dict) else {}
    items = page.get("comments")
    comments = (
        [to_comment(c) for c in items if isinstance(c, dict)] if isinstance(items, list) else []
    )
    total = page.get("total")
    return comments, total if isinstance(total, int) and not isinstance(total, bool) else len(
        comments
    )


def to_comment(raw: dict[str, Any]) -> Comment:
    author = raw.get("author")
    body = raw.get("body")
    return Comment(
        id=str(raw.get("id", "")),
        author=to_user(author) if isinstance(author, dict) else UNKNOWN_AUTHOR,
        body=body if isinstance(body, str) else "",
        created_at=iso_timestamp(raw.get("created")),
    )


def to_transitions(raw: Any) -> list[Transition]:
    """Jira's `transitions` array (of the issue expanded, or of `/transitions`)."""
    items = raw if isinstance(raw, list) else []
    return [
        Transition(id=str(t["id"]), name=str(t.get("name") or t["id"]), to=to_status(t.get("to")))
        for t in items
        if isinstance(t, dict) and isinstance(t.get("id"), str | int) and t.get("id") != ""
    ]
