"""YouTrack (Cloud or Server): a permanent token sent as `Authorization: Bearer`.

The base URL is the service's address (`https://example.youtrack.cloud`, or Server's
with its context path, `https://example.com/youtrack`); the REST API is below it at
`/api`. httpx and the REST modules are imported inside the methods that use them, so
listing providers at start-up stays cheap.
"""

from collections.abc import Generator
from typing import TYPE_CHECKING

from agent.errors import InvalidParams
from agent.providers.base import (
    Credentials,
    InstanceConfig,
    ParsedConfiguration,
    ServerCheck,
    TrackerProvider,
    TrackerSession,
)
from agent.providers.youtrack import methods
from agent.secret import Secret
from agent.settings import Settings
from agent.urls import normalize_base_url
from protocol.types import AuthMethod

if TYPE_CHECKING:
    import httpx

    from agent.providers.youtrack.api import YouTrackApi


class YouTrackProvider(TrackerProvider):
    id = "youtrack"
    name = "YouTrack"
    capabilities = (
        "issuebridge/issues/get",
        "issuebridge/issues/transition",
        "issuebridge/issues/comment",
        "issuebridge/issues/assignees",
        "issuebridge/issues/assign",
        "issuebridge/issues/startWork",
    )
    key_style = "project"

    def auth_methods(self) -> list[AuthMethod]:
        return methods.auth_methods()

    def parse_configuration(self, auth_method: str, fields: dict[str, str]) -> ParsedConfiguration:
        method = self.auth_method(auth_method)
        if method is None:
            raise InvalidParams(
                "authMethod", f"YouTrack has no auth method {auth_method!r}; use token."
            )
        for field in method.fields:
            if field.required and not fields.get(field.name, "").strip():
                raise InvalidParams(
                    f"fields.{field.name}", f"{field.label} is required.", hint=field.help
                )
        base_url = normalize_base_url(fields["baseUrl"], example=YOUTRACK_EXAMPLE)
        # The REST API's own address pasted by mistake: the service is one level up.
        for suffix in ("/api", "/rest"):
            if base_url.endswith(suffix):
                base_url = base_url[: -len(suffix)]
        token = fields["token"].strip()
        if token.lower().startswith("bearer "):
            token = token[len("bearer ") :].strip()
        if any(c.isspace() for c in token):
            raise InvalidParams(
                "fields.token",
                "The token contains spaces or line breaks; paste only the token itself.",
            )
        return ParsedConfiguration(base_url, auth_method, secrets={"token": Secret(token)})

    async def check(
        self, parsed: ParsedConfiguration, credentials: Credentials, settings: Settings
    ) -> ServerCheck:
        from agent.providers.youtrack.work import current_user

        api = self._api(parsed, credentials, settings)
        try:
            user = await current_user(api)
        finally:
            await api.client.aclose()
        return ServerCheck(connected=True, user=user)

    def open_session(
        self, instance: InstanceConfig, credentials: Credentials, settings: Settings
    ) -> TrackerSession:
        from agent.providers.youtrack.session import YouTrackSession

        return YouTrackSession(
            lambda: self._api(instance, credentials, settings),
            settings.operation_timeout_seconds,
        )

    def issue_url(self, instance: InstanceConfig, key: str) -> str | None:
        return f"{instance.base_url}/issue/{key}"

    def _api(
        self, instance: InstanceConfig, credentials: Credentials, settings: Settings
    ) -> "YouTrackApi":
        from agent.net import make_client
        from agent.providers.youtrack.api import YouTrackApi

        token = credentials.get("token")
        client = make_client(
            settings.http,
            settings.timeout_seconds,
            _bearer(token) if token is not None else None,
            settings.net_secrets,
        )
        return YouTrackApi(client, instance.base_url, settings.timeout_seconds)


YOUTRACK_EXAMPLE = "e.g. https://example.youtrack.cloud or https://example.com/youtrack"


def _bearer(token: Secret) -> "httpx.Auth":
    import httpx

    class PermanentToken(httpx.Auth):
        def auth_flow(
            self, request: httpx.Request
        ) -> Generator[httpx.Request, httpx.Response, None]:
            request.headers["Authorization"] = f"Bearer {token.reveal()}"
            yield request

    return PermanentToken()
