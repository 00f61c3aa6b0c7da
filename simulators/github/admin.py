"""The simulator's own control API under `{base}/_sim/` (JSON, no authentication), for
tests in other processes. Not part of GitHub; faults and latency never apply to it.

- `GET /_sim/state`: page cap, rate limit, faults, how many list/search requests so far.
- `PUT /_sim/config` `{"pageSize": n, "rateLimit": n}`: cap `per_page`; requests per hour.
- `PUT /_sim/faults` `{"status": 503, "count": 2, "kind": "primary"|"secondary",
  "retryAfter": 1, "resetIn": 60, "latencySeconds": 0.5}`; `DELETE /_sim/faults`.
- `PUT /_sim/network` `{"down": true}`: refuse connections (the VPN dropped); the
  admin API goes with it, so a test in another process restores it by restarting.
- `GET /_sim/users`: logins, names and tokens; `POST /_sim/users` `{"login", "name"?,
  "token"?}`.
- `POST /_sim/tokens/revoke` `{"login"}`: the user's token answers 401 from now on.
- `POST /_sim/issues` `{"repo", "title", "assignees"?, "state"?, "pullRequest"?}`.
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any

from simulators.common.wire import Request, Response, json_response, no_content

if TYPE_CHECKING:
    from .server import GitHubSimulator


class AdminApi:
    def __init__(self, simulator: GitHubSimulator) -> None:
        self.sim = simulator

    def state(self) -> dict[str, Any]:
        return {
            "apiUrl": self.sim.api_url,
            "enterprise": self.sim.enterprise,
            "pageSize": self.sim.page_cap,
            "rateLimit": self.sim.rate_limit,
            "listRequests": self.sim.list_requests,
            "faults": self.sim.faults.state(),
        }

    def handle(self, request: Request) -> Response:
        route = request.path[len("/_sim") :].rstrip("/") or "/"
        try:
            body: Any = json.loads(request.body.decode("utf-8")) if request.body else {}
        except ValueError:
            return json_response(400, {"message": "Body is not JSON."})
        if not isinstance(body, dict):
            return json_response(400, {"message": "Body must be a JSON object."})
        key = (request.method, route)
        try:
            if key in (("GET", "/"), ("GET", "/state")):
                return json_response(200, self.state())
            if key == ("PUT", "/config"):
                if "pageSize" in body:
                    self.sim.page_cap = _positive(body, "pageSize")
                if "rateLimit" in body:
                    self.sim.rate_limit = _positive(body, "rateLimit")
                return json_response(200, self.state())
            if key == ("PUT", "/faults"):
                if "latencySeconds" in body:
                    self.sim.faults.latency_seconds = float(body["latencySeconds"])
                if "status" in body:
                    self.sim.faults.fail_lists(
                        int(body["status"]),
                        int(body.get("count", 1)),
                        str(body.get("kind", "primary")),
                        int(body.get("retryAfter", 1)),
                        int(body.get("resetIn", 60)),
                    )
                return json_response(200, self.state())
            if key == ("DELETE", "/faults"):
                self.sim.faults.clear()
                return no_content()
            if key == ("PUT", "/network"):
                if body.get("down") is True:
                    # After this answer has gone out: the handler runs on the server.
                    threading.Timer(0.05, self.sim.drop_network).start()
                return json_response(200, self.state())
            if key == ("GET", "/users"):
                return json_response(200, self.users())
            if key == ("POST", "/users"):
                user = self.sim.data.add_user(
                    str(body["login"]), str(body.get("name") or ""), body.get("token")
                )
                return json_response(201, {"login": user.login, "token": user.token})
            if key == ("POST", "/tokens/revoke"):
                revoked = self.sim.data.revoke(str(body["login"]))
                return no_content() if revoked else json_response(404, {"message": "No such user."})
            if key == ("POST", "/issues"):
                issue = self.sim.data.add_issue(
                    str(body["repo"]),
                    str(body["title"]),
                    str(body.get("author") or "carol"),
                    [str(a) for a in body.get("assignees", [])],
                    str(body.get("state") or "open"),
                    bool(body.get("pullRequest", False)),
                )
                return json_response(201, {"key": issue.key, "number": issue.number})
        except (KeyError, ValueError, TypeError) as exc:
            return json_response(400, {"message": f"Bad admin request: {exc}"})
        return json_response(404, {"message": f"No admin route {request.method} {route}."})

    def users(self) -> list[dict[str, str]]:
        with self.sim.data.lock:
            return [
                {"login": u.login, "name": u.name, "token": u.token}
                for u in self.sim.data.users.values()
            ]


def _positive(body: dict[str, Any], name: str) -> int:
    value = int(body[name])
    if value < 1:
        raise ValueError(f"{name} must be 1 or more")
    return value
