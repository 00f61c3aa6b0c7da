"""The OAuth 2.0 method as the Jira provider runs it: the form, configure's checks,
the authorization, and each session's self-renewing Bearer auth. The requests are
`oauth2.py`'s; `provider.py` only says that `oauth2` comes here."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from agent.errors import NotConnected
from agent.providers.base import Credentials, InstanceConfig, ParsedConfiguration
from agent.providers.base import PendingAuthorization as Pending
from agent.providers.jira_server import oauth2
from agent.secret import Secret

if TYPE_CHECKING:
    import httpx

    from agent.providers.jira_server.api import JiraApi

# A new client without credentials (the token endpoint authenticates by its form).
PlainApi = Callable[[], "JiraApi"]


def parse(base_url: str, fields: dict[str, str]) -> ParsedConfiguration:
    link = oauth2.parse_link(fields)
    secret = Secret(fields["clientSecret"].strip())
    return ParsedConfiguration(
        base_url, "oauth2", settings=link.settings(), secrets={"clientSecret": secret}
    )


async def check(
    api: "JiraApi",
    instance: InstanceConfig,
    credentials: Credentials,
    version: str | None,
    numbers: tuple[int, ...],
) -> None:
    """The version, then the client id (and redirect URI), then the secret."""
    if numbers:  # without the server info (anonymous access refused) the endpoints decide
        oauth2.require_version(version, numbers)
    link = oauth2.Link.of(instance.settings)
    await oauth2.probe_client(api, link)
    await oauth2.probe_secret(api, link, client_secret(credentials))


def start(instance: InstanceConfig, credentials: Credentials) -> Pending:
    client_secret(credentials)  # present, before the browser opens
    return oauth2.start(instance.base_url, oauth2.Link.of(instance.settings))


async def exchange(
    plain_api: PlainApi,
    instance: InstanceConfig,
    credentials: Credentials,
    pending: Pending,
    code: str,
) -> dict[str, Secret]:
    """The code exchanged: the secrets to store."""
    api = plain_api()
    try:
        tokens = await oauth2.exchange(
            api,
            oauth2.Link.of(instance.settings),
            client_secret(credentials),
            pending,
            Secret(code),
        )
    finally:
        await api.client.aclose()
    return tokens.secrets()


def session_auth(
    plain_api: PlainApi, instance: InstanceConfig, credentials: Credentials
) -> "httpx.Auth | None":
    """A Bearer auth that renews itself: one grant per session, shared by every client
    the session makes (one refresh at a time)."""
    from agent.auth.bearer_refresh import RefreshingBearerAuth, TokenGrant
    from agent.auth.oauth2 import Tokens

    tokens = Tokens.from_secrets(credentials.values)
    if tokens is None:
        return None
    link = oauth2.Link.of(instance.settings)

    async def refresh(refresh_token: Secret) -> Tokens:
        api = plain_api()
        try:
            return await oauth2.refresh(api, link, client_secret(credentials), refresh_token)
        finally:
            await api.client.aclose()

    return RefreshingBearerAuth(TokenGrant(tokens, refresh, credentials.renewal))


def forbidden_hint(instance: InstanceConfig) -> str | None:
    """A READ token is refused every change: that, not the account, explains a 403."""
    if oauth2.Link.of(instance.settings).scope != "READ":
        return None
    return (
        "This instance's OAuth 2.0 scope is READ, which lets issuebridge read but change "
        "nothing. To comment, move or create issues, configure it with scope WRITE (the "
        "link's permission must allow it) and authorize again."
    )


def client_secret(credentials: Credentials) -> Secret:
    secret = credentials.get("clientSecret")
    if secret is None:
        raise NotConnected(
            "The client secret of this instance is not available on this machine.",
            hint="Configure the instance again with the link's client secret (or unlock "
            "the team's).",
            action="configure",
        )
    return secret
