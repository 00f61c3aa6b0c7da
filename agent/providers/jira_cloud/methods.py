"""Jira Cloud's one auth method: an Atlassian account's email address and API token."""

from protocol.types import AuthMethod, Field

API_TOKEN_PAGE = "https://id.atlassian.com/manage-profile/security/api-tokens"

API_TOKEN_METHOD = AuthMethod(
    id="apiToken",
    label="Email and API token",
    description="Connect with your Atlassian account's email address and an API token "
    "(sent with Basic authentication, over https only).",
    fields=[
        Field(
            name="baseUrl",
            label="Jira site URL",
            kind="url",
            required=True,
            help="Your site's address, e.g. https://your-team.atlassian.net",
        ),
        Field(
            name="email",
            label="Email address",
            kind="text",
            required=True,
            help="The email address of your Atlassian account.",
        ),
        Field(
            name="token",
            label="API token",
            kind="secret",
            required=True,
            help=f"Create one at {API_TOKEN_PAGE} (Create API token).",
        ),
    ],
)


def auth_methods() -> list[AuthMethod]:
    return [API_TOKEN_METHOD]
