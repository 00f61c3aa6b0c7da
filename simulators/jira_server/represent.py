"""Jira's JSON shapes for users, projects, statuses, issues and comments."""

from __future__ import annotations

from typing import Any

from .data import (
    ISSUE_TYPES,
    PRIORITIES,
    RESOLUTIONS,
    STATUS_CATEGORIES,
    Comment,
    Issue,
    NamedItem,
    Project,
    Status,
    Store,
    User,
    item_by_id,
    jira_time,
    status_by_id,
)

# Fields returned by "*navigable" (the search default); "*all" adds the rest.
NAVIGABLE_FIELDS = [
    "summary",
    "issuetype",
    "status",
    "priority",
    "resolution",
    "resolutiondate",
    "assignee",
    "reporter",
    "creator",
    "project",
    "created",
    "updated",
    "labels",
    "description",
    "components",
    "fixVersions",
    "versions",
    "duedate",
    "environment",
    "votes",
    "watches",
]
ALL_FIELDS = [*NAVIGABLE_FIELDS, "comment", "attachment", "issuelinks", "subtasks"]

# The `comment` field of an issue holds the oldest comments up to this many; the rest
# are read from `/issue/{key}/comment`, whose pages hold at most COMMENT_PAGE_CAP.
EMBEDDED_COMMENTS = 50
COMMENT_PAGE_CAP = 50


def comment_page(asked: int | None) -> int:
    """The page size `/comment` answers for a `maxResults` asked (or none)."""
    return COMMENT_PAGE_CAP if asked is None or asked < 0 else min(asked, COMMENT_PAGE_CAP)


FIELD_NAMES = {
    "summary": "Summary",
    "issuetype": "Issue Type",
    "status": "Status",
    "priority": "Priority",
    "resolution": "Resolution",
    "resolutiondate": "Resolved",
    "assignee": "Assignee",
    "reporter": "Reporter",
    "creator": "Creator",
    "project": "Project",
    "created": "Created",
    "updated": "Updated",
    "labels": "Labels",
    "description": "Description",
    "components": "Component/s",
    "fixVersions": "Fix Version/s",
    "versions": "Affects Version/s",
    "duedate": "Due Date",
    "environment": "Environment",
    "votes": "Votes",
    "watches": "Watchers",
    "comment": "Comment",
    "attachment": "Attachment",
    "issuelinks": "Linked Issues",
    "subtasks": "Sub-Tasks",
}


