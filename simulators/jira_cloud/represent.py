"""Issues, users and comments as Jira Cloud's REST API v3 writes them."""

from __future__ import annotations

from typing import Any

from .data import (
    CATEGORY_NAMES,
    PRIORITIES,
    PROJECTS,
    STATUSES,
    TRANSITIONS,
    CloudComment,
    CloudIssue,
    CloudUser,
    jira_time,
)

# What `*navigable` and `*all` stand for here.
ALL_FIELDS = [
    "summary",
    "status",
    "issuetype",
    "priority",
    "assignee",
    "reporter",
    "project",
    "updated",
    "created",
    "labels",
    "description",
    "comment",
]
NAVIGABLE = [f for f in ALL_FIELDS if f not in ("comment", "description")]


def user_json(base: str, user: CloudUser | None, account_id: str | None) -> dict[str, Any] | None:
    """A Cloud user: accountId, never a name or key (GDPR). `emailAddress` only for
    the user themself in this simulator (Cloud hides it by the user's privacy setting)."""
    if account_id is None:
        return None
    return {
        "self": f"{base}/rest/api/3/user?accountId={account_id}",
        "accountId": account_id,
        "accountType": "atlassian",
        "avatarUrls": {"48x48": f"https://avatar-management.example/{account_id}/48"},
        "displayName": user.display_name if user else "Former user",
        "active": user is not None,
        "timeZone": "Europe/Berlin",
    }


def status_json(base: str, name: str) -> dict[str, Any]:
    status_id, category, category_id = STATUSES[name]
    return {
        "self": f"{base}/rest/api/3/status/{status_id}",
        "description": "",
        "name": name,
        "id": status_id,
        "statusCategory": {
            "self": f"{base}/rest/api/3/statuscategory/{category_id}",
            "id": category_id,
            "key": category,
            "colorName": {"new": "blue-gray", "indeterminate": "yellow", "done": "green"}[category],
            "name": CATEGORY_NAMES[category],
        },
    }


def comment_json(
    base: str, issue: CloudIssue, comment: CloudComment, users: dict[str, CloudUser]
) -> dict[str, Any]:
    author = user_json(base, users.get(comment.author), comment.author)
    return {
        "self": f"{base}/rest/api/3/issue/{issue.id}/comment/{comment.id}",
        "id": comment.id,
        "author": author,
        "body": comment.body,
        "updateAuthor": author,
        "created": jira_time(comment.created),
        "updated": jira_time(comment.created),
        "jsdPublic": True,
    }


def comment_page(
    base: str, issue: CloudIssue, users: dict[str, CloudUser], start: int, size: int
) -> dict[str, Any]:
    chosen = issue.comments[start : start + size]
    return {
        "comments": [comment_json(base, issue, c, users) for c in chosen],
        "self": f"{base}/rest/api/3/issue/{issue.id}/comment",
        "maxResults": size,
        "total": len(issue.comments),
        "startAt": start,
    }


def transitions_json(base: str, issue: CloudIssue) -> list[dict[str, Any]]:
    return [
        {
            "id": tid,
            "name": name,
            "to": status_json(base, target),
            "hasScreen": False,
            "isGlobal": True,
            "isInitial": False,
            "isAvailable": True,
            "isConditional": False,
            "isLooped": False,
        }
        for tid, (name, target) in TRANSITIONS.items()
        if target != issue.status
    ]


def field_values(base: str, issue: CloudIssue, users: dict[str, CloudUser]) -> dict[str, Any]:
    project_id, project_name = PROJECTS[issue.project]
    priority_id = str(PRIORITIES.index(issue.priority) + 1)
    return {
        "summary": issue.summary,
        "status": status_json(base, issue.status),
        "issuetype": {
            "self": f"{base}/rest/api/3/issuetype/{issue.issue_type}",
            "id": {"Task": "10002", "Bug": "10004", "Story": "10001"}[issue.issue_type],
            "name": issue.issue_type,
            "subtask": False,
        },
        "priority": {
            "self": f"{base}/rest/api/3/priority/{priority_id}",
            "id": priority_id,
            "name": issue.priority,
        },
        "assignee": user_json(base, users.get(issue.assignee or ""), issue.assignee),
        "reporter": user_json(base, users.get(issue.reporter), issue.reporter),
        "project": {
            "self": f"{base}/rest/api/3/project/{project_id}",
            "id": project_id,
            "key": issue.project,
            "name": project_name,
            "projectTypeKey": "software",
            "simplified": False,
        },
        "updated": jira_time(issue.updated),
        "created": jira_time(issue.created),
        "labels": list(issue.labels),
        "description": issue.description,
        # Embedded in an issue, Cloud gives the first comments (at most 20 in search).
        "comment": comment_page(base, issue, users, 0, 20),
    }


def wanted_fields(requested: list[str] | None) -> list[str]:
    """`fields` as Cloud reads it: names, `*all`, `*navigable`, `-name` to leave out."""
    if not requested:
        return []
    chosen: list[str] = []
    for name in requested:
        name = name.strip()
        if name == "*all":
            chosen += ALL_FIELDS
        elif name == "*navigable":
            chosen += NAVIGABLE
        elif name and not name.startswith("-"):
            chosen.append(name)
    excluded = {n.strip()[1:] for n in requested if n.strip().startswith("-")}
    return [f for f in dict.fromkeys(chosen) if f not in excluded]


def issue_json(
    base: str,
    issue: CloudIssue,
    users: dict[str, CloudUser],
    fields: list[str],
    expand: str = "",
) -> dict[str, Any]:
    """An issue as search and `GET /issue` write it. Without `fields`, the enhanced
    search answers the id only."""
    if not fields:
        return {"id": issue.id}
    values = field_values(base, issue, users)
    result: dict[str, Any] = {
        "expand": "renderedFields,names,schema,operations,editmeta,changelog,"
        "versionedRepresentations",
        "id": issue.id,
        "self": f"{base}/rest/api/3/issue/{issue.id}",
        "key": issue.key,
        "fields": {name: values[name] for name in fields if name in values},
    }
    if "transitions" in expand.split(","):
        result["transitions"] = transitions_json(base, issue)
    return result
