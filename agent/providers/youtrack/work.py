"""Working on one issue: read it with comments and the State values it can move to,
comment, move (a `State {…}` command), assign (an `Assignee …` command), find users.

Changes go through YouTrack's commands (`POST /api/commands`), the same language as
the command box in its UI; a command YouTrack refuses (a workflow rule, a value the
project lacks) comes back as `remoteError` with YouTrack's message.
"""

from typing import Any

from agent.providers.base import transition_not_offered
from agent.providers.youtrack.api import YouTrackApi
from agent.providers.youtrack.issues import (
    iso_timestamp,
    to_issue,
    to_user,
    transitions,
)
from protocol.types import Comment, Issue, IssueDetail, Transition, User

STATE_BUNDLE = "projectCustomField(bundle(values(name,isResolved,archived)))"
DETAIL_FIELDS = (
    "id,idReadable,summary,description,created,updated,resolved,project(shortName,name),"
    "reporter(login,fullName,name),tags(name),"
    f"customFields(name,$type,value(name,login,fullName,isResolved),{STATE_BUNDLE})"
)
COMMENT_FIELDS = "id,text,created,deleted,author(login,fullName,name)"
# The most users an assignee search lists.
ASSIGNEE_LIMIT = 20


async def read(api: YouTrackApi, key: str) -> dict[str, Any]:
    return await api.issue(key, DETAIL_FIELDS)


async def get_issue(api: YouTrackApi, key: str) -> IssueDetail:
    raw = await read(api, key)
    comments = [
        to_comment(c)
        for c in await api.comments(key, COMMENT_FIELDS)
        if isinstance(c, dict) and not c.get("deleted")
    ]
    issue = to_issue(raw, api.base_url)
    found = raw.get("tags")
    tags: list[Any] = found if isinstance(found, list) else []
    description = raw.get("description")
    return IssueDetail(
        **{a: getattr(issue, a) for a in _ISSUE_ATTRIBUTES},
        description=description if isinstance(description, str) else None,
        reporter=to_user(raw.get("reporter")),
        created_at=iso_timestamp(raw.get("created")),
        labels=[str(t["name"]) for t in tags if isinstance(t, dict) and t.get("name")],
        comments=sorted(comments, key=lambda c: c.created_at),
        transitions=transitions(raw),
    )


_ISSUE_ATTRIBUTES = (
    "id",
    "key",
    "title",
    "url",
    "status",
    "project",
    "updated_at",
    "type",
    "priority",
    "assignee",
)


def to_comment(raw: dict[str, Any]) -> Comment:
    author = to_user(raw.get("author")) or User(name="", display_name="Unknown")
    return Comment(
        id=str(raw.get("id") or ""),
        author=author,
        body=str(raw.get("text") or ""),
        created_at=iso_timestamp(raw.get("created")),
    )


async def issue_with_transitions(api: YouTrackApi, key: str) -> tuple[Issue, list[Transition]]:
    raw = await read(api, key)
    return to_issue(raw, api.base_url), transitions(raw)


async def transition(api: YouTrackApi, key: str, transition_id: str, comment: str | None) -> Issue:
    _, offered = await issue_with_transitions(api, key)
    if not any(t.id == transition_id for t in offered):
        raise transition_not_offered(key, transition_id, offered)
    await api.command(key, f"State {braced(transition_id)}", comment)
    return to_issue(await read(api, key), api.base_url)


async def add_comment(api: YouTrackApi, key: str, body: str) -> Comment:
    return to_comment(await api.add_comment(key, body, COMMENT_FIELDS))


async def assign(api: YouTrackApi, key: str, user_name: str | None) -> Issue:
    await api.command(key, f"Assignee {braced(user_name) if user_name else 'Unassigned'}")
    return to_issue(await read(api, key), api.base_url)


async def assignees(api: YouTrackApi, key: str, query: str) -> list[User]:
    found = await api.users(query, ASSIGNEE_LIMIT)
    users = [to_user(u) for u in found if isinstance(u, dict) and not u.get("banned")]
    return [u for u in users if u is not None]


async def current_user(api: YouTrackApi) -> User:
    user = to_user(await api.me())
    return user or User(name="", display_name="")


def braced(value: str) -> str:
    """A command value: several words go in braces (`{In Progress}`), as YouTrack wants."""
    return f"{{{value}}}" if any(c.isspace() for c in value) else value
