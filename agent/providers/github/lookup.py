"""Issue keys in documents on GitHub: issues by `owner/repo#12`, and completion.

- A lookup is one GraphQL request (`POST /graphql`; Enterprise `/api/graphql`) per 50
  keys: an alias per repository and per issue,
  `r0: repository(owner: "o", name: "r") { i0: issue(number: 12) { ...issue } }`, and
  `viewer { login }` (who "me" is, for the assignee shown). GitHub's REST API has no
  lookup of several issues by number. A repository or issue that cannot be resolved
  is `null` with an error of that path (`NOT_FOUND`; `FORBIDDEN` behind an
  organization's SAML or IP rules): left out. A pull request's number does not resolve
  to an Issue, so pull requests are left out too. An answer without `data` (the query
  refused) is the request's failure.
- Completion for `owner/repo#`: two searches, `repo:o/r is:issue is:open assignee:@me
  <words>`, then `repo:o/r is:issue <words>`, both sorted by update, `per_page` the
  limit (the second only when the first left room).
"""

import json
import logging
from typing import Any
from urllib.parse import urlencode

from agent.errors import InvalidParams, RemoteError
from agent.providers.github import issues
from agent.providers.github.api import GitHubApi
from agent.providers.github.web import graphql_url
from agent.providers.key_lookup import chunks, merge, room, search_words, unique

log = logging.getLogger("issuebridge.github")

KEYS_PER_QUERY = 50
ASSIGNEES = 10
LARGEST_PAGE = 100
ISSUE_FRAGMENT = (
    "fragment issue on Issue { databaseId number title url state updatedAt "
    f"assignees(first: {ASSIGNEES}) {{ nodes {{ login name }} }} repository {{ nameWithOwner }} }}"
)


def _refs(keys: list[str]) -> dict[tuple[str, str], list[int]]:
    grouped: dict[tuple[str, str], list[int]] = {}
    for key in unique(keys):
        try:
            owner, repo, number = issues.parse_key(key)
        except InvalidParams:
            continue
        numbers = grouped.setdefault((owner.lower(), repo.lower()), [])
        if number not in numbers:
            numbers.append(number)
    return grouped


def query_of(grouped: dict[tuple[str, str], list[int]]) -> str:
    parts = []
    for r, ((owner, repo), numbers) in enumerate(grouped.items()):
        wanted = " ".join(
            f"i{n}: issue(number: {number}) {{ ...issue }}" for n, number in enumerate(numbers)
        )
        parts.append(
            f"r{r}: repository(owner: {json.dumps(owner)}, name: {json.dumps(repo)}) {{ {wanted} }}"
        )
    return "query { viewer { login } " + " ".join(parts) + " } " + ISSUE_FRAGMENT


async def lookup(api: GitHubApi, keys: list[str]) -> list[dict[str, Any]]:
    grouped = _refs(keys)
    pairs = [(repo, number) for repo, numbers in grouped.items() for number in numbers]
    found: list[dict[str, Any]] = []
    shared: dict[Any, Any] = {}
    for batch in chunks(pairs, KEYS_PER_QUERY):
        chunk: dict[tuple[str, str], list[int]] = {}
        for repo, number in batch:
            chunk.setdefault(repo, []).append(number)
        body = await api.request(
            "POST",
            graphql_url(api.base_url),
            what="the issue lookup",
            json={"query": query_of(chunk)},
        )
        data = _data(body)
        viewer = data.get("viewer")
        me = viewer.get("login") if isinstance(viewer, dict) else None
        for r in range(len(chunk)):
            repository = data.get(f"r{r}")
            if not isinstance(repository, dict):
                continue
            for node in repository.values():
                raw = _as_rest(node)
                if raw is not None:
                    found.append(issues.to_wire(raw, shared, me if isinstance(me, str) else None))
    return found


def _data(body: Any) -> dict[str, Any]:
    """The answer's `data`. Errors beside data are about one repository or issue (its
    `path`: NOT_FOUND, or FORBIDDEN where an organization's SAML or IP rules keep the
    token out), whose entry is `null` and is left out; an answer without data (the
    query refused, a parse or validation error) fails the lookup."""
    errors = body.get("errors") if isinstance(body, dict) else None
    listed = [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict):
        for error in listed:
            if error.get("type") != "NOT_FOUND":
                log.info("GitHub left out %s: %s", error.get("path"), error.get("type"))
        return data
    said = [str(e.get("message"))[:200] for e in listed][:5]
    raise RemoteError(
        f"GitHub's GraphQL API refused the issue lookup ({'; '.join(said) or 'no data'}).",
        hint="GitHub Enterprise Server may be older than the fields asked for; links still "
        "work without the details.",
        httpStatus=200,
        messages=said or ["no data"],
    )


def _as_rest(node: Any) -> dict[str, Any] | None:
    """A GraphQL issue in the REST shape `issues.to_wire` reads (one mapping for both)."""
    if not isinstance(node, dict) or not isinstance(node.get("number"), int):
        return None
    repository = node.get("repository")
    full_name = repository.get("nameWithOwner") if isinstance(repository, dict) else None
    assignees = node.get("assignees")
    people = assignees.get("nodes") if isinstance(assignees, dict) else None
    raw = {
        "id": node.get("databaseId"),
        "number": node["number"],
        "title": node.get("title"),
        "html_url": node.get("url"),
        "state": str(node.get("state") or "").lower(),
        "updated_at": node.get("updatedAt"),
        "assignees": [p for p in people if isinstance(p, dict)] if isinstance(people, list) else [],
        "repository": {"full_name": full_name},
    }
    return raw if issues.entry_problem(raw) is None else None


async def suggest(
    api: GitHubApi, project: str, text: str, limit: int, me: str | None
) -> list[dict[str, Any]]:
    try:
        owner, repo, _ = issues.parse_key(f"{project}#1")
    except InvalidParams:
        return []
    words = search_words(text)
    scope = f"repo:{owner}/{repo} is:issue" + (f" {words}" if words else "")
    mine = await _search(api, f"{scope} is:open assignee:@me", limit, me)
    others = await _search(api, scope, room(mine, limit), me) if len(mine) < limit else []
    return merge(mine, others, limit)


async def _search(api: GitHubApi, q: str, limit: int, me: str | None) -> list[dict[str, Any]]:
    query = {
        "q": q,
        "sort": "updated",
        "order": "desc",
        "per_page": max(1, min(limit, LARGEST_PAGE)),
    }
    try:
        body = await api.request("GET", f"/search/issues?{urlencode(query)}", what="the search")
    except RemoteError as exc:
        if exc.data.get("httpStatus") == 422:  # a repository that does not exist (or is hidden)
            return []
        raise
    items = body.get("items") if isinstance(body, dict) else None
    shared: dict[Any, Any] = {}
    return [
        issues.to_wire(raw, shared, me)
        for raw in (items if isinstance(items, list) else [])
        if issues.entry_problem(raw) is None and not issues.is_pull_request(raw)
    ]
