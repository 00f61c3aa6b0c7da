"""GitHub's one auth method, a personal access token (fine-grained or classic), and the
fields of its form."""

from protocol.types import AuthMethod, Field

DEFAULT_BASE_URL = "https://api.github.com"

TOKEN_METHOD = AuthMethod(
    id="token",
    label="Personal access token",
    description="Connect with your own personal access token, fine-grained (read and write "
    "access to Issues of the repositories you work in) or classic (scope repo).",
    fields=[
        Field(
            name="baseUrl",
            label="GitHub API URL",
            kind="url",
            required=True,
            default=DEFAULT_BASE_URL,
            help="https://api.github.com for github.com; for GitHub Enterprise Server, "
            "https://HOST/api/v3 (your server's address followed by /api/v3).",
        ),
        Field(
            name="token",
            label="Personal access token",
            kind="secret",
            required=True,
            help="On GitHub: your avatar > Settings > Developer settings > Personal access "
            "tokens. Fine-grained: Issues read and write; classic: scope repo.",
        ),
    ],
)


def auth_methods() -> list[AuthMethod]:
    return [TOKEN_METHOD]
