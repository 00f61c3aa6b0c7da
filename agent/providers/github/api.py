"""A thin GitHub REST client: one request, GitHub's failures read the GitHub way.

Transport failures are `unreachable` (agent.net); what is safe to send again is, as
`agent.retry` decides (idempotent requests on a cut connection or a 502/503/504; 429s
after `retry-after`). GitHub's rate limits are read before that: the primary limit spent
(403 or 429 with `x-ratelimit-remaining: 0`) is `rateLimited` at once, with the seconds
until `x-ratelimit-reset` — GitHub asks for no request before then — and a secondary
limit answered 403 likewise. 401 is `authenticationFailed` (never retried). Each request
is bounded in time and size by `agent.net.exchange`.
"""

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from agent import retry
from agent.errors import AgentError, RateLimited, RemoteError, UnsupportedServer
from agent.net import address, exchange, redact_url
from agent.providers.github import failures

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("issuebridge.github")

API_VERSION = "2022-11-28"
HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}


class _Limited(Exception):
    """Raised inside an attempt so that `agent.retry` does not wait out a long limit."""

    def __init__(self, error: RateLimited) -> None:
        self.error = error


class GitHubApi:
    def __init__(self, client: "httpx.AsyncClient", base_url: str, timeout_seconds: float) -> None:
        self.client = client
        self.base_url = base_url
        self.timeout_seconds = timeout_seconds
        parts = urlsplit(base_url)
        self._origin = (parts.scheme, parts.netloc)

    async def send(self, method: str, url: str, **kwargs: Any) -> "httpx.Response":
        """One request (a path below the base URL, or a full URL of the same server, as a
        `Link` gives), sent again only where that is safe."""
        if url.startswith("/"):
            url = f"{self.base_url}{url}"
        else:
            self._same_server(url)
        headers = {**HEADERS, **kwargs.pop("headers", {})}

        async def attempt() -> "httpx.Response":
            try:
                response = await exchange(
                    self.client, method, url, self.timeout_seconds, headers=headers, **kwargs
                )
            except AgentError as exc:
                log.info("%s %s failed: %s", method, redact_url(url), exc.kind.value)
                raise
            log.debug("%s %s -> %s", method, redact_url(url), response.status_code)
            limited = failures.rate_limited(response)
            if limited is not None and not (
                response.status_code == 429 and response.headers.get("x-ratelimit-remaining") != "0"
            ):
                raise _Limited(limited)
            return response

        try:
            return await retry.send(
                attempt, method, url, self.timeout_seconds, retry.is_idempotent(method)
            )
        except _Limited as limited:
            raise limited.error from None
        except RateLimited as exc:
            raise failures.reworded(exc) from None

    async def request(self, method: str, url: str, *, what: str, **kwargs: Any) -> Any:
        """The JSON body of a successful answer, or the error the answer means."""
        return self.read(await self.send(method, url, **kwargs), what)

    def read(self, response: "httpx.Response", what: str) -> Any:
        status = response.status_code
        if status == 401:
            raise failures.authentication_failed(response)
        if 300 <= status < 400:
            target = response.headers.get("Location", "somewhere else")
            raise UnsupportedServer(
                f"{address(str(response.request.url))} redirected {what} to "
                f"{redact_url(target)[:200]}.",
                hint="Use GitHub's API address as the base URL: https://api.github.com, or "
                "https://HOST/api/v3 for GitHub Enterprise Server.",
                action="configure",
            )
        if status >= 400:
            raise failures.remote_error(response, what)
        if status == 204:
            return None
        body = failures.body_of(response)
        if body is None:
            raise failures.remote_error(response, what)
        return body

    def _same_server(self, url: str) -> None:
        """A page link elsewhere would take the token there: refused."""
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != self._origin:
            raise RemoteError(
                f"GitHub's answer linked the next page to another server "
                f"({address(url)}); issuebridge does not send the token there.",
                hint="A proxy in front of GitHub may be rewriting answers; check the base URL.",
                httpStatus=200,
                messages=["page link to another server"],
            )
