"""GitHub and GitHub Enterprise Server: a personal access token against the REST API
(`https://api.github.com`, or `https://HOST/api/v3`).

httpx and the REST modules are imported inside the methods that use them, so listing
providers at start-up stays cheap.
"""

from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from agent.errors import InvalidParams, UnsupportedServer
from agent.providers.base import (
    Credentials,
    InstanceConfig,
    ParsedConfiguration,
    ServerCheck,
    TrackerProvider,
    TrackerSession,
)
from agent.providers.github import methods
from agent.secret import Secret
from agent.settings import Settings
from agent.urls import normalize_base_url
from protocol.types import AuthMethod

if TYPE_CHECKING:
    from agent.providers.github.api import GitHubApi

# github.com's web address typed instead of its API's.
_WEB_HOSTS = ("github.com", "www.github.com")


class GitHubProvider(TrackerProvider):
    id = "github"
    name = "GitHub / GitHub Enterprise Server"
    # startWork is left out: GitHub has no "in progress" state to move an issue into.
    capabilities = (
        "issuebridge/issues/get",
        "issuebridge/issues/transition",
        "issuebridge/issues/comment",
        "issuebridge/issues/assignees",
        "issuebridge/issues/assign",
    )
    key_style = "repository"

    def auth_methods(self) -> list[AuthMethod]:
        return methods.auth_methods()

    def parse_configuration(self, auth_method: str, fields: dict[str, str]) -> ParsedConfiguration:
        method = self.auth_method(auth_method)
        if method is None:
            raise InvalidParams(
                "authMethod", f"GitHub has no auth method {auth_method!r}; use token."
            )
        raw_url = fields.get("baseUrl", methods.DEFAULT_BASE_URL)
        if not isinstance(raw_url, str) or not raw_url.strip():
            raise InvalidParams(
                "fields.baseUrl",
                "GitHub API URL is required.",
                hint=f"{methods.DEFAULT_BASE_URL} for github.com; https://HOST/api/v3 for "
                "GitHub Enterprise Server.",
            )
        base_url = api_base_url(_normalized(raw_url))
        token = fields.get("token", "")
        token = token.strip() if isinstance(token, str) else ""
        if not token:
            raise InvalidParams("fields.token", "Personal access token is required.")
        if any(c.isspace() for c in token):
            raise InvalidParams(
                "fields.token",
                "The token contains spaces or line breaks; paste only the token itself.",
            )
        return ParsedConfiguration(base_url, auth_method, secrets={"token": Secret(token)})

    async def check(
        self, parsed: ParsedConfiguration, credentials: Credentials, settings: Settings
    ) -> ServerCheck:
        from agent.providers.github.issues import to_user

        api = self._api(parsed, credentials, settings)
        try:
            response = await api.send("GET", "/user")
            # A web page, or no such resource: not GitHub's API at this address.
            web_page = response.status_code == 200 and "json" not in _content_type(response)
            if response.status_code in (404, 406) or web_page:
                raise not_github(parsed.base_url)
            me = api.read(response, "the current user request")
            if not isinstance(me, dict) or not isinstance(me.get("login"), str):
                raise not_github(parsed.base_url)
            enterprise = response.headers.get("x-github-enterprise-version")
            version = f"GitHub Enterprise Server {enterprise}" if enterprise else None
            return ServerCheck(connected=True, user=to_user(me), server_version=version)
        finally:
            await api.client.aclose()

    def open_session(
        self, instance: InstanceConfig, credentials: Credentials, settings: Settings
    ) -> TrackerSession:
        from agent.providers.github.session import GitHubSession

        return GitHubSession(
            lambda: self._api(instance, credentials, settings), settings.operation_timeout_seconds
        )

    def issue_url(self, instance: InstanceConfig, key: str) -> str | None:
        """The issue's web page: `https://github.com/o/r/issues/12`, or on the Enterprise
        host (`https://HOST/o/r/issues/12` for `https://HOST/api/v3`)."""
        from agent.providers.github.issues import parse_key
        from agent.providers.github.web import web_url

        try:
            owner, repo, number = parse_key(key)
        except InvalidParams:
            return None
        return f"{web_url(instance.base_url)}/{owner}/{repo}/issues/{number}"

    def repository_of_remote(self, instance: InstanceConfig, remote_url: str) -> str | None:
        """`owner/repo` of a remote on this instance's web host (github.com's remotes
        also on ssh.github.com), in any form git takes."""
        from agent.providers.github.issues import KEY
        from agent.providers.github.web import remote_hosts
        from agent.providers.remotes import repository_path

        hosts, prefix = remote_hosts(instance.base_url)
        path = repository_path(remote_url, hosts, prefix)
        if path is None or KEY.fullmatch(f"{path}#1") is None:
            return None
        return path

    def _api(
        self, instance: InstanceConfig, credentials: Credentials, settings: Settings
    ) -> "GitHubApi":
        from agent.net import make_client
        from agent.providers.github.api import GitHubApi
        from agent.providers.github.auth import TokenAuth

        token = credentials.get("token")
        client = make_client(
            settings.http,
            settings.timeout_seconds,
            TokenAuth(token) if token is not None else None,
            settings.net_secrets,
        )
        return GitHubApi(client, instance.base_url, settings.timeout_seconds)


def api_base_url(base_url: str) -> str:
    """github.com's web address means its API (https://api.github.com)."""
    parts = urlsplit(base_url)
    if parts.hostname in _WEB_HOSTS and parts.path in ("", "/api/v3"):
        return methods.DEFAULT_BASE_URL
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


_EXAMPLE = "e.g. https://api.github.com, or https://github.example.com/api/v3"


def _normalized(raw_url: str) -> str:
    return normalize_base_url(raw_url, example=_EXAMPLE)


def not_github(base_url: str) -> UnsupportedServer:
    parts = urlsplit(base_url)
    suggestion = (
        f" For GitHub Enterprise Server, use {base_url}/api/v3." if parts.path in ("", "/") else ""
    )
    return UnsupportedServer(
        f"{base_url} does not answer as GitHub's REST API (GET /user).{suggestion}",
        hint="Use https://api.github.com for github.com, or https://HOST/api/v3 for GitHub "
        "Enterprise Server.",
        action="configure",
    )


def _content_type(response: object) -> str:
    headers = getattr(response, "headers", {})
    return str(headers.get("Content-Type", "")).lower()
