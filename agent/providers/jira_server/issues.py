"""Jira's issue JSON -> the contract's `Issue`."""

import re
from typing import Any

from protocol.types import Issue, IssueStatus, Project, StatusCategory, User

# Only what `Issue` needs: smaller pages, faster searches.
SEARCH_FIELDS = ["summary", "status", "issuetype", "priority", "assignee", "project", "updated"]

_CATEGORIES: dict[str, StatusCategory] = {
    "new": "todo",
    "indeterminate": "inProgress",
    "done": "done",
}


def to_issue(raw: dict[str, Any], base_url: str) -> Issue:
    fields = raw.get("fields") or {}
    key = str(raw.get("key", ""))
    status = fields.get("status") or {}
    category = (status.get("statusCategory") or {}).get("key", "")
    project = fields.get("project") or {}
    assignee = fields.get("assignee")
    return Issue(
        id=str(raw.get("id", "")),
        key=key,
        title=str(fields.get("summary") or ""),
        url=f"{base_url}/browse/{key}",
        status=IssueStatus(
            name=str(status.get("name") or "Unknown"),
            category=_CATEGORIES.get(category, "todo"),
        ),
        type=_name(fields.get("issuetype")),
        priority=_name(fields.get("priority")),
        assignee=to_user(assignee) if isinstance(assignee, dict) else None,
        project=Project(key=str(project.get("key") or ""), name=str(project.get("name") or "")),
        updated_at=iso_timestamp(fields.get("updated")),
    )


def to_user(raw: dict[str, Any]) -> User:
    name = str(raw.get("name") or raw.get("key") or "")
    return User(name=name, display_name=str(raw.get("displayName") or name))


def _name(value: Any) -> str | None:
    return str(value["name"]) if isinstance(value, dict) and value.get("name") else None


# Jira writes `2024-03-05T14:22:01.000+0000`; ISO 8601 wants a colon in the offset.
# A regex, not strptime: this runs for every issue and strptime was most of the cost.
_JIRA_TIME = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d):?(\d\d)")


def iso_timestamp(value: Any) -> str:
    """Jira's `2024-03-05T14:22:01.000+0000` -> ISO 8601 `2024-03-05T14:22:01.000+00:00`."""
    if not isinstance(value, str):
        return ""
    match = _JIRA_TIME.fullmatch(value)
    return f"{match[1]}{match[2]}:{match[3]}" if match else value
