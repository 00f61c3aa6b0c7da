"""Working on one issue: read it with its notes, comment, close/reopen, assign.

Notes are GitLab's comments; system notes ("changed the assignees", "closed") are
left out. Closing and reopening are the transitions (`state_event=close|reopen`).
Assigning sets `assignee_ids` to the one user (GitLab Free has a single assignee;
Premium several: the agent assigns one), or to none.
"""

from typing import Any
from urllib.parse import quote, urlencode

from agent.errors import InvalidParams, RemoteError
from agent.providers.base import transition_not_offered
from agent.providers.gitlab import paging
from agent.providers.gitlab.api import GitLabApi
from agent.providers.gitlab.issues import (
    entry_problem,
    labels_of,
    to_comment,
    to_user,
    to_wire,
    transitions_of,
)
from agent.providers.gitlab.keys import parse_key
from agent.providers.gitlab.projects import ProjectNames
from protocol.converter import structure
from protocol.types import Comment, Issue, IssueDetail, User

MAX_NOTE_PAGES = 20


async def raw_issue(api: GitLabApi, key: str) -> dict[str, Any]:
    ref = parse_key(key)
    body = await api.request("GET", ref.path, what=f"the issue {ref.key}")
    if entry_problem(body) is not None:
        raise RemoteError(
            f"GitLab's answer for {ref.key} is not an issue.",
            httpStatus=200,
            messages=["unexpected issue answer"],
        )
    assert isinstance(body, dict)
    return body


async def as_issue(api: GitLabApi, raw: dict[str, Any], projects: ProjectNames) -> Issue:
    await projects.learn(api, [raw])
    return structure(to_wire(raw, projects.names), Issue)


async def get_issue(api: GitLabApi, key: str, projects: ProjectNames) -> IssueDetail:
    raw = await raw_issue(api, key)
    issue = await as_issue(api, raw, projects)
    notes = await _notes(api, parse_key(key).path)
    author = raw.get("author")
    description = raw.get("description")
    return IssueDetail(
        id=issue.id,
        key=issue.key,
        title=issue.title,
        url=issue.url,
        status=issue.status,
        project=issue.project,
        updated_at=issue.updated_at,
        type=issue.type,
        priority=issue.priority,
        assignee=issue.assignee,
        description=description if isinstance(description, str) and description else None,
        reporter=to_user(author) if isinstance(author, dict) else None,
        created_at=str(raw.get("created_at") or ""),
        labels=labels_of(raw),
        comments=[to_comment(n) for n in notes if not n.get("system")],
        transitions=transitions_of(raw),
    )


async def _notes(api: GitLabApi, issue_path: str) -> list[dict[str, Any]]:
    params = urlencode({"sort": "asc", "order_by": "created_at", "per_page": 100})
    url: str | None = f"{issue_path}/notes?{params}"
    notes: list[dict[str, Any]] = []
    for _ in range(MAX_NOTE_PAGES):
        if url is None:
            break
        response = await api.send("GET", url)
        body = api.expect_list(api.read(response, "the issue's notes"), "the issue's notes")
        notes += [n for n in body if isinstance(n, dict)]
        url = paging.next_url(response, url, api.base_url) if body else None
    return notes


async def transition(
    api: GitLabApi, key: str, transition_id: str, comment: str | None, projects: ProjectNames
) -> Issue:
    raw = await raw_issue(api, key)
    offered = transitions_of(raw)
    if not any(t.id == transition_id for t in offered):
        raise transition_not_offered(parse_key(key).key, transition_id, offered)
    path = parse_key(key).path
    if comment is not None:
        await add_comment(api, key, comment)
    changed = await api.request(
        "PUT",
        path,
        what=f"closing or reopening {parse_key(key).key}",
        json={"state_event": transition_id},
    )
    return await as_issue(api, changed if isinstance(changed, dict) else raw, projects)


async def add_comment(api: GitLabApi, key: str, body: str) -> Comment:
    ref = parse_key(key)
    note = await api.request(
        "POST", f"{ref.path}/notes", what=f"the comment on {ref.key}", json={"body": body}
    )
    if not isinstance(note, dict):
        raise RemoteError(
            "GitLab's answer to the comment is not a note.",
            httpStatus=201,
            messages=["unexpected note answer"],
        )
    return to_comment(note)


async def assignees(api: GitLabApi, key: str, query: str) -> list[User]:
    ref = parse_key(key)
    project = quote(ref.project, safe="")
    params = urlencode({"search": query, "per_page": 20})
    body = await api.request(
        "GET", f"/projects/{project}/users?{params}", what="the project's users"
    )
    users = api.expect_list(body, "the project's users")
    return [to_user(u) for u in users if isinstance(u, dict) and u.get("username")]


async def assign(api: GitLabApi, key: str, user_name: str | None, projects: ProjectNames) -> Issue:
    ref = parse_key(key)
    ids: list[int] = []
    if user_name is not None:
        ids = [await user_id(api, user_name)]
    changed = await api.request(
        "PUT", ref.path, what=f"assigning {ref.key}", json={"assignee_ids": ids}
    )
    if not isinstance(changed, dict) or entry_problem(changed) is not None:
        changed = await raw_issue(api, key)
    return await as_issue(api, changed, projects)


async def user_id(api: GitLabApi, username: str) -> int:
    body = await api.request(
        "GET", f"/users?{urlencode({'username': username})}", what="the user lookup"
    )
    found = [u for u in api.expect_list(body, "the user lookup") if isinstance(u, dict)]
    ident = found[0].get("id") if found else None
    if not isinstance(ident, int) or isinstance(ident, bool):
        raise InvalidParams(
            "assignee.name",
            f"GitLab has no user {username[:60]!r}.",
            hint="Search the assignees and choose one of them.",
        )
    return ident
