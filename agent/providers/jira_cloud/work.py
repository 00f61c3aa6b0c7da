"""Working on one Jira Cloud issue (REST v3): read it with its comments and
transitions, move it, comment (text sent as ADF), find assignees and assign by
accountId.

Refusals about what the user gave come back as `-32602` naming the param (a
transition the issue no longer offers, an assignee Cloud will not take, a comment
it refuses); an unknown key is Cloud's 404, said plainly.
"""

from typing import Any
from urllib.parse import quote

from agent.errors import AgentError, InvalidParams, RemoteError
from agent.providers.base import transition_not_offered
from agent.providers.jira_cloud import adf, normalise
from agent.providers.jira_cloud.api import API, CloudApi
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
from agent.providers.jira_server.work import missing
from protocol.types import Comment, Issue, IssueDetail, Transition, User

COMMENT_PAGE = 100
MAX_COMMENT_PAGES = 100
ASSIGNEE_RESULTS = 20


def issue_path(key: str) -> str:
    return f"{API}/issue/{quote(key, safe='')}"


async def read_issue(
    api: CloudApi, key: str, fields: list[str], expand: str = ""
) -> dict[str, Any]:
    params = {"fields": ",".join(fields)}
    if expand:
        params["expand"] = expand
    try:
        raw = await api.request(
            "GET", issue_path(key), what=f"the request for {key}", params=params
        )
    except RemoteError as exc:
        raise missing(exc, key) from None
    cloud = normalise.issue(raw)
    problem = entry_problem(cloud)
    if problem:
        raise RemoteError(
            f"Jira Cloud's answer for {key} is not an issue ({problem}).",
            hint="Something other than Jira Cloud may be answering at this address; check "
            "the site URL.",
            httpStatus=200,
            messages=[problem],
        )
    result: dict[str, Any] = cloud
    return result


async def get_issue(api: CloudApi, key: str) -> IssueDetail:
    raw = await read_issue(api, key, DETAIL_FIELDS, "transitions")
    comments, total = comment_page(raw["fields"].get("comment"))
    seen = {c.id for c in comments}
    for _ in range(MAX_COMMENT_PAGES):
        if len(comments) >= total:
            break
        page = await _request(
            api,
            "GET",
            key,
            "/comment",
            what=f"the comments of {key}",
            params={"startAt": len(comments), "maxResults": COMMENT_PAGE},
        )
        got, total = comment_page(normalise.comment_page(page))
        fresh = [c for c in got if c.id not in seen]
        if not fresh:
            break
        seen.update(c.id for c in fresh)
        comments.extend(fresh)
    return to_detail(raw, api.base_url, comments, to_transitions(raw.get("transitions")))


async def read_plain(api: CloudApi, key: str) -> Issue:
    return to_issue(await read_issue(api, key, SEARCH_FIELDS_WITH_PROJECT), api.base_url)


async def issue_with_transitions(api: CloudApi, key: str) -> tuple[Issue, list[Transition]]:
    raw = await read_issue(api, key, SEARCH_FIELDS_WITH_PROJECT, "transitions")
    return to_issue(raw, api.base_url), to_transitions(raw.get("transitions"))


async def transitions_now(api: CloudApi, key: str) -> list[Transition]:
    body = await _request(api, "GET", key, "/transitions", what=f"the transitions of {key}")
    return to_transitions(body.get("transitions") if isinstance(body, dict) else None)


async def transition(api: CloudApi, key: str, transition_id: str, comment: str | None) -> Issue:
    if not transition_id.isdigit():
        raise transition_not_offered(key, transition_id, await transitions_now(api, key))
    body: dict[str, Any] = {"transition": {"id": transition_id}}
    if comment is not None:
        body["update"] = {"comment": [{"add": {"body": adf.from_text(comment)}}]}
    try:
        await _request(api, "POST", key, "/transitions", what=f"the transition of {key}", json=body)
    except RemoteError as exc:
        if exc.data.get("httpStatus") != 400:
            raise
        offered = await transitions_now(api, key)
        if all(t.id != transition_id for t in offered):
            raise transition_not_offered(key, transition_id, offered) from None
        raise
    return await read_plain(api, key)


async def add_comment(api: CloudApi, key: str, body: str) -> Comment:
    try:
        raw = await _request(
            api,
            "POST",
            key,
            "/comment",
            what=f"the comment on {key}",
            json={"body": adf.from_text(body)},
        )
    except RemoteError as exc:
        raise _field_refusal(exc, "comment", "body") from None
    if not isinstance(raw, dict):
        raise RemoteError(
            f"Jira Cloud's answer to the comment on {key} is not a comment.",
            httpStatus=201,
            messages=["unexpected comment response"],
        )
    return to_comment(normalise.comment(raw))


async def assignees(api: CloudApi, key: str, query: str) -> list[User]:
    """Cloud's assignable-user search: `query` matches display names and email
    addresses (as each user's privacy settings allow)."""
    try:
        found = await api.request(
            "GET",
            f"{API}/user/assignable/search",
            what=f"the assignee search for {key}",
            params={"issueKey": key, "query": query, "maxResults": ASSIGNEE_RESULTS},
        )
    except RemoteError as exc:
        raise missing(exc, key) from None
    users = found if isinstance(found, list) else []
    return [
        to_user(normalise.user(u)) for u in users if isinstance(u, dict) and u.get("accountId")
    ][:ASSIGNEE_RESULTS]


async def assign(api: CloudApi, key: str, account_id: str | None) -> Issue:
    """Assign by accountId (the contract's `User.name` on Cloud); None unassigns."""
    try:
        await _request(
            api,
            "PUT",
            key,
            "/assignee",
            what=f"the assignment of {key}",
            json={"accountId": account_id},
        )
    except RemoteError as exc:
        raise _field_refusal(exc, "assignee", "assignee") from None
    return await read_plain(api, key)


async def current_user(api: CloudApi) -> User:
    return to_user(normalise.user(await api.cloud_myself()))


async def _request(
    api: CloudApi, method: str, key: str, below: str, *, what: str, **kwargs: Any
) -> Any:
    try:
        return await api.request(method, f"{issue_path(key)}{below}", what=what, **kwargs)
    except RemoteError as exc:
        raise missing(exc, key) from None


def _field_refusal(exc: RemoteError, jira_field: str, param: str) -> AgentError:
    """Cloud's 400 about one field (`errors: {field: message}`) as -32602 on our param."""
    if exc.data.get("httpStatus") == 400:
        for message in exc.data.get("messages") or []:
            field, sep, text = str(message).partition(": ")
            if sep and field in (jira_field, "accountId"):
                return InvalidParams(param, f"Jira Cloud refused it: {text}")
    return exc
