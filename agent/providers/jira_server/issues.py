"""Jira's issue JSON -> the contract's `Issue`, as the attrs type or straight as wire JSON.

`to_issue` builds the attrs `Issue` (the documented shape and the schema source);
`to_wire` builds the same thing as the JSON the converter would make of it, without
the detour: a fetch of 10,000 issues spent most of its CPU building attrs objects only
to take them apart again. A unit test keeps the two equal.

Jira's answer is read defensively: a field of the wrong type counts as absent, never
as an error. Entries that are not issues at all are for the caller to skip
(`entry_problem`).
"""

import re
from typing import Any

from protocol.types import Issue, IssueStatus, Project, StatusCategory, User

# Only what `Issue` needs: smaller pages, faster searches. `project` (a quarter of each
# issue's JSON, avatars included) is left out when the project names are known from
# the project list: an issue's key starts with its project's key.
SEARCH_FIELDS = ["summary", "status", "issuetype", "priority", "assignee", "updated"]
SEARCH_FIELDS_WITH_PROJECT = [*SEARCH_FIELDS, "project"]

_CATEGORIES: dict[str, StatusCategory] = {
    "new": "todo",
    "indeterminate": "inProgress",
    "done": "done",
}
_EMPTY: dict[str, Any] = {}


def entry_problem(raw: Any) -> str | None:
    """Why a search result entry is not an issue Jira would send, or None if it is."""
    if not isinstance(raw, dict):
        return f"an entry that is {type(raw).__name__}, not an object"
    key, issue_id = raw.get("key"), raw.get("id")
    if not isinstance(key, str) or not key:
        return "an entry without a key"
    if isinstance(issue_id, bool) or not isinstance(issue_id, str | int) or issue_id == "":
        return f"issue {key[:40]} without an id"
    if not isinstance(raw.get("fields"), dict):
        return f"issue {key[:40]} without fields"
    return None


def to_issue(raw: dict[str, Any], base_url: str) -> Issue:
    fields = _obj(raw.get("fields"))
    key = str(raw.get("key", ""))
    status = _obj(fields.get("status"))
    project = _obj(fields.get("project"))
    assignee = fields.get("assignee")
    return Issue(
        id=str(raw.get("id", "")),
        key=key,
        title=str(fields.get("summary") or ""),
        url=f"{base_url}/browse/{key}",
        status=IssueStatus(name=str(status.get("name") or "Unknown"), category=_category(status)),
        type=_name(fields.get("issuetype")),
        priority=_name(fields.get("priority")),
        assignee=to_user(assignee) if isinstance(assignee, dict) else None,
        project=Project(key=str(project.get("key") or ""), name=str(project.get("name") or "")),
        updated_at=iso_timestamp(fields.get("updated")),
    )


def to_wire(
    raw: dict[str, Any],
    base_url: str,
    shared: dict[Any, Any] | None = None,
    project_names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Exactly `unstructure(to_issue(raw, base_url))`, several times cheaper.

    With `shared` (one dict per fetch), equal statuses, projects, users and names are
    one object for all issues: 10,000 issues hold a few dozen of them, not 30,000.
    Without a `project` field, the project is the key's prefix, named from
    `project_names` (the key stands in for a name it lacks).
    """
    cache: dict[Any, Any] = {} if shared is None else shared
    fields = _obj(raw.get("fields"))
    key = str(raw.get("key", ""))
    status = _obj(fields.get("status"))
    project = _obj(fields.get("project"))
    if not project and project_names is not None:
        project_key = key_project(key)
        project = {"key": project_key, "name": project_names.get(project_key, project_key)}
    issue: dict[str, Any] = {
        "id": str(raw.get("id", "")),
        "key": key,
        "title": str(fields.get("summary") or ""),
        "url": f"{base_url}/browse/{key}",
        "status": _one(
            cache, "name", str(status.get("name") or "Unknown"), "category", _category(status)
        ),
        "project": _one(
            cache, "key", str(project.get("key") or ""), "name", str(project.get("name") or "")
        ),
        "updatedAt": iso_timestamp(fields.get("updated")),
    }
    # Optional fields are left out when empty, as the converter does.
    issue_type = _name(fields.get("issuetype"))
    if issue_type is not None:
        issue["type"] = cache.setdefault(issue_type, issue_type)
    priority = _name(fields.get("priority"))
    if priority is not None:
        issue["priority"] = cache.setdefault(priority, priority)
    assignee = fields.get("assignee")
    if isinstance(assignee, dict):
        name = _user_name(assignee)
        issue["assignee"] = _one(cache, "name", name, "displayName", _display_name(assignee, name))
    return issue


def key_project(key: str) -> str:
    """The project key of an issue key: `CORE` of `CORE-12`."""
    return key.rpartition("-")[0]


def _one(cache: dict[Any, Any], name1: str, value1: str, name2: str, value2: str) -> Any:
    """The shared two-field object {name1: value1, name2: value2}."""
    ident = (name1, value1, value2)
    found = cache.get(ident)
    if found is None:
        found = cache[ident] = {name1: value1, name2: value2}
    return found


def to_user(raw: dict[str, Any]) -> User:
    name = _user_name(raw)
    return User(name=name, display_name=_display_name(raw, name))


def to_status(raw: Any) -> IssueStatus:
    """A Jira status object (with its `statusCategory`) as the contract's status."""
    status = _obj(raw)
    return IssueStatus(name=str(status.get("name") or "Unknown"), category=_category(status))


def _user_name(raw: dict[str, Any]) -> str:
    return str(raw.get("name") or raw.get("key") or "")


def _display_name(raw: dict[str, Any], name: str) -> str:
    return str(raw.get("displayName") or name)


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else _EMPTY


def _category(status: dict[str, Any]) -> StatusCategory:
    key = _obj(status.get("statusCategory")).get("key")
    return _CATEGORIES.get(key, "todo") if isinstance(key, str) else "todo"


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
