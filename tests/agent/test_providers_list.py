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


async def test_methods_not_yet_built_answer_a_clear_error(client: LanguageClient) -> None:
    import pytest
    from pygls.exceptions import JsonRpcException

    with pytest.raises(JsonRpcException) as caught:
        await client.protocol.send_request_async(
            "issuebridge/providers/authorize", {"instanceId": "nope"}
        )
    assert caught.value.code in (-32601, -32002)
