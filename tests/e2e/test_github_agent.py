"""The GitHub provider through the agent over stdio: its form in `providers/list`,
GitHub Enterprise Server under `/api/v3`, and a fetch that leaves pull requests out."""

from collections.abc import Iterator
from typing import Any

import pytest
from wire import RawAgent

from simulators.github import GitHubSimulator

CONFIGURE = "issuebridge/providers/configure"
FETCH = "issuebridge/issues/fetch"


@pytest.fixture
def enterprise() -> Iterator[GitHubSimulator]:
    with GitHubSimulator(enterprise=True) as sim:
        yield sim


def configure(agent: RawAgent, base_url: str, token: str) -> dict[str, Any]:
    reply = agent.call(
        CONFIGURE,
        {
            "providerId": "github",
            "authMethod": "token",
            "fields": {"baseUrl": base_url, "token": token},
        },
        timeout=30,
    )
    assert "result" in reply, reply
    instance: dict[str, Any] = reply["result"]["instance"]
    return instance


def test_providers_list_shows_the_github_form(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    providers = raw_agent.call("issuebridge/providers/list", {})["result"]["providers"]
    github = next(p for p in providers if p["id"] == "github")
    (method,) = github["authMethods"]
    fields = {f["name"]: f for f in method["fields"]}
    assert fields["baseUrl"]["default"] == "https://api.github.com"
    assert fields["token"]["kind"] == "secret"
    assert "issuebridge/issues/comment" in github["capabilities"]
    assert "issuebridge/issues/startWork" not in github["capabilities"]


def test_enterprise_server_connects_under_api_v3_and_fetches_issues_only(
    raw_agent: RawAgent, enterprise: GitHubSimulator
) -> None:
    raw_agent.initialize()
    instance = configure(raw_agent, enterprise.api_url + "/", enterprise.user("alice").token)
    assert instance["state"] == "connected"
    assert instance["baseUrl"] == enterprise.api_url
    assert instance["serverVersion"].startswith("GitHub Enterprise Server ")
    assert instance["user"] == {"name": "alice", "displayName": "Alice Liddell"}
    enterprise.page_cap = 9
    reply = raw_agent.call(FETCH, {"instanceId": instance["instanceId"]}, timeout=60)
    issues = reply["result"]["issues"]
    assert [i["key"] for i in issues] == [i.key for i in enterprise.data.open_assigned("alice")]
    assert all(i["url"].startswith(enterprise.base_url + "/") for i in issues)
    assert all("/pull/" not in i["url"] for i in issues)
    assert {i["status"]["category"] for i in issues} == {"todo"}


def test_the_web_address_of_an_enterprise_server_is_refused_with_the_api_address(
    raw_agent: RawAgent, enterprise: GitHubSimulator
) -> None:
    raw_agent.initialize()
    reply = raw_agent.call(
        CONFIGURE,
        {
            "providerId": "github",
            "authMethod": "token",
            "fields": {"baseUrl": enterprise.base_url, "token": enterprise.user("alice").token},
        },
        timeout=30,
    )
    error = reply["error"]
    assert error["data"]["kind"] == "unsupportedServer", error
    assert f"{enterprise.base_url}/api/v3" in error["message"]
    assert enterprise.user("alice").token not in str(reply)
