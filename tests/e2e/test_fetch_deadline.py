"""A fetch of many pages has its own deadline, apart from the per-request timeout.

The simulator answers every page well within the per-request timeout (30 s) but the
pages are many (a page cap of 1) and each takes a while: without a bound on the whole
operation the fetch would run for as long as the server cares to drip pages.
"""

from collections.abc import Iterator

import pytest
from jira_flows import FETCH, connect, error_of
from wire import RawAgent

from simulators.jira_server import JiraSimulator, SimulatorConfig


@pytest.fixture
def slow_pages() -> Iterator[JiraSimulator]:
    with JiraSimulator(SimulatorConfig(max_results_cap=1)) as sim:
        yield sim


def test_a_fetch_that_outlasts_its_operation_timeout_is_unreachable(
    raw_agent: RawAgent, slow_pages: JiraSimulator
) -> None:
    raw_agent.initialize(options={"http": {"timeoutSeconds": 30, "operationTimeoutSeconds": 1}})
    instance_id = connect(raw_agent, slow_pages)
    # 300 pages of one issue, ten at a time, 0.2 s each: 6 s at the very least.
    slow_pages.faults.latency_seconds = 0.2
    reply = raw_agent.call(FETCH, {"instanceId": instance_id, "jql": "ORDER BY key", "limit": 300})
    error = error_of(reply)
    assert error["code"] == -32003 and error["data"]["kind"] == "unreachable"
    assert "within 1 second" in error["message"]
    assert "operationTimeoutSeconds" in error["data"]["hint"]
    assert error["data"]["action"] == "retry"
    slow_pages.faults.latency_seconds = 0
    # The agent is fine afterwards, and a fetch that fits its deadline answers.
    fine = raw_agent.call(FETCH, {"instanceId": instance_id, "jql": "ORDER BY key", "limit": 3})
    assert len(fine["result"]["issues"]) == 3


def test_the_per_request_timeout_still_applies_to_each_page(
    raw_agent: RawAgent, slow_pages: JiraSimulator
) -> None:
    raw_agent.initialize(options={"http": {"timeoutSeconds": 1, "operationTimeoutSeconds": 600}})
    instance_id = connect(raw_agent, slow_pages)
    slow_pages.faults.slow_response(seconds=30, times=1, match="/search")
    error = error_of(raw_agent.call(FETCH, {"instanceId": instance_id, "limit": 5}, timeout=20))
    assert error["code"] == -32003
    assert "within 1 second" in error["message"]
