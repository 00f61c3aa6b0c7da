"""GitHub's issue JSON -> the contract's `Issue`, as wire JSON or the attrs type.

Key `owner/repo#12`, project the repository (`owner/repo`), url the issue's web page
(`html_url`), status Open (todo) or Closed (done), type "Issue", no priority; the first
assignee (GitHub allows ten) as `assignee`, named by login. The repository comes from
`repository.full_name` where the answer embeds it (`/issues`) and from
`repository_url` otherwise (search results, single issues). A field of the wrong type
counts as absent; entries that are not issues are for the caller to skip.
"""

import re
from typing import Any

from agent.errors import InvalidParams
from protocol.types import Issue, IssueStatus, Project, StatusCategory, User

# `owner/repo#12`: GitHub's owner and repository name characters.
KEY = re.compile(r"([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]{1,100})#([1-9][0-9]{0,9})")

OPEN = {"name": "Open", "category": "todo"}
CLOSED = {"name": "Closed", "category": "done"}
_EMPTY: dict[str, Any] = {}


def parse_key(key: str) -> tuple[str, str, int]:
    match = KEY.fullmatch(key.strip())
    if match is None:
        raise InvalidParams(
            "key", f"{key[:60]!r} is not a GitHub issue key such as octo-org/widgets#12."
        )
    return match[1], match[2], int(match[3])


def is_pull_request(raw: Any) -> bool:
    return isinstance(raw, dict) and raw.get("pull_request") is not None


def entry_problem(raw: Any) -> str | None:
    """Why a list entry is not an issue GitHub would send, or None if it is."""
    if not isinstance(raw, dict):
        return f"an entry that is {type(raw).__name__}, not an object"
    number = raw.get("number")
    if isinstance(number, bool) or not isinstance(number, int):
        return "an entry without a number"
    if repository(raw) is None:
        return f"issue {number} without its repository"
    return None


def repository(raw: dict[str, Any]) -> str | None:
    """`owner/repo` of an issue."""
    repo = raw.get("repository")
    if isinstance(repo, dict) and isinstance(repo.get("full_name"), str):
        return str(repo["full_name"])
    url = raw.get("repository_url")
    if isinstance(url, str):
        parts = url.rstrip("/").split("/")
        if len(parts) >= 3 and parts[-3] == "repos":
            return f"{parts[-2]}/{parts[-1]}"
    return None


def status_of(raw: dict[str, Any]) -> dict[str, str]:
    return CLOSED if raw.get("state") == "closed" else OPEN


def category(state: str) -> StatusCategory:
    return "done" if state == "closed" else "todo"


def to_user(raw: Any) -> User:
    user = raw if isinstance(raw, dict) else _EMPTY
    login = str(user.get("login") or "")
    name = user.get("name")
    return User(name=login, display_name=str(name) if isinstance(name, str) and name else login)


def _assignee(raw: dict[str, Any], me: str | None = None) -> dict[str, Any] | None:
    """The connected user when among the assignees, else the first of them."""
    people = raw.get("assignees")
    if isinstance(people, list):
        named = [p for p in people if isinstance(p, dict) and isinstance(p.get("login"), str)]
        mine = me.lower() if me else None
        chosen = next((p for p in named if p["login"].lower() == mine), None)
        if chosen is not None or named:
            return chosen or named[0]
    single = raw.get("assignee")
    return single if isinstance(single, dict) and single.get("login") else None


def to_wire(
    raw: dict[str, Any], shared: dict[Any, Any] | None = None, me: str | None = None
) -> dict[str, Any]:
    """Exactly `unstructure(to_issue(raw))`, without building attrs objects; equal
    projects and users are one object for the whole fetch (`shared`)."""
    cache: dict[Any, Any] = {} if shared is None else shared
    repo = repository(raw) or ""
    key = f"{repo}#{raw.get('number')}"
    issue: dict[str, Any] = {
        "id": str(raw.get("id", "")),
        "key": key,
        "title": str(raw.get("title") or ""),
        "url": str(raw.get("html_url") or ""),
        "status": status_of(raw),
        "project": cache.setdefault(("project", repo), {"key": repo, "name": repo}),
        "updatedAt": str(raw.get("updated_at") or ""),
        "type": "Issue",
    }
    person = _assignee(raw, me)
    if person is not None:
        user = to_user(person)
        issue["assignee"] = cache.setdefault(
            ("user", user.name, user.display_name),
            {"name": user.name, "displayName": user.display_name},
        )
    return issue


def to_issue(raw: dict[str, Any], me: str | None = None) -> Issue:
    wire = to_wire(raw, me=me)
    person = _assignee(raw, me)
    return Issue(
        id=wire["id"],
        key=wire["key"],
        title=wire["title"],
        url=wire["url"],
        status=IssueStatus(name=wire["status"]["name"], category=wire["status"]["category"]),
        project=Project(key=wire["project"]["key"], name=wire["project"]["name"]),
        updated_at=wire["updatedAt"],
        type="Issue",
        assignee=to_user(person) if person is not None else None,
    )


def labels(raw: dict[str, Any]) -> list[str]:
    found = raw.get("labels")
    names = []
    for label in found if isinstance(found, list) else []:
        if isinstance(label, dict) and isinstance(label.get("name"), str):
            names.append(label["name"])
        elif isinstance(label, str):
            names.append(label)
    return names
