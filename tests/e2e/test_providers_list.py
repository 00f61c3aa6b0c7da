"""`issuebridge/providers/list` over pytest-lsp: the forms an editor renders."""

from typing import Any

from pytest_lsp import LanguageClient


def _plain(value: Any) -> Any:
    """pygls' client turns objects into namedtuples; turn them back into dicts."""
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


async def test_jira_server_is_listed_with_both_auth_methods(client: LanguageClient) -> None:
    result = _plain(await client.protocol.send_request_async("issuebridge/providers/list", {}))
    providers = {p["id"]: p for p in result["providers"]}
    jira = providers["jira-server"]
    assert jira["kind"] == "issues"
    assert jira["name"].startswith("Jira Server")
    assert jira["instances"] == []
    methods = {m["id"]: m for m in jira["authMethods"]}
    assert set(methods) == {"token", "oauth1"}
    assert methods["oauth1"]["authorization"] == "browser"
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