class Representer:
    def __init__(self, base_url: str, store: Store) -> None:
        self.base = base_url
        self.api = f"{base_url}/rest/api/2"
        self.store = store

    def avatars(self, kind: str, ident: str) -> dict[str, str]:
        return {
            f"{n}x{n}": f"{self.base}/secure/{kind}avatar?size={s}&avatarId={ident}"
            for n, s in ((48, "large"), (24, "small"), (16, "xsmall"), (32, "medium"))
        }

    def user(self, user: User | None) -> dict[str, Any] | None:
        if user is None:
            return None
        return {
            "self": f"{self.api}/user?username={user.name}",
            "name": user.name,
            "key": user.key,
            "emailAddress": user.email,
            "avatarUrls": self.avatars("user", user.key),
            "displayName": user.display_name,
            "active": user.active,
            "timeZone": user.time_zone,
        }

    def myself(self, user: User) -> dict[str, Any]:
        result = self.user(user) or {}
        result.update(
            {
                "locale": "en_US",
                "groups": {"size": 2 if user.admin else 1, "items": []},
                "applicationRoles": {"size": 1, "items": []},
                "expand": "groups,applicationRoles",
            }
        )
        return result

    def project(self, project: Project, detailed: bool = False) -> dict[str, Any]:
        result: dict[str, Any] = {
            "expand": "description,lead,url,projectKeys",
            "self": f"{self.api}/project/{project.id}",
            "id": project.id,
            "key": project.key,
            "name": project.name,
            "avatarUrls": self.avatars("project", project.id),
            "projectTypeKey": "software",
        }
        if detailed:
            result.update(
                {
                    "description": project.description,
                    "lead": self.user(self.store.user(project.lead)),
                    "issueTypes": [self.issuetype(t) for t in ISSUE_TYPES],
                    "archived": False,
                }
            )
        return result

    def status(self, status: Status) -> dict[str, Any]:
        category = STATUS_CATEGORIES[status.category]
        return {
            "self": f"{self.api}/status/{status.id}",
            "description": status.description,
            "iconUrl": f"{self.base}/images/icons/statuses/generic.png",
            "name": status.name,
            "id": status.id,
            "statusCategory": {
                "self": f"{self.api}/statuscategory/{category.id}",
                "id": category.id,
                "key": category.key,
                "colorName": category.color_name,
                "name": category.name,
            },
        }

    def issuetype(self, item: NamedItem) -> dict[str, Any]:
        return {
            "self": f"{self.api}/issuetype/{item.id}",
            "id": item.id,
            "description": item.description,
            "iconUrl": f"{self.base}/secure/viewavatar?size=xsmall&avatarId=1{item.id}",
            "name": item.name,
            "subtask": False,
            "avatarId": int(f"1{item.id}"),
        }

    def priority(self, item: NamedItem) -> dict[str, Any]:
        return {
            "self": f"{self.api}/priority/{item.id}",
            "iconUrl": f"{self.base}/images/icons/priorities/{item.name.lower()}.svg",
            "name": item.name,
            "id": item.id,
        }

    def resolution(self, item: NamedItem) -> dict[str, Any]:
        return {
            "self": f"{self.api}/resolution/{item.id}",
            "id": item.id,
            "description": item.description,
            "name": item.name,
        }

    def comment(self, issue: Issue, comment: Comment) -> dict[str, Any]:
        author = self.user(self.store.user(comment.author))
        return {
            "self": f"{self.api}/issue/{issue.id}/comment/{comment.id}",
            "id": comment.id,
            "author": author,
            "body": comment.body,
            "updateAuthor": author,
            "created": jira_time(comment.created),
            "updated": jira_time(comment.updated),
        }

    def comments(
        self,
        issue: Issue,
        start_at: int = 0,
        max_results: int = EMBEDDED_COMMENTS,
        newest_first: bool = False,
    ) -> dict[str, Any]:
        """One page of an issue's comments, oldest first unless asked otherwise."""
        ordered = list(reversed(issue.comments)) if newest_first else list(issue.comments)
        page = ordered[start_at : start_at + max_results]
        return {
            "comments": [self.comment(issue, c) for c in page],
            "maxResults": max_results,
            "total": len(ordered),
            "startAt": start_at,
        }

    def transition(
        self, transition_id: str, name: str, target: Status, with_fields: bool = False
    ) -> dict[str, Any]:
        result: dict[str, Any] = {
            "id": transition_id,
            "name": name,
            "to": self.status(target),
            "hasScreen": False,
            "isGlobal": False,
            "isInitial": False,
            "isAvailable": True,
            "isConditional": False,
        }
        if with_fields:
            result["fields"] = {}  # no transition here has a screen
        return result

    def field_value(self, issue: Issue, name: str) -> Any:
        if name in issue.extra_fields:
            return issue.extra_fields[name]
        store = self.store
        project = store.project(issue.project_key)
        simple: dict[str, Any] = {
            "summary": issue.summary,
            "description": issue.description,
            "labels": list(issue.labels),
            "created": jira_time(issue.created),
            "updated": jira_time(issue.updated),
            "resolutiondate": jira_time(issue.resolutiondate) if issue.resolutiondate else None,
            "components": [],
            "fixVersions": [],
            "versions": [],
            "duedate": None,
            "environment": None,
            "attachment": [],
            "issuelinks": [],
            "subtasks": [],
        }
        if name in simple:
            return simple[name]
        if name == "status":
            return self.status(status_by_id(issue.status_id))
        if name == "issuetype":
            return self.issuetype(item_by_id(ISSUE_TYPES, issue.issuetype_id))
        if name == "priority":
            if issue.priority_id is None:
                return None
            return self.priority(item_by_id(PRIORITIES, issue.priority_id))
        if name == "resolution":
            if issue.resolution_id is None:
                return None
            return self.resolution(item_by_id(RESOLUTIONS, issue.resolution_id))
        if name == "assignee":
            return self.user(store.user(issue.assignee))
        if name in ("reporter", "creator"):
            return self.user(store.user(issue.reporter))
        if name == "project":
            return self.project(project) if project else None
        if name == "votes":
            return {"self": f"{self.api}/issue/{issue.key}/votes", "votes": 0, "hasVoted": False}
        if name == "watches":
            return {
                "self": f"{self.api}/issue/{issue.key}/watchers",
                "watchCount": 0,
                "isWatching": False,
            }
        if name == "comment":
            return self.comments(issue)
        return None

    def issue(self, issue: Issue, fields: list[str], expand: set[str]) -> dict[str, Any]:
        result: dict[str, Any] = {
            "expand": "renderedFields,names,schema,operations,editmeta,changelog,"
            "versionedRepresentations",
            "id": str(issue.id),
            "self": f"{self.api}/issue/{issue.id}",
            "key": issue.key,
            "fields": {name: self.field_value(issue, name) for name in fields},
        }
        if "renderedFields" in expand:
            result["renderedFields"] = {
                name: (
                    f"<p>{issue.description}</p>"
                    if name == "description" and issue.description
                    else None
                )
                for name in fields
            }
        if "names" in expand:
            result["names"] = {n: FIELD_NAMES.get(n, n) for n in fields}
        if "changelog" in expand:
            result["changelog"] = {"startAt": 0, "maxResults": 0, "total": 0, "histories": []}
        return result


def select_fields(spec: list[str] | None, default: str) -> list[str]:
    """Resolve a ``fields`` parameter (``*all``, ``*navigable``, names, ``-name``)."""
    tokens = [t.strip() for t in (spec if spec is not None else [default]) if t.strip()]
    if not tokens:
        tokens = [default]
    chosen: list[str] = []
    excluded: set[str] = set()
    for token in tokens:
        if token == "*all":
            chosen.extend(ALL_FIELDS)
        elif token == "*navigable":
            chosen.extend(NAVIGABLE_FIELDS)
        elif token.startswith("-"):
            excluded.add(token[1:])
        elif token in ALL_FIELDS or token.startswith("customfield_"):
            chosen.append(token)
        # Jira silently ignores field ids it does not know in this parameter.
    if not chosen and excluded:
        # Only exclusions ("-comment"): they apply to the default set.
        return [n for n in select_fields(None, default) if n not in excluded]
    seen: list[str] = []
    for name in chosen:
        if name not in seen and name not in excluded:
            seen.append(name)
    return seen
