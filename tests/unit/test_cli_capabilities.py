"""The terminal client refuses, before calling the agent, a command whose method the
instance's provider does not list in `capabilities`: "<name> does not support <what>
through issuebridge", exit 2. No provider on main lacks a method, so the decision is
tested here with a stubbed providers list."""

from typing import Any

import pytest

from agent.cli import capabilities
from agent.cli.create import create_needs
from agent.cli.instances import choose_instance
from agent.cli.output import CliError, Output
from agent.cli.work import assign_needs, start_needs
from protocol import methods
from protocol.types import CAPABILITIES

FEW = {
    "id": "few-tracker",
    "name": "Few Tracker",
    "capabilities": [methods.ISSUES_GET, methods.ISSUES_COMMENT],
    "instances": [{"instanceId": "few-1", "providerId": "few-tracker", "baseUrl": "https://few"}],
}
JIRA = {
    "id": "jira-server",
    "name": "Jira Server",
    "capabilities": list(CAPABILITIES),
    "instances": [{"instanceId": "jira-1", "providerId": "jira-server", "baseUrl": "https://jira"}],
}


def test_a_missing_method_is_refused_with_the_providers_name_and_exit_2() -> None:
    refused = capabilities.refusal(FEW, [methods.ISSUES_TRANSITION], "transitions")
    assert refused is not None
    assert refused.message == "Few Tracker does not support transitions through issuebridge"
    assert refused.exit_code == 2
    assert capabilities.refusal(FEW, [methods.ISSUES_COMMENT], "comments") is None


def test_jira_server_and_an_agent_without_capabilities_refuse_nothing() -> None:
    for method in CAPABILITIES:
        assert capabilities.refusal(JIRA, [method], "it") is None
    older = {k: v for k, v in JIRA.items() if k != "capabilities"}
    assert capabilities.missing(older, CAPABILITIES) == []
    assert capabilities.missing(None, CAPABILITIES) == []


def test_what_each_command_needs() -> None:
    assert assign_needs("me") == ([methods.ISSUES_ASSIGN], "assigning issues")
    assert assign_needs(" None ")[0] == [methods.ISSUES_ASSIGN]
    assert methods.ISSUES_ASSIGNEES in assign_needs("alice")[0]
    assert start_needs(None)[0] == [methods.ISSUES_START_WORK]
    assert methods.ISSUES_GET in start_needs("Start Progress")[0]
    assert methods.PROJECTS_LIST in create_needs(None)[0]
    assert methods.PROJECTS_LIST not in create_needs("CORE")[0]
    assert set(create_needs("CORE")[0]) == {methods.ISSUES_CREATE_FORM, methods.ISSUES_CREATE}


class _StubAgent:
    """Answers `providers/list` only: any other call would fail the test."""

    def __init__(self, providers: list[dict[str, Any]]) -> None:
        self.providers = providers
        self.calls: list[str] = []

    async def request(self, method: str, params: Any = None) -> Any:
        self.calls.append(method)
        assert method == methods.PROVIDERS_LIST
        return {"providers": self.providers}


async def test_choose_instance_stops_before_any_other_call() -> None:
    agent = _StubAgent([FEW, JIRA])
    with pytest.raises(CliError) as caught:
        await choose_instance(
            agent,  # type: ignore[arg-type]
            "few-1",
            Output(json_mode=False),
            [methods.ISSUES_START_WORK],
            "Start Work",
        )
    assert caught.value.message == "Few Tracker does not support Start Work through issuebridge"
    assert caught.value.exit_code == 2
    assert agent.calls == [methods.PROVIDERS_LIST]
    chosen = await choose_instance(
        agent,  # type: ignore[arg-type]
        "jira-1",
        Output(json_mode=False),
        [methods.ISSUES_START_WORK],
        "Start Work",
    )
    assert chosen["instanceId"] == "jira-1"
