"""GitLab's one auth method and its form."""

from protocol.types import AuthMethod, Field

DEFAULT_BASE_URL = "https://gitlab.com"

TOKEN_METHOD = AuthMethod(
    id="token",
    label="Personal access token",
    description="Connect with a GitLab personal access token (gitlab.com or a self-managed "
    "GitLab); scope api to comment, assign and close, read_api to read only.",
    fields=[
        Field(
            name="baseUrl",
            label="GitLab URL",
            kind="url",
            required=True,
            default=DEFAULT_BASE_URL,
            help="https://gitlab.com, or the address of your self-managed GitLab "
            "(e.g. https://gitlab.example.com), without /api/v4.",
        ),
        Field(
            name="token",
            label="Personal access token",
            kind="secret",
            required=True,
            help="In GitLab: avatar > Edit profile > Access tokens > Add new token, with "
            "scope api (or read_api).",
        ),
    ],
)


def auth_methods() -> list[AuthMethod]:
    return [TOKEN_METHOD]
