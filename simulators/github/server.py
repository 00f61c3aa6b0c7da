"""The simulated GitHub REST API (api.github.com, or GitHub Enterprise Server under
`/api/v3`), and the part of its GraphQL API the provider reads (`/graphql`, Enterprise
`/api/graphql`: graphql.py), built on the shared loopback site.

Every API answer carries GitHub's headers (`x-ratelimit-*`, `x-github-media-type`,
`x-github-request-id`, and `x-github-enterprise-version` for Enterprise). Errors are
GitHub's JSON bodies: `{"message", "documentation_url", "status"}`, and for 422 an
`errors` list. Lists are paged by `page`/`per_page` (30 by default, at most 100, or the
admin's smaller cap) with a `Link` header.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from typing import Any

from simulators.common.server import LoopbackSite
from simulators.common.wire import HTML_TYPE, Request, Response, json_response

from . import graphql, represent, search
from .admin import AdminApi
from .data import GitHubData, Issue, User
from .faults import Faults, rate_limit_spent

DOCS = "https://docs.github.com/rest"
GRAPHQL_DOCS = (
    "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"
)
ENTERPRISE_PREFIX = "/api/v3"
ENTERPRISE_VERSION = "3.15.2"
DEFAULT_PER_PAGE = 30
LARGEST_PAGE = 100
SEARCH_RESULT_CAP = 1000
# The issue list and search requests (`list_requests` counts them).
LIST_PATHS = ("/issues", "/search/issues")
_ISSUE = re.compile(r"/repos/([^/]+)/([^/]+)/issues/(\d+)(/comments)?")
_ASSIGNEES = re.compile(r"/repos/([^/]+)/([^/]+)/assignees")


def error(status: int, message: str, docs: str = DOCS, **extra: Any) -> Response:
    return json_response(
        status, {"message": message, "documentation_url": docs, **extra, "status": str(status)}
    )


class GitHubSimulator(LoopbackSite):
    name = "github-sim"

    def __init__(
        self, port: int = 0, enterprise: bool = False, seed: int = 1, alice_open: int = 45
    ) -> None:
        super().__init__(port)
        self.enterprise = enterprise
        self.data = GitHubData(seed, alice_open)
        self.faults = Faults()
        self.page_cap = LARGEST_PAGE
        # Requests per user and hour before the primary rate limit is spent.
        self.rate_limit = 5000
        self._used: dict[int, int] = {}
        self._window_end = int(time.time()) + 3600
        self._lock = threading.Lock()
        self.list_requests = 0
        self.admin = AdminApi(self)

    # --- addresses ------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """What a user types as the base URL."""
        return self.base_url + (ENTERPRISE_PREFIX if self.enterprise else "")

    def urls(self) -> represent.Urls:
        return represent.Urls(self.api_url, self.base_url)

    def user(self, login: str) -> User:
        return self.data.users[login]

    # --- dispatch -------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        path = request.full_path
        if path.startswith("/_sim/") or path == "/_sim":
            request.path = path
            return self.admin.handle(request)
        if self.enterprise:
            if path == "/api/graphql":
                path = "/graphql"  # Enterprise's GraphQL endpoint, beside /api/v3
            elif not (path == ENTERPRISE_PREFIX or path.startswith(ENTERPRISE_PREFIX + "/")):
                # The web UI answers everything else on an Enterprise host.
                return Response(200, b"<html><title>GitHub</title></html>", HTML_TYPE)
            else:
                path = path[len(ENTERPRISE_PREFIX) :] or "/"
        request.path = path
        if request.method == "GET" and path.rstrip("/") in LIST_PATHS:
            with self._lock:  # counted on arrival, before any latency
                self.list_requests += 1
        self.sleep(self.faults.latency_seconds)
        response = self._api(request)
        response.header("x-github-media-type", "github.v3; format=json")
        response.header("x-github-request-id", uuid.uuid4().hex[:16].upper())
        if self.enterprise:
            response.header("x-github-enterprise-version", ENTERPRISE_VERSION)
        return response

    def _api(self, request: Request) -> Response:
        if request.path in ("", "/"):
            return json_response(200, {"current_user_url": f"{self.api_url}/user"})
        user, refusal = self._authenticate(request)
        if refusal is not None:
            return refusal
        assert user is not None
        limited = self._count(user)
        if limited is not None:
            return limited
        response = self._route(request, user)
        if not any(name.lower() == "x-ratelimit-remaining" for name, _ in response.headers):
            for name, value in self._rate_headers(user):
                response.header(name, value)
        return response

    def _authenticate(self, request: Request) -> tuple[User | None, Response | None]:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if not header and request.path == "/graphql":
            return None, error(401, "This endpoint requires you to be authenticated.", GRAPHQL_DOCS)
        if not header:
            return None, error(401, "Requires authentication", f"{DOCS}/users/users")
        if scheme.lower() not in ("token", "bearer") or not token.strip():
            return None, error(401, "Bad credentials", DOCS)
        user = self.data.user_by_token(token.strip())
        if user is None:
            return None, error(401, "Bad credentials", DOCS)
        return user, None

    def _count(self, user: User) -> Response | None:
        with self._lock:
            now = int(time.time())
            if now >= self._window_end:
                self._used.clear()
                self._window_end = now + 3600
            used = self._used.get(user.id, 0)
            if used >= self.rate_limit:
                return rate_limit_spent(403, user.id, self.rate_limit, self._window_end - now)
            self._used[user.id] = used + 1
        return None

    def _rate_headers(self, user: User) -> list[tuple[str, str]]:
        with self._lock:
            used = self._used.get(user.id, 0)
            return [
                ("x-ratelimit-limit", str(self.rate_limit)),
                ("x-ratelimit-remaining", str(max(0, self.rate_limit - used))),
                ("x-ratelimit-reset", str(self._window_end)),
                ("x-ratelimit-used", str(used)),
                ("x-ratelimit-resource", "core"),
            ]

    def _route(self, request: Request, user: User) -> Response:
        method, path = request.method, request.path.rstrip("/")
        if (method, path) == ("GET", "/user"):
            return json_response(200, represent.user_json(user, self.urls(), full=True))
        if (method, path) == ("GET", "/issues"):
            return self._list(request, user)
        if (method, path) == ("GET", "/search/issues"):
            return self._search(request, user)
        if (method, path) == ("POST", "/graphql"):
            body = _json_object(request)
            if body is None:
                return error(400, "Problems parsing JSON", "https://docs.github.com/graphql")
            return json_response(200, graphql.answer(body, self.data, self.urls(), user))
        match = _ISSUE.fullmatch(path)
        if match:
            issue = self.data.find(f"{match[1]}/{match[2]}", int(match[3]))
            if issue is None:
                return error(404, "Not Found", f"{DOCS}/issues/issues#get-an-issue")
            if match[4]:
                if method == "GET":
                    return self._comments(request, issue)
                if method == "POST":
                    return self._comment(request, issue, user)
            elif method == "GET":
                return self._issue(issue)
            elif method == "PATCH":
                return self._update(request, issue)
            return error(404, "Not Found")
        match = _ASSIGNEES.fullmatch(path)
        if match and method == "GET":
            repo = f"{match[1]}/{match[2]}"
            if not self.data.repo_exists(repo):
                return error(404, "Not Found")
            logins = sorted(self.data.users)
            people = [represent.user_json(self.data.users[n], self.urls()) for n in logins]
            return self._paged(request, people)
        return error(404, "Not Found")

    # --- lists ----------------------------------------------------------------------

    def _page_args(self, request: Request) -> tuple[int, int] | Response:
        try:
            per_page = int(request.arg("per_page") or DEFAULT_PER_PAGE)
            page = int(request.arg("page") or 1)
        except ValueError:
            return error(
                422, "Validation Failed", errors=[{"field": "per_page", "code": "invalid"}]
            )
        return max(1, page), max(1, min(per_page, LARGEST_PAGE, self.page_cap))

    def _paged(self, request: Request, items: list[Any], total: int | None = None) -> Response:
        args = self._page_args(request)
        if isinstance(args, Response):
            return args
        page, per_page = args
        start = (page - 1) * per_page
        answer = json_response(200, items[start : start + per_page])
        self._link(answer, request, page, per_page, len(items) if total is None else total)
        return answer

    def _link(
        self, answer: Response, request: Request, page: int, per_page: int, total: int
    ) -> None:
        url = f"{self.base_url}{request.full_path}"
        link = represent.link_header(url, request.query, page, per_page, total)
        if link:
            answer.header("Link", link)

    def _list_failure(self, user: User) -> Response | None:
        return self.faults.take_list_failure(user.id)

    def _list(self, request: Request, user: User) -> Response:
        failed = self._list_failure(user)
        if failed is not None:
            return failed
        who = request.arg("filter") or "assigned"
        state = request.arg("state") or "open"
        if who not in ("assigned", "created", "mentioned", "subscribed", "repos", "all"):
            return error(422, "Validation Failed", errors=[{"field": "filter", "code": "invalid"}])
        if state not in ("open", "closed", "all"):
            return error(422, "Validation Failed", errors=[{"field": "state", "code": "invalid"}])
        with self.data.lock:
            chosen = [
                i
                for i in self.data.issues
                if _involves(i, user.login, who) and (state == "all" or i.state == state)
            ]
        ordered = search.order(chosen, request.arg("sort") or "created", request.arg("direction"))
        urls = self.urls()
        items = [represent.issue_json(i, self.data, urls, with_repository=True) for i in ordered]
        return self._paged(request, items)

    def _search(self, request: Request, user: User) -> Response:
        failed = self._list_failure(user)
        if failed is not None:
            return failed
        try:
            query = search.parse(request.arg("q"), user.login, self.data)
        except search.SearchRefused as refused:
            return error(
                422,
                "Validation Failed",
                f"{DOCS}/search/search#search-issues-and-pull-requests",
                errors=refused.errors,
            )
        with self.data.lock:
            found = [i for i in self.data.issues if query.matches(i)]
        ordered = search.order(found, request.arg("sort"), request.arg("order"))
        args = self._page_args(request)
        if isinstance(args, Response):
            return args
        page, per_page = args
        reachable = ordered[:SEARCH_RESULT_CAP]
        if (page - 1) * per_page >= SEARCH_RESULT_CAP and ordered:
            return error(
                422,
                "Cannot access beyond the first 1000 results, or the page you requested.",
                f"{DOCS}/search/search",
            )
        start = (page - 1) * per_page
        urls = self.urls()
        items = [
            represent.issue_json(i, self.data, urls, score=1.0)
            for i in reachable[start : start + per_page]
        ]
        answer = json_response(
            200, {"total_count": len(ordered), "incomplete_results": False, "items": items}
        )
        self._link(answer, request, page, per_page, len(reachable))
        return answer

    # --- one issue --------------------------------------------------------------------

    def _issue(self, issue: Issue) -> Response:
        return json_response(200, represent.issue_json(issue, self.data, self.urls()))

    def _comments(self, request: Request, issue: Issue) -> Response:
        urls = self.urls()
        with self.data.lock:
            items = [represent.comment_json(c, issue, self.data, urls) for c in issue.comments]
        return self._paged(request, items)

    def _comment(self, request: Request, issue: Issue, user: User) -> Response:
        body = _json_object(request)
        if body is None or not isinstance(body.get("body"), str) or not body["body"]:
            return error(
                422,
                "Validation Failed",
                f"{DOCS}/issues/comments#create-an-issue-comment",
                errors=[{"resource": "IssueComment", "code": "missing_field", "field": "body"}],
            )
        comment = self.data.add_comment(issue, user.login, body["body"])
        answer = json_response(201, represent.comment_json(comment, issue, self.data, self.urls()))
        return answer.header(
            "Location", f"{self.api_url}/repos/{issue.repo}/issues/comments/{comment.id}"
        )

    def _update(self, request: Request, issue: Issue) -> Response:
        body = _json_object(request)
        if body is None:
            return error(400, "Problems parsing JSON", f"{DOCS}/issues/issues#update-an-issue")
        state = body.get("state")
        reason = body.get("state_reason")
        if state is not None and state not in ("open", "closed"):
            return _invalid("state")
        if reason is not None and reason not in (
            "completed",
            "not_planned",
            "reopened",
            "duplicate",
        ):
            return _invalid("state_reason")
        assignees = body.get("assignees")
        if assignees is not None and (
            not isinstance(assignees, list) or not all(isinstance(a, str) for a in assignees)
        ):
            return _invalid("assignees")
        with self.data.lock:
            if isinstance(body.get("title"), str):
                issue.title = body["title"]
            if state == "closed":
                issue.state, issue.state_reason = "closed", reason or "completed"
            elif state == "open":
                issue.state, issue.state_reason = (
                    "open",
                    "reopened" if issue.state == "closed" else issue.state_reason,
                )
            if assignees is not None:
                # GitHub drops, without an error, assignees who cannot be assigned.
                issue.assignees = [a for a in dict.fromkeys(assignees) if a in self.data.users][:10]
            self.data.touch(issue)
        return self._issue(issue)


def _involves(issue: Issue, login: str, who: str) -> bool:
    if who == "assigned":
        return login in issue.assignees
    if who == "created":
        return issue.author == login
    if who in ("mentioned", "subscribed"):
        return login in issue.assignees or issue.author == login
    return True


def _json_object(request: Request) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body.decode("utf-8") or "{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _invalid(field: str) -> Response:
    return error(
        422,
        "Validation Failed",
        f"{DOCS}/issues/issues#update-an-issue",
        errors=[{"resource": "Issue", "code": "invalid", "field": field}],
    )
