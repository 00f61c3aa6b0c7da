"""The simulator's objects as GitLab's REST API v4 writes them."""

from __future__ import annotations

from typing import Any

from .data import Issue, Note, Store, timestamp


def user_json(store: Store, username: str, base_url: str) -> dict[str, Any]:
    return store.user(username).json(base_url)


def issue_json(store: Store, issue: Issue, base_url: str) -> dict[str, Any]:
    project = issue.project
    assignees = [user_json(store, name, base_url) for name in issue.assignees]
    user_notes = sum(1 for n in issue.notes if not n.system)
    return {
        "id": issue.id,
        "iid": issue.iid,
        "project_id": project.id,
        "title": issue.title,
        "description": issue.description,
        "state": issue.state,
        "created_at": timestamp(issue.created_at),
        "updated_at": timestamp(issue.updated_at),
        "closed_at": timestamp(issue.closed_at) if issue.closed_at else None,
        "closed_by": None,
        "labels": list(issue.labels),
        "milestone": None,
        "assignees": assignees,
        # The single `assignee` field is deprecated but still sent: the first assignee.
        "assignee": assignees[0] if assignees else None,
        "author": user_json(store, issue.author, base_url),
        "type": "ISSUE",
        "issue_type": "issue",
        "user_notes_count": user_notes,
        "upvotes": 0,
        "downvotes": 0,
        "due_date": None,
        "confidential": False,
        "discussion_locked": None,
        "web_url": f"{base_url}/{project.path_with_namespace}/-/issues/{issue.iid}",
        "references": {
            "short": f"#{issue.iid}",
            "relative": f"#{issue.iid}",
            "full": issue.reference,
        },
        "time_stats": {"time_estimate": 0, "total_time_spent": 0},
        "task_completion_status": {"count": 0, "completed_count": 0},
    }


def note_json(store: Store, issue: Issue, note: Note, base_url: str) -> dict[str, Any]:
    return {
        "id": note.id,
        "type": None,
        "body": note.body,
        "attachment": None,
        "author": user_json(store, note.author, base_url),
        "created_at": timestamp(note.created_at),
        "updated_at": timestamp(note.created_at),
        "system": note.system,
        "noteable_id": issue.id,
        "noteable_type": "Issue",
        "noteable_iid": issue.iid,
        "project_id": issue.project.id,
        "resolvable": False,
        "confidential": False,
        "internal": False,
    }
