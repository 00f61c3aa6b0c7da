"""Jira Cloud's project search and bulk issue fetch, after Atlassian's REST v3 docs.

- `GET /rest/api/3/project/search?startAt&maxResults`: a `PageBeanProject` (`values`,
  `startAt`, `maxResults`, `total`, `isLast`, `nextPage` while there is more); 50 a page
  by default, at most 100 (or the simulator's smaller cap).
- `POST /rest/api/3/issue/bulkfetch` `{issueIdsOrKeys, fields?, expand?}`: the issues
  in ascending id order, `issueErrors` empty; an id or key that matches no issue is
  looked up case-insensitively and, if still unknown, left out (not an error). At most
  100 issues, or 1000 when `fields` names at most 100 single-valued fields and `expand`
  asks for none of the expensive parts; more, none, or a body without the list is 400.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from simulators.common.wire import Request, Response, json_response

from . import represent
from .data import PROJECTS

if TYPE_CHECKING:
    from .server import JiraCloudSimulator

API = "/rest/api/3"
PROJECT_PAGE_DEFAULT = 50
PROJECT_PAGE_MAX = 100
BULK_DEFAULT_LIMIT = 100
BULK_NARROW_LIMIT = 1000
MULTI_VALUED = {"comment", "worklog", "attachment"}
EXPENSIVE_EXPANDS = {
    "changelog",
    "editmeta",
    "operations",
    "renderedFields",
    "transitions",
    "versionedRepresentations",
}


def _errors(status: int, *messages: str) -> Response:
    return json_response(status, {"errorMessages": list(messages), "errors": {}})


def project_search(sim: JiraCloudSimulator, request: Request) -> Response:
    try:
        start = int(request.arg("startAt") or 0)
        size = int(request.arg("maxResults") or PROJECT_PAGE_DEFAULT)
    except ValueError:
        return _errors(400, "startAt and maxResults must be numbers.")
    start, size = max(0, start), max(1, min(size, PROJECT_PAGE_MAX, sim.page_cap))
    base = request.base_url
    everything = sorted(PROJECTS.items())
    page = everything[start : start + size]
    last = start + len(page) >= len(everything)
    answer: dict[str, Any] = {
        "self": f"{base}{API}/project/search?{urlencode({'startAt': start, 'maxResults': size})}",
        "maxResults": size,
        "startAt": start,
        "total": len(everything),
        "isLast": last,
        "values": [
            {
                "expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
                "self": f"{base}{API}/project/{pid}",
                "id": pid,
                "key": key,
                "name": name,
                "projectTypeKey": "software",
                "simplified": False,
                "style": "classic",
                "isPrivate": False,
                "properties": {},
            }
            for key, (pid, name) in page
        ],
    }
    if not last:
        following = urlencode({"startAt": start + size, "maxResults": size})
        answer["nextPage"] = f"{base}{API}/project/search?{following}"
    return json_response(200, answer)


def bulk_fetch(sim: JiraCloudSimulator, request: Request) -> Response:
    body = request.json() if request.body else None
    wanted = body.get("issueIdsOrKeys") if isinstance(body, dict) else None
    if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
        return _errors(400, "issueIdsOrKeys must be a list of issue ids or keys.")
    if not wanted:
        return _errors(400, "Provide at least one issue id or key.")
    assert isinstance(body, dict)
    raw_fields = body.get("fields")
    fields = raw_fields if isinstance(raw_fields, list) else ["*navigable"]
    raw_expand = body.get("expand")
    expand = raw_expand if isinstance(raw_expand, str) else ""
    narrow = (
        isinstance(raw_fields, list)
        and 0 < len([f for f in fields if not str(f).startswith("-")]) <= 100
        and not any(str(f) in ("*all", "*navigable") or str(f) in MULTI_VALUED for f in fields)
        and not set(expand.split(",")) & EXPENSIVE_EXPANDS
    )
    limit = BULK_NARROW_LIMIT if narrow else BULK_DEFAULT_LIMIT
    if len(wanted) > limit:
        return _errors(400, f"You can request up to {limit} issues at a time.")
    found = {}
    for ident in wanted:
        issue = sim.issue(ident.strip())
        if issue is not None:
            found[issue.id] = issue
    chosen = represent.wanted_fields([str(f) for f in fields])
    users = {u.account_id: u for u in sim.users}
    issues = [
        represent.issue_json(request.base_url, found[i], users, chosen, expand)
        for i in sorted(found, key=int)
    ]
    return json_response(200, {"issues": issues, "issueErrors": []})
