"""Working on one issue: `issues/get`, `transition`, `comment`, `assignees`, `assign`
and `startWork`, tracker-neutral. Params the tracker could not use are refused here,
before any request, naming the param."""

import contextlib
import re
from collections.abc import AsyncIterator

from agent.branch_names import branch_name
from agent.errors import AuthenticationFailed, InvalidParams
from agent.providers.base import TrackerSession, describe_transitions, transition_not_offered
from agent.services.instances import Instances
from agent.settings import Settings
from agent.store.config import StoredInstance
from protocol import types as t

# An issue key: a project key (a letter, then letters, digits or `_`), `-`, a number.
# `PROJECT-12` keys (Jira, YouTrack) are case-insensitive: sent upper-cased. Other
# trackers' keys (`owner/repo#12`) are taken as given; the provider judges them.
_PROJECT_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*-[0-9]+")
MAX_KEY_LENGTH = 255
MAX_QUERY_LENGTH = 255


@contextlib.asynccontextmanager
async def _session(
    instances: Instances, instance_id: str
) -> AsyncIterator[tuple[StoredInstance, TrackerSession]]:
    """The instance's session; a rejected login marks the instance, as a fetch does."""
    stored, session = await instances.session(instance_id)
    try:
        yield stored, session
    except AuthenticationFailed as exc:
        await instances.mark_failed(instance_id, exc, stored)
        raise


def _key(key: str) -> str:
    if _PROJECT_KEY.fullmatch(key):
        return key.upper()
    if (
        not key.strip()
        or len(key) > MAX_KEY_LENGTH
        or not key.isprintable()
        or any(c.isspace() or c in "?%\\" for c in key)
        # No path steps: a provider puts the key in a URL path (quoted, but refuse anyway).
        or any(step in (".", "..") for step in key.split("/"))
    ):
        raise InvalidParams(
            "key", f"{key[:40]!r} is not an issue key such as CORE-12 or owner/repo#12."
        )
    return key


def _text(field: str, value: str) -> str:
    if not value.strip():
        raise InvalidParams(field, f"`{field}` must not be empty.")
    return value


async def get(instances: Instances, params: t.IssueKeyParams) -> t.IssueDetailResult:
    key = _key(params.key)
    async with _session(instances, params.instance_id) as (_, session):
        return t.IssueDetailResult(issue=await session.get_issue(key))


async def transition(instances: Instances, params: t.TransitionParams) -> t.IssueResult:
    key = _key(params.key)
    comment = None if params.comment is None else _text("comment", params.comment)
    async with _session(instances, params.instance_id) as (_, session):
        issue = await session.transition(key, params.transition_id, comment)
    return t.IssueResult(issue=issue)


async def comment(instances: Instances, params: t.CommentParams) -> t.CommentResult:
    key, body = _key(params.key), _text("body", params.body)
    async with _session(instances, params.instance_id) as (_, session):
        return t.CommentResult(comment=await session.comment(key, body))


async def assignees(instances: Instances, params: t.AssigneesParams) -> t.AssigneesResult:
    key = _key(params.key)
    if len(params.query) > MAX_QUERY_LENGTH:
        raise InvalidParams("query", f"`query` is longer than {MAX_QUERY_LENGTH} characters.")
    async with _session(instances, params.instance_id) as (_, session):
        return t.AssigneesResult(users=await session.assignees(key, params.query.strip()))


async def assign(instances: Instances, params: t.AssignParams) -> t.IssueResult:
    key = _key(params.key)
    if isinstance(params.assignee, t.AssigneeRef):
        _text("assignee.name", params.assignee.name)
    async with _session(instances, params.instance_id) as (stored, session):
        if params.assignee == "me":
            name: str | None = await _me(stored, session)
        elif params.assignee is None:
            name = None
        else:
            name = params.assignee.name
        return t.IssueResult(issue=await session.assign(key, name))


async def start_work(
    instances: Instances, settings: Settings, params: t.StartWorkParams
) -> t.StartWorkResult:
    """Assign to me, then move into progress; nothing changes when the issue offers no
    way into progress (the error names what it offers)."""
    key = _key(params.key)
    async with _session(instances, params.instance_id) as (stored, session):
        issue, offered = await session.issue_with_transitions(key)
        chosen = _chosen_transition(issue, offered, params.transition_id)
        me = await _me(stored, session)
        if issue.assignee is None or issue.assignee.name.lower() != me.lower():
            issue = await session.assign(key, me)
        if chosen is not None:
            issue = await session.transition(key, chosen.id, None)
    name = branch_name(
        settings.branch_template, issue.key, issue.title, issue.type, issue.project.key
    )
    return t.StartWorkResult(issue=issue, branch_name=name)


def _chosen_transition(
    issue: t.Issue, offered: list[t.Transition], transition_id: str | None
) -> t.Transition | None:
    if transition_id is not None:
        found = next((tr for tr in offered if tr.id == transition_id), None)
        if found is None:
            raise transition_not_offered(issue.key, transition_id, offered)
        return found
    if issue.status.category == "inProgress":
        return None
    into_progress = next((tr for tr in offered if tr.to.category == "inProgress"), None)
    if into_progress is None:
        raise InvalidParams(
            "transitionId",
            f"{issue.key} ({issue.status.name}) offers no transition into progress; it "
            f"offers: {describe_transitions(offered)}.",
            hint="Choose one of the transitions it offers and give its id.",
        )
    return into_progress


async def _me(stored: StoredInstance, session: TrackerSession) -> str:
    """The connected user's name: as stored when connecting, else asked."""
    if stored.user is not None and stored.user.name:
        return stored.user.name
    return (await session.current_user()).name
