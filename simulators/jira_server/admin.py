"""The simulator's own control API under ``{base}/_sim/`` (JSON, no authentication).

It exists for tests driven from other processes (Node, Playwright, the agent's demo):
everything the Python API can do to the simulator, over HTTP. It is not part of Jira;
fault injection never applies to it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from . import admin_oauth2
from .config import parse_version
from .data import jira_time
from .oauth2 import TOKEN_PATH
from .wire import Request, Response, error_response, json_response, no_content

if TYPE_CHECKING:
    from .server import JiraSimulator


class AdminApi:
    def __init__(self, simulator: JiraSimulator) -> None:
        self.sim = simulator

    def handle(self, request: Request) -> Response:
        route = request.path[len("/_sim") :].rstrip("/") or "/"
        try:
            raw: Any = json.loads(request.body.decode("utf-8")) if request.body else {}
        except ValueError:
            return error_response(400, ["Body is not JSON."])
        if not isinstance(raw, dict | list):
            return error_response(400, ["Body must be a JSON object or array."])
        body: dict[str, Any] = raw if isinstance(raw, dict) else {"issues": raw}
        key = (request.method, route)
        try:
            if key == ("GET", "/") or key == ("GET", "/state"):
                return json_response(200, self.state())
            if key == ("GET", "/users"):
                return json_response(200, self.users())
            if key == ("POST", "/users"):
                user = self.sim.add_user(
                    _str(body, "name"),
                    body.get("displayName"),
                    body.get("email"),
                    body.get("password"),
                )
                return json_response(201, self.user_json(user.name))
            if key == ("POST", "/consumers"):
                self.sim.add_oauth_consumer(
                    _str(body, "consumerKey"),
                    _str(body, "publicKeyPem"),
                    str(body.get("name") or "issuebridge"),
                )
                return json_response(201, {"consumerKey": body["consumerKey"]})
            if request.method == "DELETE" and route.startswith("/consumers/"):
                removed = self.sim.remove_oauth_consumer(route[len("/consumers/") :])
                return no_content() if removed else error_response(404, ["No such consumer."])
            if key == ("POST", "/issues"):
                items = body.get("issues", [body])
                created = [self.add_issue(item) for item in items]
                return json_response(201, {"issues": created})
            if key == ("DELETE", "/issues"):
                self.sim.clear_issues()
                return no_content()
            if key == ("PUT", "/version"):
                version = _str(body, "version")
                parse_version(version)
                self.sim.set_version(version)
                return json_response(200, self.state())
            if key == ("PUT", "/cap"):
                self.sim.config.max_results_cap = int(body["maxResults"])
                return json_response(200, self.state())
            if key == ("PUT", "/auto-approve"):
                self.sim.oauth_auto_approve = body.get("user")
                return json_response(200, self.state())
            if key == ("PUT", "/config"):
                self.configure(body)
                return json_response(200, self.state())
            if key == ("PUT", "/faults"):
                self.set_faults(body)
                return json_response(200, self.state())
            if key == ("PUT", "/network"):
                down = body.get("down")
                if not isinstance(down, bool):
                    raise ValueError('"down" must be true or false')
                self.sim.faults.network_down = down
                return json_response(200, self.state())
            if key == ("DELETE", "/faults"):
                self.sim.faults.clear()
                return no_content()
            if key == ("PUT", "/edits"):
                self.sim.edit_after_searches(
                    _str(body, "key"),
                    int(body.get("afterSearches", 1)),
                    bool(body.get("resolve", False)),
                )
                return json_response(200, self.state())
            if key == ("DELETE", "/edits"):
                self.sim.rest.edits.clear()
                return no_content()
            if key == ("POST", "/pats"):
                token = self.sim.create_pat(_str(body, "user"), str(body.get("name") or "admin"))
                return json_response(201, {"token": token})
            if key == ("POST", "/pats/revoke"):
                revoked = self.sim.revoke_pat(_str(body, "token"))
                return no_content() if revoked else error_response(404, ["No such token."])
            if key == ("POST", "/captcha/reset"):
                self.sim.reset_captcha(body.get("user"))
                return no_content()
            if key == ("GET", "/requests"):
                return json_response(200, self.requests())
            answer = admin_oauth2.handle(self.sim, request.method, route, body)
            if answer is not None:
                return answer
            if key == ("DELETE", "/requests"):
                self.sim.request_log.clear()
                return no_content()
        except (KeyError, ValueError, TypeError) as exc:
            return error_response(400, [f"Bad admin request: {exc}"])
        return error_response(404, [f"No simulator admin resource {request.method} {route}."])

    # -- views ------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        config = self.sim.config
        return {
            "baseUrl": self.sim.base_url,
            "version": config.version,
            "contextPath": config.context_path,
            "maxResultsCap": config.max_results_cap,
            "createmetaMaxResults": config.createmeta_max_results,
            "oauthAutoApprove": config.oauth_auto_approve,
            "requestTokenTtlSeconds": config.request_token_ttl_seconds,
            "captchaThreshold": config.captcha_threshold,
            "https": config.https,
            "tlsMode": config.tls_mode,
            "caCertPath": str(self.sim.ca_cert_path) if self.sim.ca_cert_path else None,
            "issueCount": len(self.sim.issues),
            "consumers": sorted(self.sim.oauth.consumers),
            "oauth2": admin_oauth2.settings_json(self.sim),
            "faults": {
                "latencyMs": int(self.sim.faults.latency_seconds * 1000),
                "pending": self.sim.faults.pending(),
                "networkDown": self.sim.faults.network_down,
            },
            "edits": self.sim.rest.edits.pending(),
            "searchCache": self.sim.rest.search_cache.stats(),
        }

    def user_json(self, name: str) -> dict[str, Any]:
        user = self.sim.user(name)
        tokens = [
            {"id": p.id, "name": p.name, "token": p.token, "revoked": p.revoked}
            for p in self.sim.store.pats
            if p.user_name == user.name
        ]
        return {
            "name": user.name,
            "key": user.key,
            "displayName": user.display_name,
            "email": user.email,
            "password": user.password,
            "pat": user.pat,
            "tokens": tokens,
        }

    def users(self) -> list[dict[str, Any]]:
        return [self.user_json(u.name) for u in self.sim.users]

    def requests(self) -> list[dict[str, Any]]:
        return [
            {
                "method": r.method,
                "path": r.path,
                "query": r.query_string,
                "headers": dict(r.headers.items()),
                "status": r.status,
                # Token requests: which grant (their secrets never reach the log).
                "grantType": r.form.get("grant_type") if r.path.endswith(TOKEN_PATH) else None,
            }
            for r in list(self.sim.request_log)
        ]

    # -- changes ---------------------------------------------------------------------------

    def add_issue(self, item: dict[str, Any]) -> dict[str, Any]:
        issue = self.sim.add_issue(
            str(item.get("project", "ISB")),
            str(item.get("summary", "Simulated issue")),
            issuetype=str(item.get("issuetype", "Task")),
            status=item.get("status"),
            assignee=item.get("assignee"),
            reporter=item.get("reporter"),
            priority=item.get("priority", "Medium"),
            resolution=item.get("resolution"),
            labels=item.get("labels"),
            description=item.get("description"),
            created=item.get("created"),
            updated=item.get("updated"),
        )
        return {"id": str(issue.id), "key": issue.key, "updated": jira_time(issue.updated)}

    def configure(self, body: dict[str, Any]) -> None:
        config = self.sim.config
        if "requestTokenTtlSeconds" in body:
            config.request_token_ttl_seconds = float(body["requestTokenTtlSeconds"])
        if "captchaThreshold" in body:
            config.captcha_threshold = int(body["captchaThreshold"])
        if "maxResultsCap" in body:
            config.max_results_cap = int(body["maxResultsCap"])
        if "createmetaMaxResults" in body:
            config.createmeta_max_results = int(body["createmetaMaxResults"])
        if "version" in body:
            self.sim.set_version(str(body["version"]))

    def set_faults(self, body: dict[str, Any]) -> None:
        faults = self.sim.faults
        match = body.get("match")
        if "latencyMs" in body:
            faults.latency_seconds = float(body["latencyMs"]) / 1000
        if body.get("html502"):
            faults.html_502(int(body["html502"]), match)
        unavailable = body.get("unavailable503")
        if isinstance(unavailable, dict):
            after = unavailable.get("retryAfter")
            faults.unavailable_503(
                int(unavailable.get("times", 1)),
                match,
                unavailable.get("method"),
                None if after is None else int(after),
            )
        elif unavailable:
            faults.unavailable_503(int(unavailable), match)
        if body.get("captcha"):
            faults.captcha(int(body["captcha"]), match)
        if body.get("nonJson200"):
            faults.non_json_200(int(body["nonJson200"]), match)
        if body.get("dropConnection"):
            faults.drop_connection(int(body["dropConnection"]), match)
        slow = body.get("slowResponse")
        if isinstance(slow, dict):
            faults.slow_response(float(slow["seconds"]), int(slow.get("times", 1)), match)
        limit = body.get("rateLimit")
        if isinstance(limit, dict):
            faults.rate_limit(int(limit.get("times", 1)), int(limit.get("retryAfter", 1)), match)


def _str(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise KeyError(name)
    return value
