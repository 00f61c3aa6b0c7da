"""GitHub's issue keys in documents, in process against simulators/github: one GraphQL
request for many keys (pull requests, unknown repositories and numbers left out), the
Enterprise endpoints, the web URLs, and what a GraphQL failure is."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.errors import RemoteError
from agent.providers.base import Credentials, InstanceConfig, TrackerSession
from agent.providers.github import PROVIDER, lookup
from agent.providers.github.web import graphql_url, web_url
from agent.secret import Secret
from agent.settings import Settings
from protocol.types import HttpSettings
from simulators.github import GitHubSimulator


@pytest.fixture(params=[False, True], ids=["github.com", "enterprise"])
def github(request: pytest.FixtureRequest) -> Iterator[GitHubSimulator]:
    with GitHubSimulator(enterprise=request.param) as sim:
        yield sim


def session_for(sim: GitHubSimulator, tmp_path: Path) -> tuple[InstanceConfig, TrackerSession]:
    instance = InstanceConfig(sim.api_url, "token")
    credentials = Credentials({"token": Secret(sim.user("alice").token)})
    settings = Settings(storage_dir=tmp_path, http=HttpSettings(timeout_seconds=10))
    return instance, PROVIDER.open_session(instance, credentials, settings)


async def test_one_graphql_request_for_many_keys_without_pull_requests(
    github: GitHubSimulator, tmp_path: Path
) -> None:
    data = github.data
    plain = [i for i in data.issues if not i.pull_request]
    pull = next(i for i in data.issues if i.pull_request)
    wanted = [plain[0].key, plain[1].key, plain[-1].key, pull.key, "nobody/nothing#1"]
    instance, session = session_for(github, tmp_path)
    try:
        before = len(github.request_log)
        found = await session.lookup_issues([*wanted, "acme/widgets#9999", plain[0].key])
    finally:
        await session.aclose()
    sent = github.request_log[before:]
    assert [(r.method, r.path) for r in sent] == [
        ("POST", "/api/graphql" if github.enterprise else "/graphql")
    ]
    assert "viewer" in json.loads(sent[0].body)["query"]
    assert sorted(i["key"] for i in found) == sorted([plain[0].key, plain[1].key, plain[-1].key])
    by_key = {i["key"]: i for i in found}
    first = by_key[plain[0].key]
    assert first["id"] == str(plain[0].id) and first["title"] == plain[0].title
    assert first["status"] == {"name": "Open", "category": "todo"}
    assert first["assignee"]["name"] == "alice"
    for issue in found:
        assert PROVIDER.issue_url(instance, issue["key"]) == issue["url"]


def test_web_and_graphql_addresses() -> None:
    assert web_url("https://api.github.com") == "https://github.com"
    assert graphql_url("https://api.github.com") == "https://api.github.com/graphql"
    assert web_url("https://ghe.example.com/api/v3") == "https://ghe.example.com"
    assert graphql_url("https://ghe.example.com/api/v3") == "https://ghe.example.com/api/graphql"
    dotcom = InstanceConfig("https://api.github.com", "token")
    assert PROVIDER.issue_url(dotcom, "octo-org/widgets#12") == (
        "https://github.com/octo-org/widgets/issues/12"
    )
    enterprise = InstanceConfig("https://ghe.example.com/api/v3", "token")
    assert (
        PROVIDER.issue_url(enterprise, "team/app#3") == "https://ghe.example.com/team/app/issues/3"
    )
    assert PROVIDER.issue_url(dotcom, "not a key") is None


def test_the_query_is_aliases_per_repository_and_issue() -> None:
    query = lookup.query_of({("acme", "widgets"): [1, 7], ("o", 'we"ird'): [2]})
    assert 'r0: repository(owner: "acme", name: "widgets") { i0: issue(number: 1)' in query
    assert "i1: issue(number: 7)" in query
    assert 'r1: repository(owner: "o", name: "we\\"ird")' in query
    assert query.rstrip().endswith("}")


def test_errors_of_one_path_leave_it_out_and_errors_without_data_fail_the_lookup() -> None:
    not_found = {"type": "NOT_FOUND", "path": ["r0"], "message": "Could not resolve"}
    saml = {"type": "FORBIDDEN", "path": ["r1"], "message": "Resource protected by SAML"}
    data = {"r0": None, "r1": None}
    assert lookup._data({"data": data, "errors": [not_found, saml]}) == data
    undefined = {
        "path": ["query", "viewer", "x"],
        "extensions": {"code": "undefinedField"},
        "message": "Field 'x' doesn't exist on type 'User'",
    }
    with pytest.raises(RemoteError) as refused:
        lookup._data({"errors": [undefined]})
    assert refused.value.data["messages"] == ["Field 'x' doesn't exist on type 'User'"]
    with pytest.raises(RemoteError):
        lookup._data({"data": None})
