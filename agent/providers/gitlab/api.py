"""A thin GitLab REST API v4 client: one request, GitLab's failures read the GitLab way.

Transport failures are `unreachable` (agent.net); a 401 is `authenticationFailed`
(never retried); 429s wait `Retry-After` and 502/503/504 are sent again where safe
(agent.retry); other errors and non-JSON answers become `remoteError` with GitLab's
message. Redirects are not followed: a 3xx says the base URL is not the API's.
"""

import logging
from typing import TYPE_CHECKING, Any

from agent import retry
from agent.errors import AgentError, RateLimited, RemoteError, UnsupportedServer
from agent.net import address, exchange, redact_url
from agent.providers.gitlab import failures

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("issuebridge.gitlab")


class GitLabApi:
    def __init__(self, client: "httpx.AsyncClient", base_url: str, timeout_seconds: float) -> None:
        self.client = client
        self.base_url = base_url
        self.api_url = f"{base_url}/api/v4"
        self.timeout_seconds = timeout_seconds

    async def send(self, method: str, path_or_url: str, **kwargs: Any) -> "httpx.Response":
        url = path_or_url if "://" in path_or_url else f"{self.api_url}{path_or_url}"

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
                attempt, method, url, self.timeout_seconds, retry.is_idempotent(method)
            )
        except RateLimited as exc:
            # agent.retry words it for Jira; the wait it read is GitLab's Retry-After.
            wait = exc.data.get("retryAfterSeconds")
            exc.message = f"GitLab is rate-limiting requests and asked to wait {wait} seconds."
            exc.args = (exc.message,)
            raise

    async def request(self, method: str, path: str, *, what: str, **kwargs: Any) -> Any:
        response = await self.send(method, path, **kwargs)
        return self.read(response, what)

    def read(self, response: "httpx.Response", what: str) -> Any:
        status = response.status_code
        if status == 401:
            raise failures.authentication_failure(response)
        if 300 <= status < 400:
            target = response.headers.get("Location", "somewhere else")
            raise UnsupportedServer(
                f"{address(str(response.request.url))} redirected {what} to "
                f"{redact_url(target)[:200]}.",
                hint="Use the address GitLab redirects to as the base URL (for example "
                "https:// instead of http://).",
                action="configure",
            )
        if status >= 400:
            raise failures.remote_error(response, what)
        body = failures.parse_json(response)
        if body is failures._NOT_JSON:
            raise failures.not_json(response)
        return body

    async def current_user(self) -> dict[str, Any]:
        """`GET /user`; an answer that is not GitLab's user means no GitLab here."""
        response = await self.send("GET", "/user")
        try:
            body = self.read(response, "the current user request")
        except RemoteError:
            if response.status_code >= 500 or failures.insufficient_scope(response):
                raise
            raise failures.not_gitlab(response) from None
        if not isinstance(body, dict) or not isinstance(body.get("username"), str):
            raise failures.not_gitlab(response)
        return body

    async def version(self) -> str | None:
        """GitLab's version (`GET /version`), or None where the token may not read it."""
        try:
            body = await self.request("GET", "/version", what="the version request")
        except RemoteError:
            return None
        version = body.get("version") if isinstance(body, dict) else None
        return version if isinstance(version, str) else None

    def expect_list(self, body: Any, what: str) -> list[Any]:
        if not isinstance(body, list):
            raise RemoteError(
                f"GitLab's answer to {what} is not a list, which is not what GitLab sends.",
                hint="Something other than GitLab may be answering at this address; check "
                "the base URL.",
                httpStatus=200,
                messages=["unexpected answer"],
            )
        return body
