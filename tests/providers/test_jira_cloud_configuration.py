"""The Jira Cloud provider's form, checks and capabilities, without a server."""

import pytest

from agent.errors import InvalidParams
from agent.providers.jira_cloud import PROVIDER
from agent.providers.jira_cloud.normalise import issue as normalised
from protocol.types import CAPABILITIES

FIELDS = {"baseUrl": "https://team.atlassian.net/", "email": "a@example.com", "token": "t0k"}


def test_a_form_becomes_a_configuration() -> None:
    parsed = PROVIDER.parse_configuration("apiToken", dict(FIELDS))
    assert parsed.base_url == "https://team.atlassian.net"
    assert parsed.settings == {"email": "a@example.com"}
    assert parsed.secrets["token"].reveal() == "t0k"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"baseUrl": "http://team.atlassian.net"}, "fields.baseUrl"),
        ({"baseUrl": "team.atlassian.net"}, "fields.baseUrl"),
        ({"email": "alice"}, "fields.email"),
        ({"email": ""}, "fields.email"),
        ({"token": "two words"}, "fields.token"),
        ({"token": " "}, "fields.token"),
    ],
)
def test_what_is_refused_names_its_field(changes: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidParams) as caught:
        PROVIDER.parse_configuration("apiToken", {**FIELDS, **changes})
    assert caught.value.field == field


@pytest.mark.parametrize("host", ["127.0.0.1:8080", "localhost"])
def test_http_only_to_loopback(host: str) -> None:
    parsed = PROVIDER.parse_configuration("apiToken", {**FIELDS, "baseUrl": f"http://{host}"})
    assert parsed.base_url == f"http://{host}"


def test_unknown_auth_method() -> None:
    with pytest.raises(InvalidParams) as caught:
        PROVIDER.parse_configuration("token", dict(FIELDS))
    assert caught.value.field == "authMethod"


def test_capabilities_are_what_the_session_implements() -> None:
    assert set(PROVIDER.capabilities) <= set(CAPABILITIES)
    assert "issuebridge/issues/create" not in PROVIDER.capabilities
    assert "issuebridge/projects/list" not in PROVIDER.capabilities


def test_cloud_users_and_bodies_in_the_jira_shapes() -> None:
    raw = {
        "id": "1",
        "key": "CORE-1",
        "fields": {
            "assignee": {"accountId": "712020:abc", "displayName": "Alice"},
            "reporter": None,
            "description": {"version": 1, "type": "doc", "content": []},
            "comment": {
                "comments": [{"id": "9", "author": {"accountId": "x"}, "body": "not adf"}],
                "total": 1,
            },
        },
    }
    fields = normalised(raw)["fields"]
    assert fields["assignee"] == {"name": "712020:abc", "displayName": "Alice"}
    assert fields["reporter"] is None
    assert fields["description"] is None
    assert fields["comment"]["comments"][0]["author"] == {"name": "x", "displayName": "x"}
