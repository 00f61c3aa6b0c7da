"""Working on one Jira issue: read it with its comments and transitions, move it
along, comment, find assignees and assign.

Jira's refusals that are about what the user gave come back as `-32602` naming the
param: a transition the issue no longer offers (the transitions it does offer are
read after Jira's 400, so the message names them), an assignee Jira will not take,
an empty comment. An unknown key is Jira's 404, said plainly.
"""

from typing import Any
from urllib.parse import quote

from agent.errors import AgentError, InvalidParams, RemoteError
from agent.providers.base import transition_not_offered
from agent.providers.jira_server.api import JiraApi
from agent.providers.jira_server.detail import (
    DETAIL_FIELDS,
    comment_page,
    to_comment,
    to_detail,
    to_transitions,
)
from agent.providers.jira_server.issues import (
    SEARCH_FIELDS_WITH_PROJECT,
    entry_problem,
    to_issue,
    to_user,
)
from protocol.types import Comment, Issue, IssueDetail, Transition, User

# Comments after the page the issue embeds are read this many at a time (Jira may
# answer fewer: paging follows what it returns), at most this many pages.
COMMENT_PAGE = 100
MAX_COMMENT_PAGES = 100
# Users an assignee search answers at most: a picker's worth, never a user list.
ASSIGNEE_RESULTS = 20


def issue_path(key: str) -> str:
    return f"/rest/api/2/issue/{quote(key, safe='')}"


async def read_issue(api: JiraApi, key: str, fields: list[str], expand: str = "") -> dict[str, Any]:
    params = {"fields": ",".join(fields)}
    if expand:
        params["expand"] = expand
    try:
        raw = await api.request(
            "GET", issue_path(key), what=f"the request for {key}", params=params
        )
    except RemoteError as exc:
        raise missing(exc, key) from None
    problem = entry_problem(raw)
    if problem:
        raise RemoteError(
            f"Jira's answer for {key} is not an issue ({problem}).",
            hint="Something other than Jira may be answering at this address; check the base URL.",
            httpStatus=200,
            messages=[problem],
        )
    result: dict[str, Any] = raw
    return result


async def get_issue(api: JiraApi, key: str) -> IssueDetail:
    """One request, plus one per further page of comments when there are many."""
    raw = await read_issue(api, key, DETAIL_FIELDS, "transitions")
    comments, total = comment_page(raw["fields"].get("comment"))
    comments = await _all_comments(api, key, comments, total)
    return to_detail(raw, api.base_url, comments, to_transitions(raw.get("transitions")))


async def _all_comments(
    api: JiraApi, key: str, comments: list[Comment], total: int
) -> list[Comment]:
    """The embedded page, completed from `/comment` (oldest first, Jira's default)."""
    seen = {c.id for c in comments}
    start = len(comments)
    for _ in range(MAX_COMMENT_PAGES):
        if start >= total:
            break
        page = await _request(
            api,
            "GET",
            key,
            "/comment",
            what=f"the comments of {key}",
            params={"startAt": start, "maxResults": COMMENT_PAGE},
        )
        got, total = comment_page(page)
        if not got:
            break  # fewer than counted (deleted meanwhile): what there is
        start += len(got)
        for comment in got:
            if comment.id not in seen:
                seen.add(comment.id)
                comments.append(comment)
    return comments


async def read_plain(api: JiraApi, key: str) -> Issue:
    return to_issue(await read_issue(api, key, SEARCH_FIELDS_WITH_PROJECT), api.base_url)


async def issue_with_transitions(api: JiraApi, key: str) -> tuple[Issue, list[Transition]]:
    raw = await read_issue(api, key, SEARCH_FIELDS_WITH_PROJECT, "transitions")
    return to_issue(raw, api.base_url), to_transitions(raw.get("transitions"))


