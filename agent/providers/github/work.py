"""One issue: read it with its comments, comment, assign, close and reopen.

GitHub has two states, so the "transitions" are: Close (completed), Close as not
planned, for an open issue; Reopen, for a closed one (`PATCH …/issues/{n}` with `state`
and `state_reason`). Assigning sets the assignees to that one user (or none); GitHub
silently drops a user who cannot be assigned, which is reported here as an error on
`assignee.name`. Assignees are the repository's (`GET …/assignees`), filtered here by
the query: GitHub has no search of assignable users.
"""

from typing import Any

from agent.errors import InvalidParams, RemoteError
from agent.providers.base import transition_not_offered
from agent.providers.github import issues, links
from agent.providers.github.api import GitHubApi
from protocol.types import Comment, Issue, IssueDetail, IssueStatus, Transition, User

CLOSE = Transition(id="close", name="Close", to=IssueStatus(name="Closed", category="done"))
NOT_PLANNED = Transition(
    id="close-not-planned",
    name="Close as not planned",
    to=IssueStatus(name="Closed", category="done"),
)
REOPEN = Transition(id="reopen", name="Reopen", to=IssueStatus(name="Open", category="todo"))
PATCHES: dict[str, dict[str, str]] = {
    "close": {"state": "closed", "state_reason": "completed"},
    "close-not-planned": {"state": "closed", "state_reason": "not_planned"},
    "reopen": {"state": "open"},
}
# Comments and assignees read at most (pages of 100).
MAX_PAGES = 10
ASSIGNEES_SHOWN = 20


def transitions_of(raw: dict[str, Any]) -> list[Transition]:
    return [REOPEN] if raw.get("state") == "closed" else [CLOSE, NOT_PLANNED]


def _path(key: str) -> str:
    owner, repo, number = issues.parse_key(key)
    return f"/repos/{owner}/{repo}/issues/{number}"


async def _raw_issue(api: GitHubApi, key: str) -> dict[str, Any]:
    raw = await api.request("GET", _path(key), what=f"the issue {key}")
    if not isinstance(raw, dict) or issues.entry_problem(raw) is not None:
        raise RemoteError(
            f"GitHub's answer for {key} is not an issue.",
            httpStatus=200,
            messages=["unexpected issue"],
        )
    return raw


async def _pages(api: GitHubApi, url: str, what: str) -> list[Any]:
    entries: list[Any] = []
    next_url: str | None = url
    for _ in range(MAX_PAGES):
        if next_url is None:
            break
        response = await api.send("GET", next_url)
        body = api.read(response, what)
        if not isinstance(body, list):
            raise RemoteError(
                f"GitHub's answer for {what} is not a list.",
                httpStatus=200,
                messages=["unexpected answer"],
            )
        entries += body
        next_url = links.parse_links(response.headers.get("Link")).get("next")
    return entries


def to_comment(raw: Any) -> Comment:
    entry = raw if isinstance(raw, dict) else {}
    return Comment(
        id=str(entry.get("id", "")),
        author=issues.to_user(entry.get("user")),
        body=str(entry.get("body") or ""),
        created_at=str(entry.get("created_at") or ""),
    )


async def get_issue(api: GitHubApi, key: str) -> IssueDetail:
    raw = await _raw_issue(api, key)
    comments = await _pages(api, f"{_path(key)}/comments?per_page=100", f"the comments of {key}")
    issue = issues.to_issue(raw)
    body = raw.get("body")
    author = raw.get("user")
    return IssueDetail(
        id=issue.id,
        key=issue.key,
        title=issue.title,
        url=issue.url,
        status=issue.status,
        project=issue.project,
        updated_at=issue.updated_at,
        type=issue.type,
        assignee=issue.assignee,
        description=body if isinstance(body, str) and body else None,
        reporter=issues.to_user(author) if isinstance(author, dict) else None,
        created_at=str(raw.get("created_at") or ""),
        labels=issues.labels(raw),
        comments=[to_comment(c) for c in comments if isinstance(c, dict)],
        transitions=transitions_of(raw),
    )


async def add_comment(api: GitHubApi, key: str, body: str) -> Comment:
    raw = await api.request(
        "POST", f"{_path(key)}/comments", what=f"the comment on {key}", json={"body": body}
    )
    return to_comment(raw)


async def transition(api: GitHubApi, key: str, transition_id: str, comment: str | None) -> Issue:
    raw = await _raw_issue(api, key)
    offered = transitions_of(raw)
    if transition_id not in {t.id for t in offered}:
        raise transition_not_offered(key, transition_id, offered)
    if comment is not None:
        await add_comment(api, key, comment)
    updated = await api.request(
        "PATCH", _path(key), what=f"the update of {key}", json=PATCHES[transition_id]
    )
    return issues.to_issue(updated if isinstance(updated, dict) else raw)


async def assign(api: GitHubApi, key: str, login: str | None) -> Issue:
    wanted = [] if login is None else [login]
    updated = await api.request(
        "PATCH", _path(key), what=f"the assignment of {key}", json={"assignees": wanted}
    )
    if not isinstance(updated, dict):
        raise RemoteError(
            f"GitHub's answer for {key} is not an issue.",
            httpStatus=200,
            messages=["unexpected issue"],
        )
    if login is not None:
        now = {
            p.get("login", "").lower()
            for p in updated.get("assignees") or []
            if isinstance(p, dict)
        }
        if login.lower() not in now:
            raise InvalidParams(
                "assignee.name",
                f"GitHub did not assign {key} to {login[:40]}: they cannot be assigned in "
                "this repository.",
                hint="Choose one of the repository's assignees (people with access to it).",
            )
    return issues.to_issue(updated)


async def assignees(api: GitHubApi, key: str, query: str) -> list[User]:
    owner, repo, _ = issues.parse_key(key)
    people = await _pages(
        api, f"/repos/{owner}/{repo}/assignees?per_page=100", f"the assignees of {owner}/{repo}"
    )
    wanted = query.lower()
    users = [issues.to_user(p) for p in people if isinstance(p, dict) and p.get("login")]
    matching = [u for u in users if wanted in u.name.lower() or wanted in u.display_name.lower()]
    return matching[:ASSIGNEES_SHOWN]


async def current_user(api: GitHubApi) -> User:
    raw = await api.request("GET", "/user", what="the current user request")
    return issues.to_user(raw)
