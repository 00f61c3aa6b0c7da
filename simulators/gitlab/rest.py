"""GitLab's REST API v4, as much as issuebridge uses, answered the way GitLab does.

- Authentication: `PRIVATE-TOKEN: <token>` or `Authorization: Bearer <token>`; a
  missing or wrong token answers 401 `{"message":"401 Unauthorized"}`.
- Offset paging: `page` (from 1), `per_page` (default 20, at most 100; the simulator's
  cap may be lower); headers `X-Page`, `X-Per-Page`, `X-Next-Page` and `X-Prev-Page`
  (empty when there is none), `X-Total` and `X-Total-Pages` (left out when the count
  is over 10,000, as GitLab does for performance), and `Link` (first, prev, next, last;
  no `last` without a total).
- A project with its issues feature off answers 403 `{"message":"403 Forbidden"}` to
  `/projects/:id/issues…`.
- A parameter outside its values answers 400 `{"error":"<name> does not have a valid
  value"}`; an unknown project or issue 404 `{"message":"404 Project Not Found"}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlencode

from simulators.common.wire import Request, Response, json_response

from .data import Issue, Project, Store, User
from .represent import issue_json, note_json

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
# Above this many, GitLab leaves out X-Total, X-Total-Pages and the `last` link.
COUNT_LIMIT = 10_000

SCOPES = ("created_by_me", "assigned_to_me", "all")
STATES = ("opened", "closed", "all")
ORDERS = (
    "created_at",
    "updated_at",
    "priority",
    "due_date",
    "relative_position",
    "label_priority",
    "milestone_due",
    "popularity",
    "weight",
    "title",
)
SORTS = ("asc", "desc")


def error(status: int, message: str) -> Response:
    return json_response(status, {"message": message})


def scopes_for(method: str, path: str) -> tuple[str, ...]:
    """The token scopes of which a request needs one (GitLab's personal access tokens)."""
    if method != "GET":
        return ("api",)
    if path == "/user":
        return ("api", "read_api", "read_user")
    return ("api", "read_api")


def insufficient_scope(needed: tuple[str, ...]) -> Response:
    """What GitLab (Doorkeeper) answers a token without the scope a request needs."""
    return json_response(
        403,
        {
            "error": "insufficient_scope",
            "error_description": "The request requires higher privileges than provided by "
            "the access token.",
            "scope": " ".join(needed),
        },
    )


def invalid(name: str) -> Response:
    return json_response(400, {"error": f"{name} does not have a valid value"})


class Api:
    def __init__(self, store: Store, page_cap: Callable[[], int]) -> None:
        self.store = store
        self.page_cap = page_cap
        self.count_limit = COUNT_LIMIT
        # Leave out X-Next-Page (as a proxy that drops custom headers does): only the
        # `Link` header says where the next page is.
        self.strip_next_page = False

    def authenticate(self, request: Request) -> User | None:
        token = request.headers.get("PRIVATE-TOKEN")
        if token is None:
            scheme, _, value = request.headers.get("Authorization", "").partition(" ")
            token = value.strip() if scheme.lower() == "bearer" else None
        return self.store.user_by_token(token) if token else None

    def route(self, request: Request, user: User) -> Response:
        path = request.full_path[len("/api/v4") :]
        method = request.method
        needed = scopes_for(method, path)
        if not set(needed) & set(user.scopes):
            return insufficient_scope(needed)
        if path == "/user" and method == "GET":
            return json_response(
                200, {**user.json(request.base_url), "email": f"{user.username}@example.com"}
            )
        if path == "/version" and method == "GET":
            return json_response(200, {"version": "17.6.1-ee", "revision": "a1b2c3d4e5f"})
        if path == "/users" and method == "GET":
            return self.users(request)
        if path == "/projects" and method == "GET":
            member = request.arg("membership") in ("true", "1")
            projects = [
                p.json(request.base_url)
                for p in self.store.projects
                if not member or user.username in p.members
            ]
            return self.paged(request, projects)
        if path == "/issues" and method == "GET":
            return self.list_issues(request, user)
        match = re.fullmatch(r"/projects/([^/]+)(/.*)?", path)
        if match:
            project = self.store.project(unquote(match[1]))
            if project is None:
                return error(404, "404 Project Not Found")
            return self.project_route(request, user, project, match[2] or "")
        return error(404, "404 Not Found")

    # --- users -------------------------------------------------------------------------

    def users(self, request: Request) -> Response:
        username = request.arg("username")
        search = (request.arg("search") or "").lower()
        found = [
            u
            for u in self.store.users
            if (username is None or u.username.lower() == username.lower())
            and (not search or search in u.username.lower() or search in u.name.lower())
        ]
        return self.paged(request, [u.json(request.base_url) for u in found])

    # --- issues ------------------------------------------------------------------------

    def list_issues(self, request: Request, user: User, project: Project | None = None) -> Response:
        """`GET /issues` (scope `created_by_me` by default) or `GET /projects/:id/issues`
        (scope `all` by default, that project's issues only); `iids[]` keeps the issues
        of those iids (an iid that is not a number is 400)."""
        scope = request.arg("scope") or ("all" if project is not None else "created_by_me")
        state = request.arg("state") or "all"
        order_by = request.arg("order_by") or "created_at"
        sort = request.arg("sort") or "desc"
        for name, value, allowed in (
            ("scope", scope, SCOPES),
            ("state", state, STATES),
            ("order_by", order_by, ORDERS),
            ("sort", sort, SORTS),
        ):
            if value not in allowed:
                return invalid(name)
        search = (request.arg("search") or "").strip().lower()
        assignee = request.arg("assignee_username")
        raw_iids = [v for k, v in request.query if k in ("iids[]", "iids")]
        if not all(v.strip().isdigit() for v in raw_iids):
            return invalid("iids")
        iids = {int(v) for v in raw_iids}
        with self.store.lock:
            chosen = [
                i
                for i in self.store.issues
                if (project is None or i.project is project)
                and i.project.issues_enabled
                and (not iids or i.iid in iids)
                and (scope != "assigned_to_me" or user.username in i.assignees)
                and (scope != "created_by_me" or i.author == user.username)
                and (state == "all" or i.state == state)
                and (not search or matches(i, search))
                and (assignee is None or assignee in i.assignees)
            ]
            key = {
                "updated_at": lambda i: (i.updated_at, i.id),
                "title": lambda i: (i.title, i.id),
            }.get(order_by, lambda i: (i.created_at, i.id))
            chosen.sort(key=key, reverse=sort == "desc")
            return self.paged(
                request, chosen, lambda i: issue_json(self.store, i, request.base_url)
            )

    def project_route(self, request: Request, user: User, project: Project, rest: str) -> Response:
        method = request.method
        if rest == "" and method == "GET":
            return json_response(200, project.json(request.base_url))
        if rest == "/users" and method == "GET":
            search = (request.arg("search") or "").lower()
            members = [self.store.user(m) for m in project.members]
            found = [
                u.json(request.base_url)
                for u in members
                if not search or search in u.username.lower() or search in u.name.lower()
            ]
            return self.paged(request, found)
        if rest.startswith("/issues") and not project.issues_enabled:
            return error(403, "403 Forbidden")
        if rest == "/issues" and method == "GET":
            return self.list_issues(request, user, project)
        match = re.fullmatch(r"/issues/(\d+)(/notes)?", rest)
        if not match:
            return error(404, "404 Not Found")
        issue = self.store.issue(project, int(match[1]))
        if issue is None:
            return error(404, "404 Issue Not Found")
        if match[2]:
            return self.notes(request, user, issue)
        if method == "GET":
            return json_response(200, issue_json(self.store, issue, request.base_url))
        if method == "PUT":
            return self.edit(request, user, issue)
        return error(405, "405 Method Not Allowed")

    def notes(self, request: Request, user: User, issue: Issue) -> Response:
        if request.method == "POST":
            body = _params(request).get("body")
            if not isinstance(body, str) or not body.strip():
                return json_response(400, {"error": "body is missing"})
            note = self.store.add_note(issue, user.username, body)
            return json_response(201, note_json(self.store, issue, note, request.base_url))
        if request.method != "GET":
            return error(405, "405 Method Not Allowed")
        sort = request.arg("sort") or "desc"
        if sort not in SORTS:
            return invalid("sort")
        with self.store.lock:
            notes = sorted(issue.notes, key=lambda n: (n.created_at, n.id), reverse=sort == "desc")
            return self.paged(
                request, notes, lambda n: note_json(self.store, issue, n, request.base_url)
            )

    def edit(self, request: Request, user: User, issue: Issue) -> Response:
        params = _params(request)
        event = params.get("state_event")
        if event is not None and event not in ("close", "reopen"):
            return invalid("state_event")
        with self.store.lock:
            if "assignee_ids" in params or "assignee_id" in params:
                raw = params.get("assignee_ids", params.get("assignee_id"))
                ids = raw if isinstance(raw, list) else [raw]
                names = []
                for ident in ids:
                    if ident in (None, "", 0, "0"):
                        continue
                    found = next((u for u in self.store.users if str(u.id) == str(ident)), None)
                    if found is None:
                        return json_response(400, {"message": {"assignees": ["is invalid"]}})
                    names.append(found.username)
                issue.assignees = names
                self.store.add_note(issue, user.username, "changed the assignees", system=True)
            if event == "close" and issue.state == "opened":
                issue.state = "closed"
                self.store.add_note(issue, user.username, "closed", system=True)
                issue.closed_at = issue.updated_at
            elif event == "reopen" and issue.state == "closed":
                issue.state, issue.closed_at = "opened", None
                self.store.add_note(issue, user.username, "reopened", system=True)
            return json_response(200, issue_json(self.store, issue, request.base_url))

    # --- paging ------------------------------------------------------------------------

    def paged(
        self, request: Request, items: list[Any], render: Callable[[Any], Any] | None = None
    ) -> Response:
        try:
            page = int(request.arg("page") or 1)
            per_page = int(request.arg("per_page") or DEFAULT_PER_PAGE)
        except ValueError:
            return invalid("page" if not (request.arg("page") or "1").isdigit() else "per_page")
        page = max(page, 1)
        per_page = min(max(per_page, 1), MAX_PER_PAGE, self.page_cap())
        total = len(items)
        start = (page - 1) * per_page
        chunk = items[start : start + per_page]
        pages = max(1, -(-total // per_page))
        has_next = start + per_page < total
        response = json_response(200, [render(i) if render else i for i in chunk])
        counted = total <= self.count_limit
        response.header("X-Page", str(page))
        response.header("X-Per-Page", str(per_page))
        if not self.strip_next_page:
            response.header("X-Next-Page", str(page + 1) if has_next else "")
        response.header("X-Prev-Page", str(page - 1) if page > 1 else "")
        if counted:
            response.header("X-Total", str(total))
            response.header("X-Total-Pages", str(pages))
        response.header(
            "Link", _links(request, page, per_page, has_next, pages if counted else None)
        )
        return response


def _links(request: Request, page: int, per_page: int, has_next: bool, last: int | None) -> str:
    def url(number: int) -> str:
        args = [(k, v) for k, v in request.query if k not in ("page", "per_page")]
        args += [("page", str(number)), ("per_page", str(per_page))]
        return f"<{request.base_url}{request.full_path}?{urlencode(args)}>"

    links = []
    if page > 1:
        links.append(f'{url(page - 1)}; rel="prev"')
    if has_next:
        links.append(f'{url(page + 1)}; rel="next"')
    links.append(f'{url(1)}; rel="first"')
    if last is not None:
        links.append(f'{url(last)}; rel="last"')
    return ", ".join(links)


def matches(issue: Issue, search: str) -> bool:
    """GitLab's `search`: in the title or the description."""
    return search in issue.title.lower() or search in (issue.description or "").lower()


def _params(request: Request) -> dict[str, Any]:
    """A request's parameters: a JSON body, a form, or the query string (GitLab takes
    all three); `assignee_ids[]` repeated becomes a list."""
    if request.content_type == "application/json" and request.body:
        try:
            body = request.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}
    pairs = request.form() or request.query
    params: dict[str, Any] = {}
    for key, value in pairs:
        if key.endswith("[]"):
            params.setdefault(key[:-2], []).append(value)
        else:
            params[key] = value
    return params
