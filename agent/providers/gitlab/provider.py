"""GitLab (gitlab.com and self-managed): a personal access token, REST API v4.

httpx and the REST modules are imported inside the methods that use them, so listing
providers at start-up stays cheap.
"""

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from agent.errors import InvalidParams
from agent.providers.base import (
    Credentials,
    InstanceConfig,
    ParsedConfiguration,
    ServerCheck,
    TrackerProvider,
    TrackerSession,
)
from agent.providers.gitlab import methods
from agent.providers.gitlab.keys import parse_key
from agent.providers.gitlab.urls import gitlab_base_url
from agent.providers.remotes import repository_path
from agent.secret import Secret
from agent.settings import Settings
from protocol.types import AuthMethod

if TYPE_CHECKING:
    from agent.providers.gitlab.api import GitLabApi


class GitLabProvider(TrackerProvider):
    id = "gitlab"
    name = "GitLab"
    capabilities = (
        "issuebridge/projects/list",
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
                "authMethod", f"GitLab has no auth method {auth_method!r}; use token."
            )
        raw_url = fields.get("baseUrl", "").strip() or methods.DEFAULT_BASE_URL
        token = fields.get("token", "").strip()
        if not token:
            raise InvalidParams(
                "fields.token", "Personal access token is required.", hint=method.fields[1].help
            )
        if any(c.isspace() for c in token):
            raise InvalidParams(
                "fields.token",
                "The token contains spaces or line breaks; paste only the token itself.",
            )
        base_url = gitlab_base_url(raw_url)
        return ParsedConfiguration(base_url, auth_method, secrets={"token": Secret(token)})

    async def check(
        self, parsed: ParsedConfiguration, credentials: Credentials, settings: Settings
    ) -> ServerCheck:
        from agent.providers.gitlab.issues import to_user

        api = self._api(parsed, credentials, settings)
        try:
            user = to_user(await api.current_user())
            version = await api.version()
        finally:
            await api.client.aclose()
        return ServerCheck(connected=True, user=user, server_version=version)

    def open_session(
        self, instance: InstanceConfig, credentials: Credentials, settings: Settings
    ) -> TrackerSession:
        from agent.providers.gitlab.session import GitLabSession

        return GitLabSession(
            lambda: self._api(instance, credentials, settings), settings.operation_timeout_seconds
        )

    def issue_url(self, instance: InstanceConfig, key: str) -> str | None:
        """`{base}/group/project/-/issues/12`, GitLab's `web_url` of the issue."""
        try:
            ref = parse_key(key)
        except InvalidParams:
            return None
        return f"{instance.base_url}/{ref.project}/-/issues/{ref.iid}"

    def repository_of_remote(self, instance: InstanceConfig, remote_url: str) -> str | None:
        """`group/sub/project` of a remote on this instance's host (any scheme, any port:
        ssh often listens elsewhere than https), below the base URL's path for http(s)."""
        web = urlsplit(instance.base_url)
        hosts = {web.hostname.lower()} if web.hostname else set()
        path = repository_path(remote_url, hosts, web.path)
        if path is None or "/" not in path or "/-/" in f"/{path}/":
            return None
        return path

    def _api(
        self, instance: InstanceConfig, credentials: Credentials, settings: Settings
    ) -> "GitLabApi":
        from agent.net import make_client
        from agent.providers.gitlab.api import GitLabApi
        from agent.providers.gitlab.auth import PrivateTokenAuth

        token = credentials.get("token")
        auth = PrivateTokenAuth(token) if token is not None else None
        client = make_client(settings.http, settings.timeout_seconds, auth, settings.net_secrets)
        return GitLabApi(client, instance.base_url, settings.timeout_seconds)
