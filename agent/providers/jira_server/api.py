"""A thin Jira REST v2 client: one request, Jira's failures read the Jira way.

Transport failures become `unreachable`; 401s become `authenticationFailed`
(never retried: repeated failed logins lock the account behind a CAPTCHA);
what is safe to send again is, as `agent.retry` decides (429s after `Retry-After`;
idempotent requests on a cut connection or a 502/503/504); other errors and
non-JSON answers become `remoteError` carrying Jira's messages. Each request is
bounded in time and size by `agent.net.exchange`.
"""

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from agent import retry
from agent.errors import (
    AgentError,
    AuthenticationFailed,
    RemoteError,
    UnsupportedServer,
)
from agent.net import address, exchange, redact_url
from agent.providers.jira_server import failures
from protocol.types import ProjectInfo

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("issuebridge.jira")


class JiraApi:
    def __init__(
        self, client: "httpx.AsyncClient", base_url: str, auth_method: str, timeout_seconds: float
    ) -> None:
        self.client = client
        self.base_url = base_url
        self.auth_method = auth_method
        self.timeout_seconds = timeout_seconds
        # Set when a 403 has a likelier cause than the account's permissions (an OAuth
        # 2.0 token of scope READ): what to say instead, and the next step.
        self.forbidden_hint: str | None = None

    async def request(
        self, method: str, path: str, *, what: str, authenticated: bool = True, **kwargs: Any
    ) -> Any:
        """Send one request and return its JSON body, or raise the error it means."""
        response = await self.send(method, path, **kwargs)
        return self._read(response, what, authenticated)

    async def request_form(
        self, method: str, path: str, *, what: str, **kwargs: Any
    ) -> dict[str, str]:
        """Send one request whose answer is form-encoded (the OAuth token endpoints)."""
        response = await self.send(method, path, **kwargs)
        self._raise_for_failure(response, what, authenticated=False)
        form = parse_qs(response.text.strip(), keep_blank_values=True)
        return {key: values[0] for key, values in form.items()}

    async def send(
        self, method: str, path: str, *, idempotent: bool | None = None, **kwargs: Any
    ) -> "httpx.Response":
        """One request with its answer read in full (bounded in time and size), sent
        again only where that is safe (agent.retry; `idempotent` overrides the method's
        rule, for reads sent as POST), all within the request's timeout."""
        url = f"{self.base_url}{path}"

        async def attempt() -> "httpx.Response":
            try:
                response = await exchange(self.client, method, url, self.timeout_seconds, **kwargs)
            except AgentError as exc:
                log.info("%s %s failed: %s", method, redact_url(url), exc.kind.value)
                raise
            log.debug("%s %s -> %s", method, redact_url(url), response.status_code)
            return response

        safe = retry.is_idempotent(method, idempotent)
        return await retry.send(attempt, method, url, self.timeout_seconds, safe)

    def read(self, response: "httpx.Response", what: str) -> Any:
        """The JSON of an answer `send` got, or the error it means (as `request` does)."""
        return self._read(response, what, authenticated=True)

    def _read(self, response: "httpx.Response", what: str, authenticated: bool) -> Any:
        self._raise_for_failure(response, what, authenticated)
        if response.status_code == 204:
            return None  # No Content: what a transition or an assignment answers
        return failures.json_body(response)

    def _raise_for_failure(
        self, response: "httpx.Response", what: str, authenticated: bool
    ) -> None:
        status = response.status_code
        denied = response.headers.get("X-Seraph-LoginReason") == "AUTHENTICATION_DENIED"
        if status == 401 or (status == 403 and denied):
            raise failures.authentication_failure(response, self.auth_method)
        if status >= 400 and "oauth_problem" in failures.oauth_parameters(response):
            # OAuth problems come as 400 and 503 too (timestamp_refused, consumer_key_refused).
            raise failures.authentication_failure(response, self.auth_method)
        if authenticated and response.headers.get("X-AUSERNAME") == "anonymous":
            # An anonymous-readable resource can answer 200 to a failed login.
            raise failures.authentication_failure(response, self.auth_method)
        if 300 <= status < 400:
            target = response.headers.get("Location", "somewhere else")
            raise UnsupportedServer(
                f"{address(str(response.request.url))} redirected {what} to "
                f"{redact_url(target)[:200]}.",
                hint="Use the address Jira redirects to as the base URL (for example https:// "
                "instead of http://, or with the right context path).",
                action="configure",
            )
        if status >= 400:
            error = failures.remote_error(response, what)
            if status == 403 and self.forbidden_hint:
                error.hint, error.data["action"] = self.forbidden_hint, "configure"
            raise error

    # --- resources ---------------------------------------------------------------

    async def server_info(self, anonymous: bool = True) -> dict[str, Any]:
        """`/rest/api/2/serverInfo`. Jira serves it to anyone; `anonymous=False` sends the
        credentials, for servers set up to refuse anonymous requests (LoginRequired)."""
        options: dict[str, Any] = {"auth": None} if anonymous else {}
        what = "the server info request"
        # Transport failures, rate limits, oversized answers and 5xx keep their own kind;
        # another error status or a body that is not Jira's means no Jira at this address.
        response = await self.send("GET", "/rest/api/2/serverInfo", **options)
        try:
            info = self._read(response, what, authenticated=not anonymous)
        except RemoteError:
            if response.status_code >= 500:
                raise  # failing now, perhaps a Jira: worth a retry
            raise failures.not_jira(response) from None
        except AuthenticationFailed:
            if not anonymous:
                raise
            raise LoginRequired(
                f"{self.base_url} asked for a login before showing its server info.",
                hint="Check the base URL; a single sign-on page may be in front of Jira.",
                action="configure",
            ) from None
        numbers = info.get("versionNumbers") if isinstance(info, dict) else None
        if not isinstance(numbers, list) or not numbers or any(type(n) is not int for n in numbers):
            raise failures.not_jira(response)  # a Jira gives [9, 12, 0]
        return dict(info)

    async def myself(self) -> dict[str, Any]:
        result = await self.request("GET", "/rest/api/2/myself", what="the current user request")
        return result if isinstance(result, dict) else {}

    async def projects(self) -> list[ProjectInfo]:
        """Every project the user can see (`/rest/api/2/project`, not paged)."""
        result = await self.request("GET", "/rest/api/2/project", what="the project list")
        if not isinstance(result, list):
            raise RemoteError(
                "Jira's project list is not a list, which is not what Jira sends.",
                httpStatus=200,
                messages=["unexpected project list"],
            )
        named = (p for p in result if isinstance(p, dict))
        return [
            ProjectInfo(key=p["key"], name=p["name"], id=str(p.get("id") or ""))
            for p in named
            if isinstance(p.get("key"), str) and isinstance(p.get("name"), str)
        ]

    async def search(
        self,
        jql: str,
        start_at: int,
        max_results: int,
        fields: list[str],
        validate_query: bool = True,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "jql": jql,
            "startAt": start_at,
            "maxResults": max_results,
            "fields": fields,
        }
        if not validate_query:
            # Jira then reports values that do not exist (a deleted issue's key) as
            # warnings and matches nothing for them, instead of refusing the query.
            body["validateQuery"] = False
        # A read sent as POST (a long JQL fits no URL): safe to send again.
        result = await self.request(
            "POST", "/rest/api/2/search", what="the search", json=body, idempotent=True
        )
        if not isinstance(result, dict) or not isinstance(result.get("issues"), list):
            raise RemoteError(
                "Jira's search answer has no issue list, which is not what Jira sends.",
                hint="Something other than Jira may be answering at this address (a proxy or "
                "another application); check the base URL.",
                httpStatus=200,
                messages=["unexpected search response"],
            )
        return result


class LoginRequired(UnsupportedServer):
    """Anonymous requests are refused, even for the server info."""
