"""`issuebridge/providers/list` over pytest-lsp: the forms an editor renders."""

from pathlib import Path
from typing import Any

from pytest_lsp import LanguageClient


def _plain(value: Any) -> Any:
    """pygls' client turns objects into namedtuples; turn them back into dicts."""
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


async def test_jira_server_is_listed_with_its_auth_methods(client: LanguageClient) -> None:
    result = _plain(await client.protocol.send_request_async("issuebridge/providers/list", {}))
    providers = {p["id"]: p for p in result["providers"]}
    jira = providers["jira-server"]
    assert jira["kind"] == "issues"
    assert jira["name"].startswith("Jira Server")
    assert jira["instances"] == []
    # The order is the recommendation: a token for one person, OAuth 2.0 for teams on
    # 8.22+, OAuth 1.0a for older servers.
    assert [m["id"] for m in jira["authMethods"]] == ["token", "oauth2", "oauth1"]
    methods = {m["id"]: m for m in jira["authMethods"]}
    assert "one person" in methods["token"]["description"]
    assert "8.22" in methods["oauth2"]["description"]
    assert "older" in methods["oauth1"]["description"]
    assert methods["oauth1"]["authorization"] == "browser"
    assert methods["oauth2"]["authorization"] == "browser"
    assert "authorization" not in methods["token"]  # "none", the default, is left out
    token_fields = {f["name"]: f for f in methods["token"]["fields"]}
    assert token_fields["baseUrl"]["kind"] == "url" and token_fields["baseUrl"]["required"]
    assert token_fields["token"]["kind"] == "secret" and token_fields["token"]["required"]
    oauth_fields = {f["name"]: f for f in methods["oauth1"]["fields"]}
    assert oauth_fields["consumerKey"]["kind"] == "text"
    assert oauth_fields["privateKey"]["kind"] == "multilineSecret"
    assert oauth_fields["keyId"]["kind"] == "keyRef"
    # Either a pasted key or a generated one: neither alone is required.
    assert not oauth_fields["privateKey"]["required"] and not oauth_fields["keyId"]["required"]
    oauth2_fields = {f["name"]: f for f in methods["oauth2"]["fields"]}
    assert list(oauth2_fields) == ["baseUrl", "clientId", "clientSecret", "redirectUri", "scope"]
    assert oauth2_fields["clientId"]["kind"] == "text" and oauth2_fields["clientId"]["required"]
    assert oauth2_fields["clientSecret"]["kind"] == "secret"
    assert oauth2_fields["clientSecret"]["required"]
    redirect = oauth2_fields["redirectUri"]
    assert redirect["kind"] == "url" and redirect["required"]
    assert redirect["default"] == "http://127.0.0.1:43917/callback"
    assert "Register exactly this" in redirect["help"]
    assert oauth2_fields["scope"]["default"] == "WRITE" and not oauth2_fields["scope"]["required"]
    # The admin's guide beside this source checkout.
    guide = Path(__file__).resolve().parents[2] / "docs" / "jira-server-oauth2.md"
    if guide.is_file():
        assert methods["oauth2"]["guideUrl"] == guide.as_uri()
    else:
        assert "guideUrl" not in methods["oauth2"]
    for method in methods.values():
        assert method["label"] and method["description"]
        for field in method["fields"]:
            assert field["label"] and field.get("help")


async def test_every_contract_method_is_served(client: LanguageClient) -> None:
    from pygls.exceptions import JsonRpcException

    from protocol.methods import REQUESTS

    unknown = {"instanceId": "jira-server-000000000000"}
    params = {
        "issuebridge/providers/list": {},
        "issuebridge/providers/configure": {
            "providerId": "jira-server",
            "authMethod": "token",
            "fields": {"baseUrl": "not a url", "token": "x"},
        },
        "issuebridge/providers/authorize": unknown,
        "issuebridge/providers/completeAuthorization": {**unknown, "verifier": "abc"},
        "issuebridge/providers/disconnect": unknown,
        "issuebridge/keys/generate": {},
        "issuebridge/issues/fetch": unknown,
        "issuebridge/team/share": {**unknown, "workspaceFolder": "/no/such/folder"},
        "issuebridge/team/unlock": {**unknown, "passphrase": "x"},
        "issuebridge/projects/list": unknown,
        "issuebridge/issues/get": {**unknown, "key": "CORE-1"},
        "issuebridge/issues/createForm": {**unknown, "projectKey": "CORE"},
        "issuebridge/issues/create": {
            **unknown,
            "projectKey": "CORE",
            "issueType": "10001",
            "fields": {"summary": "x"},
        },
        "issuebridge/issues/transition": {**unknown, "key": "CORE-1", "transitionId": "11"},
        "issuebridge/issues/comment": {**unknown, "key": "CORE-1", "body": "x"},
        "issuebridge/issues/assignees": {**unknown, "key": "CORE-1", "query": "al"},
        "issuebridge/issues/assign": {**unknown, "key": "CORE-1", "assignee": "me"},
        "issuebridge/issues/startWork": {**unknown, "key": "CORE-1"},
    }
    assert set(params) == set(REQUESTS)
    for method, method_params in params.items():
        try:
            await client.protocol.send_request_async(method, method_params)
        except JsonRpcException as exc:
            # Each answers with its own meaning, never "no such method".
            assert exc.code in (-32602, -32002), (method, exc.code)
