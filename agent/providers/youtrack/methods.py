"""YouTrack's one auth method: a permanent token, sent as `Authorization: Bearer`."""

from protocol.types import AuthMethod, Field

TOKEN_METHOD = AuthMethod(
    id="token",
    label="Permanent token",
    description="Connect with a permanent token of your YouTrack account (YouTrack Cloud "
    "or Server); it acts with your permissions.",
    fields=[
        Field(
            name="baseUrl",
            label="YouTrack URL",
            kind="url",
            required=True,
            help="The address you open YouTrack at, e.g. https://example.youtrack.cloud, "
            "https://example.myjetbrains.com/youtrack or https://youtrack.example.com.",
        ),
        Field(
            name="token",
            label="Permanent token",
            kind="secret",
            required=True,
            help="In YouTrack: your avatar > Profile > Account Security > Tokens > New "
            "token, with the YouTrack scope. It starts with perm:.",
        ),
    ],
)


def auth_methods() -> list[AuthMethod]:
    return [TOKEN_METHOD]
