"""The GitLab simulator: a `LoopbackSite` answering REST API v4 under `/api/v4` and
an admin API under `/_sim/` (page size, faults, latency, users)."""

from __future__ import annotations

import json
from typing import Any

from simulators.common.server import LoopbackSite, RecordedRequest
from simulators.common.wire import Headers, Request, Response, html_response, json_response

from .data import Store, User
from .faults import Faults
from .rest import MAX_PER_PAGE, Api, error, matches

TOKEN_HEADERS = ("PRIVATE-TOKEN", "Authorization")
_TOKEN_NAMES = {name.upper() for name in TOKEN_HEADERS}


class GitLabSimulator(LoopbackSite):
    name = "gitlab-sim"

    def __init__(self, port: int = 0, seed: int = 1, alice_open: int = 45) -> None:
        super().__init__(port)
        self.store = Store(seed, alice_open)
        self.faults = Faults()
        self.page_size = MAX_PER_PAGE
        self.api = Api(self.store, lambda: self.page_size)

    # --- what tests use ----------------------------------------------------------------

    @property
    def users(self) -> list[User]:
        return self.store.users

    def user(self, username: str) -> User:
        return self.store.user(username)

    def revoke_token(self, username: str) -> None:
        """The user revoked the token: GitLab answers 401 to it from now on."""
        with self.store.lock:
            user = self.store.user(username)
            user.token = f"{user.token}-revoked"

    def list_requests(self) -> int:
        return sum(1 for r in self.request_log if r.path == "/api/v4/issues")

    def open_assigned(self, username: str, search: str = "") -> list[str]:
        """The default list of `username` (assigned, opened, newest update first), with
        GitLab's `search` (title or description) where given."""
        with self.store.lock:
            mine = [
                i
                for i in self.store.issues
                if username in i.assignees
                and i.state == "opened"
                and (not search or matches(i, search.lower()))
            ]
            mine.sort(key=lambda i: (i.updated_at, i.id), reverse=True)
            return [i.reference for i in mine]

    # --- requests ----------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        path = request.full_path
        if path.startswith("/_sim/"):
            return self.admin(request)
        self.sleep(self.faults.latency_seconds)
        if not path.startswith("/api/v4/"):
            return html_response(404, "<html><head><title>Not Found</title></head></html>")
        if path == "/api/v4/issues":
            status = self.faults.take_list_fault()
            if status:
                return self.faults.answer(status)
        user = self.api.authenticate(request)
        if user is None:
            return error(401, "401 Unauthorized")
        return self.api.route(request, user)

    def record(self, record: RecordedRequest) -> None:
        """Tokens are not kept in the request log: only whether one came, and how."""
        kept = [(k, v) for k, v in record.headers.items() if k.upper() not in _TOKEN_NAMES]
        for name in TOKEN_HEADERS:
            if name in record.headers:
                scheme = record.headers[name].partition(" ")[0] if name == "Authorization" else ""
                kept.append((name, f"{scheme} <redacted>".strip()))
        record.headers = Headers(kept)
        super().record(record)

    # --- the admin API -----------------------------------------------------------------

    def admin(self, request: Request) -> Response:
        path = request.full_path
        body: dict[str, Any] = {}
        if request.body:
            try:
                loaded = json.loads(request.body)
            except ValueError:
                return json_response(400, {"error": "the body is not JSON"})
            body = loaded if isinstance(loaded, dict) else {}
        if path == "/_sim/state" and request.method == "GET":
            return json_response(200, self.state())
        if request.method != "POST":
            return json_response(405, {"error": "POST only"})
        if path == "/_sim/page-size":
            self.page_size = max(1, int(body.get("size", MAX_PER_PAGE)))
        elif path == "/_sim/faults":
            self.faults.fail_lists(int(body.get("status", 0)), int(body.get("count", 0)))
            if "latencySeconds" in body:
                self.faults.latency_seconds = float(body["latencySeconds"])
            if "retryAfterSeconds" in body:
                self.faults.retry_after_seconds = int(body["retryAfterSeconds"])
        elif path == "/_sim/users":
            username, name = str(body.get("username", "")), str(body.get("name", ""))
            token = str(body.get("token", f"glpat-{username}-sim0000000000000"))
            if not username:
                return json_response(400, {"error": "username is required"})
            scopes = tuple(str(x) for x in body.get("scopes", ["api"]))
            self.store.add_user(username, name or username, token, scopes)
        elif path == "/_sim/reset":
            self.faults = Faults()
            self.page_size = MAX_PER_PAGE
            self.request_log.clear()
        else:
            return json_response(404, {"error": "unknown admin path"})
        return json_response(200, self.state())

    def state(self) -> dict[str, Any]:
        return {
            "pageSize": self.page_size,
            "latencySeconds": self.faults.latency_seconds,
            "listFault": {"status": self.faults.list_status, "count": self.faults.list_count},
            "retryAfterSeconds": self.faults.retry_after_seconds,
            "users": [{"username": u.username, "name": u.name} for u in self.store.users],
            "issues": len(self.store.issues),
            "listRequests": self.list_requests(),
        }
