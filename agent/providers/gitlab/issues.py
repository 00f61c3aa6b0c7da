"""GitLab's issue and note JSON -> the contract's shapes.

The key is the issue's `references.full` (`group/project#12`); the project's key is
its path with namespace (the key's part before `#`) and its name GitLab's project
name, looked up once per project (`ProjectNames`). GitLab issues are `opened` or
`closed`: Open (todo) and Closed (done). The type is the issue's `issue_type` (issue,
incident, task, test case); the priority a scoped label `priority::<value>` where the
issue has one (GitLab itself has none). The assignee is the first of `assignees`,
named by username. Fields of the wrong type count as absent, never as an error.
"""

from typing import Any

from agent.providers.gitlab.keys import IssueRef
from protocol.types import Comment, IssueStatus, StatusCategory, Transition, User

OPEN = IssueStatus(name="Open", category="todo")
CLOSED = IssueStatus(name="Closed", category="done")
CLOSE = Transition(id="close", name="Close", to=CLOSED)
REOPEN = Transition(id="reopen", name="Reopen", to=OPEN)
_EMPTY: dict[str, Any] = {}


def entry_problem(raw: Any) -> str | None:
    """Why a list entry is not an issue GitLab would send, or None if it is."""
    if not isinstance(raw, dict):
        return f"an entry that is {type(raw).__name__}, not an object"
    if isinstance(raw.get("id"), bool) or not isinstance(raw.get("id"), int):
        return "an entry without an id"
    if reference(raw) is None:
        return f"issue {raw['id']} without a reference"
    return None


def reference(raw: dict[str, Any]) -> IssueRef | None:
    """The issue's project path and iid, from `references.full` (or `web_url`)."""
    full = _obj(raw.get("references")).get("full")
    iid = raw.get("iid")
    if isinstance(full, str) and "#" in full:
        project, _, number = full.rpartition("#")
        if project and number.isdigit():
            return IssueRef(project, int(number))
    url = raw.get("web_url")
    if isinstance(url, str) and "/-/issues/" in url and isinstance(iid, int):
        path = url.split("://", 1)[-1].split("/", 1)[-1].split("/-/issues/")[0]
        return IssueRef(path, iid) if path else None
    return None


def status_of(raw: dict[str, Any]) -> IssueStatus:
    return CLOSED if raw.get("state") == "closed" else OPEN


def transitions_of(raw: dict[str, Any]) -> list[Transition]:
    """Closing and reopening (`state_event`) are GitLab's only moves."""
    return [REOPEN] if raw.get("state") == "closed" else [CLOSE]


def to_wire(raw: dict[str, Any], project_names: dict[str, str]) -> dict[str, Any]:
    """The wire JSON of `Issue` (as `unstructure` would make it)."""
    ref = reference(raw)
    assert ref is not None  # entry_problem checked
    status = status_of(raw)
    category: StatusCategory = status.category
    issue: dict[str, Any] = {
        "id": str(raw["id"]),
        "key": ref.key,
        "title": str(raw.get("title") or ""),
        "url": str(raw.get("web_url") or ""),
        "status": {"name": status.name, "category": category},
        "project": {"key": ref.project, "name": project_names.get(ref.project, ref.project)},
        "updatedAt": _text(raw.get("updated_at")),
    }
    kind = raw.get("issue_type")
    if isinstance(kind, str) and kind:
        issue["type"] = kind.replace("_", " ").capitalize()
    priority = priority_of(raw)
    if priority is not None:
        issue["priority"] = priority
    assignee = first_assignee(raw)
    if assignee is not None:
        issue["assignee"] = {"name": assignee.name, "displayName": assignee.display_name}
    return issue


def priority_of(raw: dict[str, Any]) -> str | None:
    labels = raw.get("labels")
    for label in labels if isinstance(labels, list) else []:
        if isinstance(label, str) and label.lower().startswith("priority::"):
            return label.split("::", 1)[1] or None
    return None


def first_assignee(raw: dict[str, Any]) -> User | None:
    assignees = raw.get("assignees")
    people = [a for a in assignees if isinstance(a, dict)] if isinstance(assignees, list) else []
    if not people and isinstance(raw.get("assignee"), dict):
        people = [raw["assignee"]]
    return to_user(people[0]) if people else None


def to_user(raw: dict[str, Any]) -> User:
    name = str(raw.get("username") or raw.get("id") or "")
    return User(name=name, display_name=str(raw.get("name") or name))


def to_comment(raw: dict[str, Any]) -> Comment:
    return Comment(
        id=str(raw.get("id", "")),
        author=to_user(_obj(raw.get("author"))),
        body=str(raw.get("body") or ""),
        created_at=_text(raw.get("created_at")),
    )


def labels_of(raw: dict[str, Any]) -> list[str]:
    labels = raw.get("labels")
    return (
        [str(label) for label in labels if isinstance(label, str)]
        if isinstance(labels, list)
        else []
    )


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else _EMPTY


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
