"""A thin Jira Cloud REST v3 client on the Jira provider's request machinery.

Sending, retrying (agent.retry: 429 after `Retry-After`, idempotent requests on a cut
connection or a 502/503/504), bounding each request (agent.net.exchange) and reading
Jira's error bodies (`{"errorMessages", "errors"}`) are Jira's own and the same on
Cloud: `JiraApi` does them. What differs is said here: a 401 means the email address
or the API token (Cloud answers it in plain text, without Server's `X-Seraph-*`
headers), and the resources live under `/rest/api/3`.
"""

from typing import TYPE_CHECKING, Any

from agent.errors import AuthenticationFailed, RemoteError, UnsupportedServer
from agent.providers.jira_cloud.methods import API_TOKEN_PAGE
from agent.providers.jira_server import failures
from agent.providers.jira_server.api import JiraApi

if TYPE_CHECKING:
    import httpx

API = "/rest/api/3"


class CloudApi(JiraApi):
    def _raise_for_failure(
        self, response: "httpx.Response", what: str, authenticated: bool
    ) -> None:
        if response.status_code == 401:
            raise rejected_credentials(response.status_code)
        if response.status_code == 410:
            raise UnsupportedServer(
                f"Jira Cloud no longer offers the API used for {what} (HTTP 410 Gone).",
                hint="Update issuebridge: Atlassian removed this API.",
                httpStatus=410,
                messages=failures.error_messages(response),
            )
        super()._raise_for_failure(response, what, authenticated)

    async def cloud_server_info(self) -> dict[str, Any]:
        """`/rest/api/3/serverInfo`, asked anonymously (Cloud serves it to anyone).
        Jira Server and Data Center have no API v3: after a 404 there, their v2 server
        info says what answered."""
        response = await self.send("GET", f"{API}/serverInfo", auth=None)
        try:
            info = self._read(response, "the server info request", authenticated=False)
        except RemoteError:
            if response.status_code >= 500:
                raise
            if response.status_code == 404:
                older = await self._v2_server_info()
                if older is not None:
                    return older
            raise failures.not_jira(response) from None
        except AuthenticationFailed:
            raise UnsupportedServer(
                f"{self.base_url} asked for a login before showing its server info, which "
                "Jira Cloud does not.",
                hint="Check the site URL: it is https://<your-site>.atlassian.net",
                action="configure",
            ) from None
        if not isinstance(info, dict) or not isinstance(info.get("versionNumbers"), list):
            raise failures.not_jira(response)
        return info

    async def _v2_server_info(self) -> dict[str, Any] | None:
        try:
            info = await self.server_info()
        except (RemoteError, UnsupportedServer):
            return None
        return info

    async def cloud_myself(self) -> dict[str, Any]:
        result = await self.request("GET", f"{API}/myself", what="the current user request")
        if not isinstance(result, dict) or not isinstance(result.get("accountId"), str):
            raise RemoteError(
                "Jira's answer about the current user has no accountId, which Jira Cloud "
                "always sends.",
                hint="Check the site URL: it should be a Jira Cloud site.",
                httpStatus=200,
                messages=["no accountId"],
                action="configure",
            )
        return result

    async def search_jql(
        self, jql: str, max_results: int, fields: list[str], next_page_token: str | None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"jql": jql, "maxResults": max_results, "fields": fields}
        if next_page_token:
            body["nextPageToken"] = next_page_token
        # A read sent as POST (a long JQL fits no URL): safe to send again.
        result = await self.request(
            "POST", f"{API}/search/jql", what="the search", json=body, idempotent=True
        )
        if not isinstance(result, dict) or not isinstance(result.get("issues"), list):
            raise RemoteError(
                "Jira's search answer has no issue list, which is not what Jira Cloud sends.",
                hint="Something other than Jira Cloud may be answering at this address; check "
                "the site URL.",
                httpStatus=200,
                messages=["unexpected search response"],
            )
        return result


def rejected_credentials(status: int) -> AuthenticationFailed:
    return AuthenticationFailed(
        "Jira Cloud rejected the email address and API token: the token is wrong, expired "
        "or revoked, or it belongs to another account.",
        hint=f"Check the email address, create a new API token at {API_TOKEN_PAGE} and "
        "configure again.",
        action="configure",
        httpStatus=status,
    )
