"""A thin YouTrack REST client: one request, YouTrack's failures read YouTrack's way.

Transport failures become `unreachable`; 401 `authenticationFailed` (never retried);
429 and 502/503/504 are sent again as `agent.retry` decides (a 429 that stays becomes
`rateLimited`); other errors and non-JSON answers become `remoteError` carrying
YouTrack's `error_description`. Each request is bounded by `agent.net.exchange`.
"""

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from agent import retry
from agent.errors import AgentError, RateLimited, RemoteError, UnsupportedServer
from agent.net import address, exchange, redact_url
from agent.providers.youtrack import failures

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("issuebridge.youtrack")

USER_FIELDS = "id,login,fullName,name,email"


class YouTrackApi:
    def __init__(self, client: "httpx.AsyncClient", base_url: str, timeout_seconds: float) -> None:
        self.client = client
        self.base_url = base_url
        self.timeout_seconds = timeout_seconds

    async def request(
        self,
        method: str,
        path: str,
        *,
        what: str,
        params: dict[str, Any] | None = None,
        idempotent: bool | None = None,
        **kwargs: Any,
    ) -> Any:
        """Send one request to `{base}/api{path}` and return its JSON, or raise what it means."""
        response = await self.send(
            method, f"/api{path}", params=params, idempotent=idempotent, **kwargs
        )
        return self.read(response, what)

    async def send(
        self, method: str, path: str, *, idempotent: bool | None = None, **kwargs: Any
    ) -> "httpx.Response":
        """One request, sent again only where that is safe (agent.retry; `idempotent`
        overrides the method's rule, for a read sent as POST)."""
        url = f"{self.base_url}{path}"

        async def attempt() -> "httpx.Response":
            try:
                response = await exchange(self.client, method, url, self.timeout_seconds, **kwargs)
            except AgentError as exc:
                log.info("%s %s failed: %s", method, redact_url(url), exc.kind.value)
                raise
            log.debug("%s %s -> %s", method, redact_url(url), response.status_code)
            return response

        try:
            return await retry.send(
                attempt, method, url, self.timeout_seconds, retry.is_idempotent(method, idempotent)
            )
        except RateLimited as exc:
            wait = exc.data.get("retryAfterSeconds")
            raise RateLimited(
                f"YouTrack is rate-limiting requests and asked to wait {wait} seconds.",
                hint="Wait a little and try again; fetching fewer issues sends fewer requests.",
                retryAfterSeconds=wait,
                action="retry",
            ) from None

    def read(self, response: "httpx.Response", what: str) -> Any:
        status = response.status_code
        if status == 401:
            raise failures.authentication_failure(response)
        if 300 <= status < 400:
            target = response.headers.get("Location", "somewhere else")
            raise UnsupportedServer(
                f"{address(str(response.request.url))} redirected {what} to "
                f"{redact_url(target)[:200]}.",
                hint="Use the address YouTrack redirects to as the URL (for example https:// "
                "instead of http://, or with the context path /youtrack).",
                action="configure",
            )
        if status >= 400:
            raise failures.remote_error(response, what)
        if status == 204 or not response.content:
            return None
        return failures.json_body(response)

    # --- resources ---------------------------------------------------------------

    async def me(self) -> dict[str, Any]:
        """`/api/users/me`: who the token belongs to; not YouTrack if it has no login."""
        response = await self.send("GET", "/api/users/me", params={"fields": USER_FIELDS})
        try:
            body = self.read(response, "the current user request")
        except RemoteError:
            if response.status_code >= 500:
                raise
            raise failures.not_youtrack(response, self.base_url) from None
        if not isinstance(body, dict) or not isinstance(body.get("login"), str):
            raise failures.not_youtrack(response, self.base_url)
        return body

    async def issues(self, query: str, skip: int, top: int, fields: str) -> list[Any]:
        params = {"query": query, "fields": fields, "$skip": skip, "$top": top}
        result = await self.request("GET", "/issues", what="the issue search", params=params)
        if not isinstance(result, list):
            raise RemoteError(
                "YouTrack's issue list is not a list, which is not what YouTrack sends.",
                hint="Something other than YouTrack may be answering at this address; check "
                "the URL.",
                httpStatus=200,
                messages=["unexpected issue list"],
            )
        return result

    async def count(self, query: str) -> int | None:
        """`/api/issuesGetter/count`: the number of issues `query` matches; None while
        YouTrack is still counting (it answers -1) or if it does not say."""
        result = await self.request(
            "POST",
            "/issuesGetter/count",
            what="the issue count",
            params={"fields": "count"},
            json={"query": query},
            idempotent=True,  # a read sent as POST: safe to send again
        )
        count = result.get("count") if isinstance(result, dict) else None
        return count if type(count) is int and count >= 0 else None

    async def issue(self, key: str, fields: str) -> dict[str, Any]:
        result = await self.request(
            "GET", f"/issues/{quote(key, safe='')}", what=f"issue {key}", params={"fields": fields}
        )
        return result if isinstance(result, dict) else {}

    async def comments(self, key: str, fields: str) -> list[Any]:
        result = await self.request(
            "GET",
            f"/issues/{quote(key, safe='')}/comments",
            what=f"the comments of {key}",
            params={"fields": fields, "$top": 1000},
        )
        return result if isinstance(result, list) else []

    async def add_comment(self, key: str, text: str, fields: str) -> dict[str, Any]:
        result = await self.request(
            "POST",
            f"/issues/{quote(key, safe='')}/comments",
            what=f"the comment on {key}",
            params={"fields": fields},
            json={"text": text},
        )
        return result if isinstance(result, dict) else {}

    async def command(self, key: str, query: str, comment: str | None = None) -> None:
        """Apply a command (`State {In Progress}`, `Assignee alice`) to one issue."""
        body: dict[str, Any] = {"query": query, "issues": [{"idReadable": key}]}
        if comment is not None:
            body["comment"] = comment
        await self.request("POST", "/commands", what=f"the command on {key}", json=body)

    async def users(self, query: str, top: int) -> list[Any]:
        result = await self.request(
            "GET",
            "/users",
            what="the user search",
            params={"query": query, "fields": f"{USER_FIELDS},banned", "$top": top},
        )
        return result if isinstance(result, list) else []
