"""The protocol converter: camelCase on the wire, strict types, named fields."""

import pytest

from protocol import types as t
from protocol.converter import ParamsError, structure, unstructure


def test_results_are_camel_case_and_leave_out_empty_optionals() -> None:
    instance = t.Instance(
        instance_id="i1",
        provider_id="jira-server",
        base_url="https://jira.example.com",
        auth_method="token",
        scope="user",
        state="connected",
        user=t.User(name="alice", display_name="Alice"),
    )
    assert unstructure(instance) == {
        "instanceId": "i1",
        "providerId": "jira-server",
        "baseUrl": "https://jira.example.com",
        "authMethod": "token",
        "scope": "user",
        "state": "connected",
        "user": {"name": "alice", "displayName": "Alice"},
    }


def test_params_get_defaults() -> None:
    params = structure({"instanceId": "i1"}, t.IssuesFetchParams)
    assert (params.jql, params.limit) == (None, 1000)
    assert structure({"instanceId": "i1"}, t.AuthorizeParams).callback == "loopback"
    assert structure(None, t.KeysGenerateParams).bits == 2048


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"instanceId": "i", "limit": "5"}, "limit", "integer"),
        ({"instanceId": "i", "limit": 1.5}, "limit", "integer"),
        ({"instanceId": "i", "limit": 0}, "limit", "from 1 to 10000"),
        ({"instanceId": 5}, "instanceId", "string"),
        ({}, "instanceId", "required"),
        ({"instanceId": "i", "jql": None}, "", ""),
    ],
)
def test_structuring_is_strict_and_names_the_field(
    data: dict[str, object], field: str, words: str
) -> None:
    if not field:
        assert structure(data, t.IssuesFetchParams).jql is None
        return
    with pytest.raises(ParamsError) as caught:
        structure(data, t.IssuesFetchParams)
    assert caught.value.field == field
    assert words in caught.value.problem


def test_nested_field_paths_use_wire_names() -> None:
    with pytest.raises(ParamsError) as caught:
        structure(
            {"providerId": "p", "authMethod": "token", "fields": {"baseUrl": ["x"]}},
            t.ConfigureParams,
        )
    assert caught.value.field == "fields.baseUrl"


def test_literal_values_are_listed_in_the_problem() -> None:
    with pytest.raises(ParamsError) as caught:
        structure({"bits": 1024}, t.KeysGenerateParams)
    assert caught.value.field == "bits"
    assert "2048" in caught.value.problem and "4096" in caught.value.problem