async def transitions_now(api: JiraApi, key: str) -> list[Transition]:
    body = await _request(api, "GET", key, "/transitions", what=f"the transitions of {key}")
    return to_transitions(body.get("transitions") if isinstance(body, dict) else None)


async def transition(api: JiraApi, key: str, transition_id: str, comment: str | None) -> Issue:
    if not transition_id.isdigit():
        # Jira's transition ids are numbers: this one is offered nowhere.
        raise transition_not_offered(key, transition_id, await transitions_now(api, key))
    body: dict[str, Any] = {"transition": {"id": transition_id}}
    if comment is not None:
        body["update"] = {"comment": [{"add": {"body": comment}}]}
    try:
        await _request(api, "POST", key, "/transitions", what=f"the transition of {key}", json=body)
    except RemoteError as exc:
        if exc.data.get("httpStatus") != 400:
            raise
        offered = await transitions_now(api, key)
        if all(t.id != transition_id for t in offered):
            raise transition_not_offered(key, transition_id, offered) from None
        raise  # offered, yet refused: Jira's own words say why (a field, a validator)
    return await read_plain(api, key)


async def add_comment(api: JiraApi, key: str, body: str) -> Comment:
    try:
        raw = await _request(
            api, "POST", key, "/comment", what=f"the comment on {key}", json={"body": body}
        )
    except RemoteError as exc:
        raise _field_refusal(exc, "comment", "body") from None
    if not isinstance(raw, dict):
        raise RemoteError(
            f"Jira's answer to the comment on {key} is not a comment.",
            httpStatus=201,
            messages=["unexpected comment response"],
        )
    return to_comment(raw)


async def assignees(api: JiraApi, key: str, query: str) -> list[User]:
    """Jira's assignable-user search, on the server: `username` matches the start of
    a user name, e-mail address or display-name word."""
    try:
        found = await api.request(
            "GET",
            "/rest/api/2/user/assignable/search",
            what=f"the assignee search for {key}",
            params={"issueKey": key, "username": query, "maxResults": ASSIGNEE_RESULTS},
        )
    except RemoteError as exc:
        raise missing(exc, key) from None
    users = found if isinstance(found, list) else []
    return [to_user(u) for u in users if isinstance(u, dict)][:ASSIGNEE_RESULTS]


async def assign(api: JiraApi, key: str, user_name: str | None) -> Issue:
    try:
        await _request(
            api,
            "PUT",
            key,
            "/assignee",
            what=f"the assignment of {key}",
            json={"name": user_name},
        )
    except RemoteError as exc:
        raise _field_refusal(exc, "assignee", "assignee") from None
    return await read_plain(api, key)


async def current_user(api: JiraApi) -> User:
    return to_user(await api.myself())


async def _request(
    api: JiraApi, method: str, key: str, below: str, *, what: str, **kwargs: Any
) -> Any:
    """A request under `/issue/{key}`; Jira's 404 says the issue is not there."""
    try:
        return await api.request(method, f"{issue_path(key)}{below}", what=what, **kwargs)
    except RemoteError as exc:
        raise missing(exc, key) from None


def missing(exc: RemoteError, key: str) -> RemoteError:
    """Jira's 404 for an issue, in words; any other error as it was."""
    if exc.data.get("httpStatus") != 404:
        return exc
    return RemoteError(
        f"Jira has no issue {key}, or you may not see it.",
        hint="Check the key: the issue may have been deleted, or its project is not visible "
        "to you.",
        httpStatus=404,
        messages=exc.data.get("messages") or [],
    )


def _field_refusal(exc: RemoteError, jira_field: str, param: str) -> AgentError:
    """Jira's 400 about one field (`errors: {field: message}`) as -32602 on our param."""
    if exc.data.get("httpStatus") == 400:
        prefix = f"{jira_field}: "
        for message in exc.data.get("messages") or []:
            if isinstance(message, str) and message.startswith(prefix):
                return InvalidParams(param, f"Jira refused it: {message[len(prefix) :]}")
    return exc
