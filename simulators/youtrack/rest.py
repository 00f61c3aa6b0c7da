"""The REST API under `{base}/api/`: the current user, users, issues (search with
`query`, `$skip`/`$top`), one issue, its comments, commands, the issue count, and the
projects (`/api/admin/projects`, paged the same way; every user may list them here,
where YouTrack lists the projects the user can read).

Answers are YouTrack's JSON projected onto `fields=`; errors are YouTrack's bodies,
`{"error": ..., "error_description": ...}`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from simulators.common.wire import Request, Response, json_response

from . import commands, fields, query
from .data import User

if TYPE_CHECKING:
    from .server import YouTrackSimulator

# YouTrack answers at most this many entities when `$top` is not given.
DEFAULT_TOP = 42


def error(status: int, code: str, description: str) -> Response:
    return json_response(status, {"error": code, "error_description": description})


class RestApi:
    def __init__(self, simulator: YouTrackSimulator) -> None:
        self.sim = simulator

    def handle(self, request: Request, user: User) -> Response:
        path = request.path[len("/api") :].rstrip("/")
        asked = request.arg("fields")
        try:
            spec = fields.parse(asked) if asked else None
        except fields.FieldsSyntaxError as exc:
            return error(400, "bad_request", str(exc))
        parts = [unquote(p) for p in path.split("/") if p]
        method = request.method
        if parts == ["users", "me"] and method == "GET":
            return json_response(200, fields.project(user.json(), spec))
        if parts == ["users"] and method == "GET":
            return self.users(request, spec)
        if parts == ["issues"] and method == "GET":
            return self.search(request, user, spec)
        if parts == ["admin", "projects"] and method == "GET":
            return self.projects(request, spec)
        if parts == ["issuesGetter", "count"] and method == "POST":
            return self.count(request, user, spec)
        if parts == ["commands"] and method == "POST":
            return self.command(request, user, spec)
        if len(parts) >= 2 and parts[0] == "issues":
            issue = self.sim.store.find(parts[1])
            if issue is None:
                return error(404, "Not Found", f"Entity with id {parts[1]} not found")
            if len(parts) == 2 and method == "GET":
                return json_response(200, fields.project(self.sim.store.issue_json(issue), spec))
            if parts[2:] == ["comments"] and method == "GET":
                full = [self.sim.store.comment_json(c) for c in issue.comments]
                return json_response(200, fields.project(full, spec))
            if parts[2:] == ["comments"] and method == "POST":
                body = _json(request)
                text = body.get("text") if isinstance(body, dict) else None
                if not isinstance(text, str) or not text.strip():
                    return error(400, "bad_request", "Comment text is required")
                store = self.sim.store
                comment = store.add_comment(issue, user.login, text, store.touch())
                issue.updated = comment.created
                return json_response(200, fields.project(store.comment_json(comment), spec))
        return error(404, "Not Found", f"Resource {request.path} not found")

    def _paging(self, request: Request) -> tuple[int, int] | Response:
        try:
            skip = int(request.arg("$skip") or 0)
            asked = request.arg("$top")
            top = int(asked) if asked is not None else DEFAULT_TOP
        except ValueError:
            return error(400, "bad_request", "$skip and $top must be integers")
        if skip < 0:
            return error(400, "bad_request", "$skip must not be negative")
        if top < 0:
            top = DEFAULT_TOP  # YouTrack treats -1 as "the default"
        if self.sim.page_size is not None:
            top = min(top, self.sim.page_size)
        return skip, top

    def search(self, request: Request, user: User, spec: fields.Spec | None) -> Response:
        injected = self.sim.list_fault()
        if injected is not None:
            return injected
        paging = self._paging(request)
        if isinstance(paging, Response):
            return paging
        skip, top = paging
        try:
            found = self._matching(request.arg("query") or "", user)
        except query.QueryError as exc:
            return error(400, "bad_request", str(exc))
        page = found[skip : skip + top]
        store = self.sim.store
        return json_response(200, fields.project([store.issue_json(i) for i in page], spec))

    def projects(self, request: Request, spec: fields.Spec | None) -> Response:
        paging = self._paging(request)
        if isinstance(paging, Response):
            return paging
        skip, top = paging
        listed = [p.json() for p in self.sim.store.projects.values()]
        return json_response(200, fields.project(listed[skip : skip + top], spec))

    def _matching(self, text: str, user: User) -> list[Any]:
        parsed = query.parse(text, user.login)
        issues = [i for i in self.sim.store.issues.values() if parsed.matches(i)]
        return parsed.sort(issues)

    def count(self, request: Request, user: User, spec: fields.Spec | None) -> Response:
        body = _json(request)
        text = body.get("query") if isinstance(body, dict) else None
        try:
            found = self._matching(text if isinstance(text, str) else "", user)
        except query.QueryError as exc:
            return error(400, "bad_request", str(exc))
        # -1: YouTrack has not finished counting yet (the client may ask again).
        counted = -1 if self.sim.count_pending else len(found)
        answer = {"$type": "IssueCountResponse", "count": counted}
        return json_response(200, fields.project(answer, spec or {"count": {}}))

    def users(self, request: Request, spec: fields.Spec | None) -> Response:
        paging = self._paging(request)
        if isinstance(paging, Response):
            return paging
        skip, top = paging
        text = (request.arg("query") or "").lower()
        found = [
            u.json()
            for u in self.sim.store.users.values()
            if not u.banned
            and (text in u.login.lower() or text in u.full_name.lower() or text in u.email)
        ]
        return json_response(200, fields.project(found[skip : skip + top], spec))

    def command(self, request: Request, user: User, spec: fields.Spec | None) -> Response:
        body = _json(request)
        if not isinstance(body, dict) or not isinstance(body.get("issues"), list):
            return error(400, "bad_request", "Command must name its issues")
        text = body.get("query") or ""
        targets = []
        for ref in body["issues"]:
            ident = ref.get("idReadable") or ref.get("id") if isinstance(ref, dict) else None
            issue = self.sim.store.find(str(ident)) if ident else None
            if issue is None:
                return error(404, "Not Found", f"Entity with id {ident} not found")
            targets.append(issue)
        comment = body.get("comment")
        try:
            for issue in targets:
                if text:
                    commands.apply(self.sim.store, issue, str(text), user.login)
        except commands.CommandError as exc:
            return error(400, "bad_request", str(exc))
        if isinstance(comment, str) and comment.strip():
            for issue in targets:
                store = self.sim.store
                issue.updated = store.add_comment(issue, user.login, comment, store.touch()).created
        answer = {"$type": "CommandList", "query": text, "comment": comment}
        return json_response(200, fields.project(answer, spec) if spec else {})


def _json(request: Request) -> Any:
    try:
        return json.loads(request.body.decode("utf-8")) if request.body else None
    except ValueError:
        return None
