"""The Jira Cloud simulator: REST API v3 on 127.0.0.1 (simulators.common.LoopbackSite).

What it answers, after Atlassian's REST v3 documentation:
- `GET /rest/api/3/serverInfo` (anyone), `GET /rest/api/3/myself` (Basic email:token);
- `GET|POST /rest/api/3/search/jql`: `jql`, `maxResults`, `fields`, `nextPageToken`;
  answers `{issues, nextPageToken?, isLast}` and no total; only ids without `fields`;
- `GET|POST /rest/api/{2,3}/search` and `/search/id`: 410 Gone, as Cloud since 2025;
- `GET /rest/api/3/project/search` and `POST /rest/api/3/issue/bulkfetch` (lookups.py);
- issues, comments (ADF), transitions, assignee (accountId), assignable users;
- `/_sim/…`: the admin API (page size, faults, latency, users, the request count).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from simulators.common.server import LoopbackSite
from simulators.common.wire import TEXT_TYPE, Request, Response, json_response, no_content

from . import lookups, represent
from .data import (
    TRANSITIONS,
    CloudComment,
    CloudIssue,
    CloudUser,
    jira_time,
    seed_issues,
    seed_users,
)
from .jql import JqlError, parse

API = "/rest/api/3"
# Cloud's enhanced search: 50 by default; with fields, it answers at most 100 a page
# (up to 5000 for ids only) whatever maxResults asks.
DEFAULT_PAGE = 50
MAX_PAGE = 100
GONE = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at "
    "https://developer.atlassian.com/changelog/#CHANGE-2046"
)
NOT_AUTHENTICATED = "Client must be authenticated to access this resource."


def errors(status: int, *messages: str, **field_errors: str) -> Response:
    return json_response(status, {"errorMessages": list(messages), "errors": field_errors})


@dataclass
class ListFault:
    status: int
    remaining: int
    retry_after: int = 1


class JiraCloudSimulator(LoopbackSite):
    name = "jira-cloud-sim"

    def __init__(self, port: int = 0, seed: int = 1) -> None:
        super().__init__(port)
        self.users: list[CloudUser] = seed_users()
        self.issues: list[CloudIssue] = seed_issues(self.users, seed)
        self.page_cap = MAX_PAGE
        self.latency_seconds = 0.0
        self.list_requests = 0
        self._faults: list[ListFault] = []
        self._lock = threading.RLock()
        self._next_comment = 90000
        self.clock = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    # --- what tests and the admin API change -----------------------------------------

    def user(self, name: str) -> CloudUser:
        return next(u for u in self.users if u.name == name)

    def add_user(self, name: str, display_name: str, email: str, token: str) -> CloudUser:
        user = CloudUser(name, display_name, email, token)
        with self._lock:
            self.users = [u for u in self.users if u.name != name] + [user]
        return user

    def fail_lists(self, status: int, count: int, retry_after: int = 1) -> None:
        with self._lock:
            self._faults.append(ListFault(status, count, retry_after))

    def issue(self, key: str) -> CloudIssue | None:
        wanted = key.upper()
        return next((i for i in self.issues if i.key == wanted or i.id == key), None)

    # --- dispatch --------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        path = request.full_path
        if path.startswith("/_sim/"):
            return self._admin(request, path[len("/_sim/") :])
        if path == f"{API}/search/jql":
            with self._lock:
                self.list_requests += 1  # counted on arrival, before any latency
        self.sleep(self.latency_seconds)
        if self.stopping:
            return Response(503, drop=True)
        try:
            return self._api(request, path)
        except (ValueError, KeyError, TypeError):
            return errors(400, "The request body is not valid JSON or lacks a required field.")

    def _api(self, request: Request, path: str) -> Response:
        method = request.method
        if path in (f"{API}/serverInfo", "/rest/api/2/serverInfo") and method == "GET":
            if request.headers.get("Authorization") and self._caller(request) is None:
                return self._unauthorized()
            return json_response(200, self._server_info(request))
        if path.rstrip("/") in ("/rest/api/2/search", f"{API}/search", f"{API}/search/id"):
            return errors(410, GONE)
        me = self._caller(request)
        if me is None:
            return self._unauthorized()
        if path == f"{API}/myself" and method == "GET":
            return json_response(200, self._myself(request, me))
        if path == f"{API}/search/jql" and method in ("GET", "POST"):
            return self._search(request, me)
        if path == f"{API}/project/search" and method == "GET":
            return lookups.project_search(self, request)
        if path == f"{API}/issue/bulkfetch" and method == "POST":
            return lookups.bulk_fetch(self, request)
        if path == f"{API}/user/assignable/search" and method == "GET":
            return self._assignable(request)
        if path.startswith(f"{API}/issue/"):
            return self._issue_resource(request, me, path[len(f"{API}/issue/") :])
        return errors(404, "null for uri: " + request.base_url + path)

    def _unauthorized(self) -> Response:
        # Cloud answers a failed Basic login with plain text and this header.
        return Response(401, NOT_AUTHENTICATED.encode(), TEXT_TYPE).header(
            "WWW-Authenticate", 'Basic realm="protected-area"'
        )

    def _caller(self, request: Request) -> CloudUser | None:
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            email, _, token = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return next(
            (u for u in self.users if u.email.lower() == email.lower() and u.api_token == token),
            None,
        )

    def _server_info(self, request: Request) -> dict[str, Any]:
        return {
            "baseUrl": request.base_url,
            "displayUrl": request.base_url,
            "version": "1001.0.0-SNAPSHOT",
            "versionNumbers": [1001, 0, 0],
            "deploymentType": "Cloud",
            "buildNumber": 100292,
            "buildDate": "2026-11-30T00:00:00.000+0000",
            "serverTime": jira_time(self.clock),
            "scmInfo": "9d6f1c2e0b3a4f5e6d7c8b9a0f1e2d3c4b5a6978",
            "serverTitle": "Jira",
            "defaultLocale": {"locale": "en_US"},
            "serverTimeZone": "Etc/UTC",
        }

    def _myself(self, request: Request, me: CloudUser) -> dict[str, Any]:
        user = represent.user_json(request.base_url, me, me.account_id) or {}
        return {
            **user,
            "emailAddress": me.email,
            "locale": "en_US",
            "groups": {"size": 1, "items": []},
        }

    # --- search ----------------------------------------------------------------------

    def _search(self, request: Request, me: CloudUser) -> Response:
        with self._lock:
            fault = self._faults[0] if self._faults else None
            if fault is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.pop(0)
        if fault is not None:
            return self._fault(fault)
        if request.method == "POST":
            body = request.json()
            if not isinstance(body, dict):
                return errors(
                    400,
                    "Invalid request payload. Refer to the REST API documentation and try again.",
                )
            jql, token = body.get("jql"), body.get("nextPageToken")
            size, fields = body.get("maxResults", DEFAULT_PAGE), body.get("fields")
            expand = body.get("expand") or ""
        else:
            jql, token = request.arg("jql"), request.arg("nextPageToken")
            size = int(request.arg("maxResults") or DEFAULT_PAGE)
            raw_fields = request.arg("fields")
            fields = raw_fields.split(",") if raw_fields else None
            expand = request.arg("expand") or ""
        if not isinstance(jql, str):
            jql = ""
        try:
            query = parse(jql, me, self.users)
        except JqlError as exc:
            return json_response(
                400, {"errorMessages": [str(exc)], "errors": {}, "warningMessages": []}
            )
        digest = hashlib.sha256(jql.encode()).hexdigest()[:16]
        start = 0
        if token:
            offset = _read_token(token, digest)
            if offset is None:
                return errors(400, "The provided next page token is invalid or expired.")
            start = offset
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            return errors(400, "maxResults must be a positive number.")
        size = min(size or DEFAULT_PAGE, self.page_cap)
        found = query.run(self.issues)
        page = found[start : start + size]
        chosen = represent.wanted_fields(fields if isinstance(fields, list) else None)
        users = {u.account_id: u for u in self.users}
        answer: dict[str, Any] = {
            "issues": [
                represent.issue_json(request.base_url, i, users, chosen, expand) for i in page
            ]
        }
        end = start + len(page)
        if end < len(found):
            answer["nextPageToken"] = _make_token(end, digest)
            answer["isLast"] = False
        else:
            answer["isLast"] = True  # and no nextPageToken at all, as Cloud does
        return json_response(200, answer)

    def _fault(self, fault: ListFault) -> Response:
        if fault.status == 429:
            reset = (self.clock + timedelta(seconds=fault.retry_after)).strftime("%Y-%m-%dT%H:%MZ")
            response = errors(429, "Rate limit exceeded.")
            for name, value in (
                ("Retry-After", str(fault.retry_after)),
                ("X-RateLimit-Limit", "100"),
                ("X-RateLimit-Remaining", "0"),
                ("X-RateLimit-Reset", reset),
                ("RateLimit-Reason", "jira-quota-tenant-based"),
            ):
                response.header(name, value)
            return response
        if fault.status == 503:
            return errors(503, "Service Unavailable").header("Retry-After", "0")
        return errors(fault.status, "Internal server error")

    # --- one issue ---------------------------------------------------------------------

    def _issue_resource(self, request: Request, me: CloudUser, rest: str) -> Response:
        raw_key, _, below = rest.partition("/")
        issue = self.issue(unquote(raw_key))
        if issue is None:
            return errors(404, "Issue does not exist or you do not have permission to see it.")
        base, users = request.base_url, {u.account_id: u for u in self.users}
        method = request.method
        if below == "" and method == "GET":
            raw_fields = request.arg("fields")
            chosen = represent.wanted_fields(raw_fields.split(",") if raw_fields else ["*all"])
            return json_response(
                200, represent.issue_json(base, issue, users, chosen, request.arg("expand") or "")
            )
        if below == "comment" and method == "GET":
            start = int(request.arg("startAt") or 0)
            size = min(int(request.arg("maxResults") or 5000), 5000)
            return json_response(200, represent.comment_page(base, issue, users, start, size))
        if below == "comment" and method == "POST":
            return self._add_comment(request, me, issue, users)
        if below == "transitions" and method == "GET":
            return json_response(200, {"transitions": represent.transitions_json(base, issue)})
        if below == "transitions" and method == "POST":
            return self._transition(request, me, issue)
        if below == "assignee" and method == "PUT":
            body = request.json()
            account = body.get("accountId") if isinstance(body, dict) else None
            if isinstance(body, dict) and "name" in body and "accountId" not in body:
                # The Server form: Cloud identifies users by accountId only.
                return errors(400, accountId="Specify an accountId; names are not accepted.")
            if account is not None and account not in users:
                return errors(400, assignee=f"User '{account}' does not exist.")
            with self._lock:
                issue.assignee = account if account not in (None, "-1") else None
                self._touch(issue)
            return no_content()
        return errors(405, f"Method {method} is not allowed here.")

    def _adf_or_error(self, body: Any) -> dict[str, Any] | None:
        """The ADF document of a comment, or None when it is not one (v3 takes ADF only)."""
        if (
            isinstance(body, dict)
            and body.get("type") == "doc"
            and body.get("version") == 1
            and isinstance(body.get("content"), list)
        ):
            return body
        return None

    def _add_comment(
        self, request: Request, me: CloudUser, issue: CloudIssue, users: dict[str, CloudUser]
    ) -> Response:
        payload = request.json()
        document = self._adf_or_error(payload.get("body") if isinstance(payload, dict) else None)
        if document is None:
            return errors(400, comment="Comment body is not valid!")
        if not document["content"]:
            return errors(400, comment="Comment body can not be empty!")
        with self._lock:
            self._next_comment += 1
            comment = CloudComment(str(self._next_comment), me.account_id, document, self.clock)
            issue.comments.append(comment)
            self._touch(issue)
        return json_response(201, represent.comment_json(request.base_url, issue, comment, users))

    def _transition(self, request: Request, me: CloudUser, issue: CloudIssue) -> Response:
        payload = request.json()
        wanted = str((payload.get("transition") or {}).get("id", ""))
        offered = {t["id"] for t in represent.transitions_json(request.base_url, issue)}
        if wanted not in offered:
            return errors(
                400,
                f"Transition id '{wanted}' is not valid for this issue.",
            )
        comments = (payload.get("update") or {}).get("comment") or []
        documents = []
        for entry in comments:
            document = self._adf_or_error((entry.get("add") or {}).get("body"))
            if document is None:
                return errors(400, comment="Comment body is not valid!")
            documents.append(document)
        with self._lock:
            issue.status = TRANSITIONS[wanted][1]
            for document in documents:
                self._next_comment += 1
                issue.comments.append(
                    CloudComment(str(self._next_comment), me.account_id, document, self.clock)
                )
            self._touch(issue)
        return no_content()

    def _touch(self, issue: CloudIssue) -> None:
        self.clock += timedelta(seconds=1)
        issue.updated = max(self.clock, max(i.updated for i in self.issues) + timedelta(seconds=1))

    def _assignable(self, request: Request) -> Response:
        key = request.arg("issueKey") or request.arg("project")
        if not key:
            return errors(
                400, "One of the following parameters must be provided: issueKey, project."
            )
        if request.arg("issueKey") and self.issue(key) is None:
            return errors(404, "Issue does not exist or you do not have permission to see it.")
        query = (request.arg("query") or "").lower()
        size = int(request.arg("maxResults") or 50)
        base = request.base_url
        found = [
            represent.user_json(base, u, u.account_id)
            for u in self.users
            if not query
            or any(w.startswith(query) for w in u.display_name.lower().split())
            or u.email.lower().startswith(query)
        ]
        return json_response(200, found[:size])

    # --- admin ---------------------------------------------------------------------------

    def _admin(self, request: Request, what: str) -> Response:
        body = request.json() if request.body else {}
        if what == "state" and request.method == "GET":
            return json_response(
                200,
                {
                    "listRequests": self.list_requests,
                    "pageCap": self.page_cap,
                    "latencySeconds": self.latency_seconds,
                    "users": [
                        {
                            "name": u.name,
                            "email": u.email,
                            "accountId": u.account_id,
                            "token": u.api_token,
                        }
                        for u in self.users
                    ],
                },
            )
        if request.method != "POST":
            return errors(405, "Admin requests are GET /_sim/state or POST.")
        if what == "page-size":
            self.page_cap = max(1, int(body["size"]))
        elif what == "latency":
            self.latency_seconds = max(0.0, float(body["seconds"]))
        elif what == "faults":
            self.fail_lists(
                int(body["status"]), int(body.get("count", 1)), int(body.get("retryAfter", 1))
            )
        elif what == "users":
            self.add_user(
                body["name"], body.get("displayName", body["name"]), body["email"], body["token"]
            )
        else:
            return errors(404, f"No admin resource {what}.")
        return no_content()


def _make_token(offset: int, digest: str) -> str:
    raw = json.dumps({"o": offset, "q": digest}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_token(token: str, digest: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
    except (ValueError, binascii.Error):
        return None
    if not isinstance(data, dict) or data.get("q") != digest or not isinstance(data.get("o"), int):
        return None
    return int(data["o"])
