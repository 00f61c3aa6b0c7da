"""Fetching 10,000 issues (the contract's largest `limit`) stays within a memory bound
and gives the memory back afterwards; measured from /proc of the agent subprocess.

Generous margins, memory only (never time): before the bound, this fetch took the
agent ~60 MB above its idle size and left ~20 MB of it behind.
"""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from jira_flows import FETCH, connect
from wire import RawAgent

from simulators.jira_server import JiraSimulator, SimulatorConfig

ISSUES = 10_000
# Above the idle size: at the peak of the fetch, and once it has been answered.
PEAK_GROWTH_MB = 40
LEFT_BEHIND_MB = 12


@pytest.fixture
def big_jira() -> Iterator[JiraSimulator]:
    with JiraSimulator(SimulatorConfig(max_results_cap=50, issue_count=ISSUES + 50)) as sim:
        yield sim


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field} in /proc/{pid}/status")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_fetching_10000_issues_is_bounded_and_returns_its_memory(
    agent: RawAgent, big_jira: JiraSimulator
) -> None:
    instance_id = connect(agent, big_jira)
    pid = agent.proc.pid
    agent.call(FETCH, {"instanceId": instance_id, "jql": "ORDER BY key", "limit": 5}, timeout=30)
    idle = _status_mb(pid, "VmRSS")
    reply = agent.call(
        FETCH, {"instanceId": instance_id, "jql": "ORDER BY key", "limit": ISSUES}, timeout=120
    )
    assert len(reply["result"]["issues"]) == ISSUES
    peak = _status_mb(pid, "VmHWM")
    assert peak - idle <= PEAK_GROWTH_MB, (idle, peak)
    # The agent hands memory back shortly after answering: wait for it, up to a bound.
    deadline = time.monotonic() + 10
    while _status_mb(pid, "VmRSS") - idle > LEFT_BEHIND_MB and time.monotonic() < deadline:
        time.sleep(0.1)
    after = _status_mb(pid, "VmRSS")
    assert after - idle <= LEFT_BEHIND_MB, (idle, peak, after)
