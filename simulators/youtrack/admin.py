"""The simulator's own control API under `{base}/_sim/` (JSON, no authentication), for
tests and demos driven from other processes. It is not part of YouTrack; faults and
latency never apply to it.

GET  /_sim/state                      users (with tokens), page size, list requests
POST /_sim/page-size {"size": 10}     cap `$top` (null: no cap)
POST /_sim/faults {"status": 503, "count": 2, "retryAfter": 1}
POST /_sim/latency {"seconds": 0.5}
POST /_sim/users {"login": "dave", "fullName": "Dave Dunn"}   -> the user and token
POST /_sim/revoke {"login": "alice"}  the user's permanent token refused from now on
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from simulators.common.wire import Request, Response, json_response

from .rest import error

if TYPE_CHECKING:
    from .server import YouTrackSimulator


class AdminApi:
    def __init__(self, simulator: YouTrackSimulator) -> None:
        self.sim = simulator

    def handle(self, request: Request) -> Response:
        route = request.path[len("/_sim") :].rstrip("/") or "/"
        try:
            body: Any = json.loads(request.body.decode("utf-8")) if request.body else {}
        except ValueError:
            return error(400, "bad_request", "Body is not JSON.")
        if not isinstance(body, dict):
            return error(400, "bad_request", "Body must be a JSON object.")
        key = (request.method, route)
        try:
            if key in (("GET", "/"), ("GET", "/state")):
                return json_response(200, self.state())
            if key == ("POST", "/page-size"):
                size = body.get("size")
                self.sim.page_size = None if size is None else int(size)
                return json_response(200, self.state())
            if key == ("POST", "/faults"):
                self.sim.retry_after_seconds = int(body.get("retryAfter", 1))
                self.sim.fail_lists(int(body["status"]), int(body.get("count", 1)))
                return json_response(200, self.state())
            if key == ("POST", "/latency"):
                self.sim.latency_seconds = float(body.get("seconds", 0))
                return json_response(200, self.state())
            if key == ("POST", "/users"):
                login = str(body["login"]).lower()
                user = self.sim.store.add_user(login, str(body.get("fullName") or login))
                return json_response(201, {"login": user.login, "token": user.token})
            if key == ("POST", "/revoke"):
                self.sim.store.revoke(str(body["login"]).lower())
                return json_response(200, self.state())
        except (KeyError, TypeError, ValueError) as exc:
            return error(400, "bad_request", f"Bad admin request: {exc}")
        return error(404, "Not Found", f"No admin route {request.method} {route}")

    def state(self) -> dict[str, Any]:
        return {
            "baseUrl": self.sim.base_url,
            "pageSize": self.sim.page_size,
            "latencySeconds": self.sim.latency_seconds,
            "listRequests": self.sim.list_requests,
            "listsAnswered": self.sim.lists_answered,
            "users": [
                {"login": u.login, "fullName": u.full_name, "token": u.token}
                for u in self.sim.store.users.values()
            ],
            "issues": len(self.sim.store.issues),
        }
