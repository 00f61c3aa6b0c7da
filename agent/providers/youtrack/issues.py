"""YouTrack's issue JSON -> the contract's `Issue` (as wire JSON, or the attrs type).

YouTrack keeps State, Priority, Type and Assignee as custom fields (`customFields`,
each with `name`, `$type` and `value`). A State with `isResolved` is `done`; an
unresolved one is `inProgress` when its name says work is under way, else `todo`.
Times are Unix epoch milliseconds. Values of the wrong type count as absent.
"""

from datetime import UTC, datetime
from typing import Any

from protocol.types import Issue, IssueStatus, Project, StatusCategory, Transition, User

# What a search asks for: only what `Issue` needs.
ISSUE_FIELDS = (
    "id,idReadable,summary,updated,project(shortName,name),"
    "customFields(name,$type,value(name,login,fullName,isResolved))"
)
# State names (lower case, in part) of an unresolved state in which work is under way.
IN_PROGRESS_WORDS = ("progress", "review", "develop", "testing", "doing", "fixing")
_EMPTY: dict[str, Any] = {}


def category(name: str, resolved: Any) -> StatusCategory:
    if resolved is True:
        return "done"
    lowered = name.lower()
    return "inProgress" if any(w in lowered for w in IN_PROGRESS_WORDS) else "todo"


def custom_field(raw: dict[str, Any], name: str) -> Any:
    """The value of the custom field `name` (case-insensitive), or None."""
    for entry in raw.get("customFields") or []:
        if isinstance(entry, dict) and str(entry.get("name", "")).lower() == name.lower():
            return entry.get("value")
    return None


def to_user(raw: Any) -> User | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("login"), str):
        return None
    login = raw["login"]
    return User(name=login, display_name=str(raw.get("fullName") or raw.get("name") or login))


def status_of(raw: dict[str, Any]) -> IssueStatus:
    state = custom_field(raw, "State")
    if isinstance(state, dict) and state.get("name"):
        name = str(state["name"])
        return IssueStatus(name=name, category=category(name, state.get("isResolved")))
    # A project without a State field: resolved issues carry a `resolved` time.
    if raw.get("resolved"):
        return IssueStatus(name="Resolved", category="done")
    return IssueStatus(name="Unresolved", category="todo")


def iso_timestamp(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    moment = datetime.fromtimestamp(value / 1000, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def entry_problem(raw: Any) -> str | None:
    if not isinstance(raw, dict):
        return f"an entry that is {type(raw).__name__}, not an object"
    if not isinstance(raw.get("idReadable"), str) or not raw["idReadable"]:
        return "an entry without idReadable"
    return None


def to_issue(raw: dict[str, Any], base_url: str) -> Issue:
    found = raw.get("project")
    project: dict[str, Any] = found if isinstance(found, dict) else _EMPTY
    key = str(raw.get("idReadable") or "")
    return Issue(
        id=str(raw.get("id") or key),
        key=key,
        title=str(raw.get("summary") or ""),
        url=f"{base_url}/issue/{key}",
        status=status_of(raw),
        project=Project(
            key=str(project.get("shortName") or key.rpartition("-")[0]),
            name=str(project.get("name") or project.get("shortName") or ""),
        ),
        updated_at=iso_timestamp(raw.get("updated")),
        type=_name(custom_field(raw, "Type")),
        priority=_name(custom_field(raw, "Priority")),
        assignee=to_user(custom_field(raw, "Assignee")),
    )


def to_wire(raw: dict[str, Any], base_url: str) -> dict[str, Any]:
    """`unstructure(to_issue(raw, base_url))`, built directly (optional fields left out)."""
    issue = to_issue(raw, base_url)
    wire: dict[str, Any] = {
        "id": issue.id,
        "key": issue.key,
        "title": issue.title,
        "url": issue.url,
        "status": {"name": issue.status.name, "category": issue.status.category},
        "project": {"key": issue.project.key, "name": issue.project.name},
        "updatedAt": issue.updated_at,
    }
    if issue.type is not None:
        wire["type"] = issue.type
    if issue.priority is not None:
        wire["priority"] = issue.priority
    if issue.assignee is not None:
        wire["assignee"] = {
            "name": issue.assignee.name,
            "displayName": issue.assignee.display_name,
        }
    return wire


def transitions(raw: dict[str, Any]) -> list[Transition]:
    """The State values the issue can be set to (every value of the project's State
    bundle but the current one); the id is the value's name, applied as a command."""
    current = _name(custom_field(raw, "State"))
    for entry in raw.get("customFields") or []:
        if not isinstance(entry, dict) or str(entry.get("name", "")).lower() != "state":
            continue
        project_field = entry.get("projectCustomField")
        bundle = project_field.get("bundle") if isinstance(project_field, dict) else None
        values = bundle.get("values") if isinstance(bundle, dict) else None
        found = []
        for value in values or []:
            name = _name(value)
            if name is None or name == current or value.get("archived") is True:
                continue
            to = IssueStatus(name=name, category=category(name, value.get("isResolved")))
            found.append(Transition(id=name, name=name, to=to))
        return found
    return []


def _name(value: Any) -> str | None:
    return str(value["name"]) if isinstance(value, dict) and value.get("name") else None
