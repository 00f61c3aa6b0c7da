"""Jira Cloud: an Atlassian account's email address and API token, Basic auth over
https (plain http only to this machine's loopback, for the simulator and tests).

httpx and the REST modules are imported inside the methods that use them, so
listing providers at start-up stays cheap.
"""

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from agent.errors import InvalidParams, UnsupportedServer
from agent.providers.base import (
    Credentials,
    InstanceConfig,
    ParsedConfiguration,
    ServerCheck,
    TrackerProvider,
    TrackerSession,
)
from agent.providers.jira_cloud import methods
from agent.proxy import is_loopback
from agent.secret import Secret
from agent.settings import Settings
from agent.urls import normalize_base_url
from protocol.types import AuthMethod

CLOUD_EXAMPLE = "e.g. https://your-site.atlassian.net"

if TYPE_CHECKING:
    from agent.providers.jira_cloud.api import CloudApi

CAPABILITIES = (
    "issuebridge/issues/get",
    "issuebridge/issues/transition",
    "issuebridge/issues/comment",
    "issuebridge/issues/assignees",
    "issuebridge/issues/assign",
    "issuebridge/issues/startWork",
)


class JiraCloudProvider(TrackerProvider):
    id = "jira-cloud"
    name = "Jira Cloud"
    capabilities = CAPABILITIES
    key_style = "project"

    def auth_methods(self) -> list[AuthMethod]:
        return methods.auth_methods()

    def parse_configuration(self, auth_method: str, fields: dict[str, str]) -> ParsedConfiguration:
        method = self.auth_method(auth_method)
        if method is None:
            raise InvalidParams(
                "authMethod", f"Jira Cloud has no auth method {auth_method!r}; use apiToken."
            )
        for field in method.fields:
            value = fields.get(field.name)
            if field.required and (not isinstance(value, str) or not value.strip()):
                raise InvalidParams(
                    f"fields.{field.name}", f"{field.label} is required.", hint=field.help
                )
        base_url = normalize_base_url(fields["baseUrl"], example=CLOUD_EXAMPLE)
        parts = urlsplit(base_url)
        if parts.scheme != "https" and not is_loopback(parts.hostname or ""):
            raise InvalidParams(
                "fields.baseUrl",
                "Jira Cloud is served over https only; the site URL must start with https://.",
                hint="e.g. https://your-team.atlassian.net",
            )
        email = fields["email"].strip()
        if "@" not in email or any(c.isspace() for c in email):
            raise InvalidParams(
                "fields.email",
                "The email address is not one: it needs an @ and no spaces.",
                hint="The email address you log in to Atlassian with.",
            )
        token = fields["token"].strip()
        if any(c.isspace() for c in token):
            raise InvalidParams(
                "fields.token",
                "The API token contains spaces or line breaks; paste only the token itself.",
            )
        return ParsedConfiguration(
            base_url, auth_method, settings={"email": email}, secrets={"token": Secret(token)}
        )

    async def check(
        self, parsed: ParsedConfiguration, credentials: Credentials, settings: Settings
    ) -> ServerCheck:
        from agent.providers.jira_cloud.work import current_user

        api = self._api(parsed, credentials, settings)
        try:
            info = await api.cloud_server_info()
            version = str(info.get("version") or "") or None
            if str(info.get("deploymentType", "")).lower() != "cloud":
                raise UnsupportedServer(
                    f"{parsed.base_url} is Jira Server or Data Center, not Jira Cloud.",
                    hint="Use the Jira Server / Data Center provider with a personal access "
                    "token for this server.",
                    action="configure",
                    serverVersion=version,
                )
            user = await current_user(api)
            return ServerCheck(connected=True, user=user, server_version=version)
        finally:
            await api.client.aclose()

    def open_session(
        self, instance: InstanceConfig, credentials: Credentials, settings: Settings
    ) -> TrackerSession:
        from agent.providers.jira_cloud.session import JiraCloudSession

        return JiraCloudSession(
            lambda: self._api(instance, credentials, settings), settings.operation_timeout_seconds
        )

    def issue_url(self, instance: InstanceConfig, key: str) -> str | None:
        return f"{instance.base_url}/browse/{key}"

    def _api(
        self, instance: InstanceConfig, credentials: Credentials, settings: Settings
    ) -> "CloudApi":
        from agent.net import make_client
        from agent.providers.jira_cloud.api import CloudApi
        from agent.providers.jira_cloud.auth import ApiTokenAuth

        token = credentials.get("token")
        email = instance.settings.get("email", "")
        auth = ApiTokenAuth(email, token) if token is not None else None
        client = make_client(settings.http, settings.timeout_seconds, auth, settings.net_secrets)
        return CloudApi(client, instance.base_url, instance.auth_method, settings.timeout_seconds)
