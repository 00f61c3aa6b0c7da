"""Offset paging over a result that moves while it is read: every issue exactly once.

The simulator edits an issue between two pages of the agent's fetch (see
`JiraSimulator.edit_after_searches`); under `ORDER BY updated DESC` the edited issue
jumps to the front and every later page shifts by one.
"""

from jira_flows import FETCH, connect, expected_open_issues
from wire import RawAgent

from simulators.jira_server import JiraSimulator


def _fetch_keys(agent: RawAgent, instance_id: str) -> tuple[list[str], int]:
    reply = agent.call(FETCH, {"instanceId": instance_id}, timeout=30)
    result = reply["result"]
    return [i["key"] for i in result["issues"]], result["total"]


def test_an_issue_edited_after_the_first_page_is_neither_lost_nor_doubled(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    before = expected_open_issues(jira, "alice")
    assert len(before) > 130  # pages of 50: the later ones are read after the edit
    jira.edit_after_searches(before[-1], after=1)
    keys, total = _fetch_keys(agent, instance_id)
    assert keys == expected_open_issues(jira, "alice")  # the edited issue first now
    assert keys[0] == before[-1]
    assert len(keys) == len(set(keys)) == total == len(before)


def test_issues_edited_while_pages_are_in_flight_are_each_returned_once(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    before = expected_open_issues(jira, "alice")
    jira.edit_after_searches(before[120], after=2)
    jira.edit_after_searches(before[70], after=3)
    keys, total = _fetch_keys(agent, instance_id)
    # Pages read before an edit show the old order: which order each issue comes in
    # depends on timing, that each comes exactly once does not.
    assert sorted(keys) == sorted(before)
    assert len(keys) == len(set(keys)) == total


def test_an_issue_resolved_between_pages_leaves_and_nothing_else_is_lost(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    before = expected_open_issues(jira, "alice")
    jira.edit_after_searches(before[10], after=1, resolve=True)
    keys, total = _fetch_keys(agent, instance_id)
    assert keys == [k for k in before if k != before[10]]
    assert total == len(keys)
