"""Jira's issue JSON with comments and transitions -> `IssueDetail`, read defensively."""

from typing import Any

from agent.providers.jira_server.detail import comment_page, to_detail, to_transitions
from protocol.converter import unstructure
from protocol.types import Comment, IssueStatus, Transition, User


def test_odd_fields_count_as_absent() -> None:
    raw: dict[str, Any] = {
        "id": 7,
        "key": "ISB-7",
        "fields": {
            "summary": "S",
            "description": {"type": "doc"},  # not wiki text: left out
            "reporter": "alice",
            "labels": ["a", 3, None, "b"],
            "created": "2024-03-05T14:22:01.000+0000",
        },
    }
    detail = to_detail(raw, "https://jira.example.com", [], [])
    wire = unstructure(detail)
    assert "description" not in wire and "reporter" not in wire
    assert wire["labels"] == ["a", "b"]
    assert wire["createdAt"] == "2024-03-05T14:22:01.000+00:00"
    assert wire["url"] == "https://jira.example.com/browse/ISB-7"


def test_comment_pages_and_transitions_survive_junk() -> None:
    comments, total = comment_page(
        {
            "total": True,
            "comments": [{"id": 1, "body": 5}, "junk", {"id": "2", "author": {"name": "bob"}}],
        }
    )
    assert total == 2  # a non-number total: what there is
    assert comments == [
        Comment(id="1", author=User(name="", display_name="Unknown user"), body="", created_at=""),
        Comment(id="2", author=User(name="bob", display_name="bob"), body="", created_at=""),
    ]
    assert comment_page(None) == ([], 0)
    transitions = to_transitions(
        [
            {
                "id": 11,
                "name": "Go",
                "to": {"name": "In Progress", "statusCategory": {"key": "indeterminate"}},
            },
            {"name": "no id"},
            5,
        ]
    )
    assert transitions == [
        Transition(id="11", name="Go", to=IssueStatus(name="In Progress", category="inProgress"))
    ]
    assert to_transitions({"not": "a list"}) == []
