"""The direct Jira JSON -> wire mapping yields exactly what the attrs `Issue` path yields."""

import copy
from typing import Any

import pytest

from agent.providers.jira_server.issues import entry_problem, to_issue, to_wire
from protocol.converter import unstructure

BASE = "https://jira.example.com/jira"

FULL: dict[str, Any] = {
    "id": "10042",
    "key": "ISB-42",
    "self": f"{BASE}/rest/api/2/issue/10042",
    "fields": {
        "summary": "Fix the “smart quotes” 🚀",
        "status": {"name": "In Review", "statusCategory": {"key": "indeterminate"}},
        "issuetype": {"name": "Bug"},
        "priority": {"name": "High"},
        "assignee": {"name": "alice", "key": "JIRAUSER10100", "displayName": "Alice Anderson"},
        "project": {"key": "ISB", "name": "IssueBridge"},
        "updated": "2024-03-05T14:22:01.000+0000",
    },
}


def _without(path: str) -> dict[str, Any]:
    issue = copy.deepcopy(FULL)
    *parents, last = path.split(".")
    target = issue
    for name in parents:
        target = target[name]
    del target[last]
    return issue


def _with(path: str, value: Any) -> dict[str, Any]:
    issue = copy.deepcopy(FULL)
    *parents, last = path.split(".")
    target = issue
    for name in parents:
        target = target[name]
    target[last] = value
    return issue


VARIED = [
    FULL,
    _without("fields.assignee"),
    _with("fields.assignee", None),
    _without("fields.priority"),
    _with("fields.priority", None),
    _without("fields.issuetype"),
    _with("fields.issuetype", {"name": ""}),
    _without("fields.summary"),
    _without("fields.status"),
    _with("fields.status", {"name": "Done", "statusCategory": {"key": "done"}}),
    _with("fields.status", {"name": "Open", "statusCategory": {"key": "new"}}),
    _with("fields.status", {"name": "Odd", "statusCategory": {"key": "undefined"}}),
    _with("fields.status", "Open"),
    _with("fields.status", {"statusCategory": {"key": ["done"]}}),
    _without("fields.project"),
    _with("fields.project", ["ISB"]),
    _without("fields.updated"),
    _with("fields.updated", "2024-03-05T14:22:01+0100"),
    _with("fields.updated", "yesterday"),
    _with("fields.updated", 1709648521),
    _with("fields.assignee", {"key": "JIRAUSER10101"}),
    _with("fields.assignee", {"name": "bob", "displayName": ""}),
    _with("fields.assignee", "alice"),
    _with("id", 10042),
    _with("fields.summary", 42),
    {"id": "1", "key": "A-1", "fields": {}},
]


@pytest.mark.parametrize("raw", VARIED)
def test_the_direct_mapping_is_the_attrs_mapping_unstructured(raw: dict[str, Any]) -> None:
    direct = to_wire(raw, BASE)
    assert direct == unstructure(to_issue(raw, BASE))
    assert list(direct) == list(unstructure(to_issue(raw, BASE)))  # same key order too


def test_shared_parts_change_nothing() -> None:
    shared: dict[Any, Any] = {}
    twice = [to_wire(raw, BASE, shared) for raw in VARIED + VARIED]
    assert twice == [unstructure(to_issue(raw, BASE)) for raw in VARIED + VARIED]
    assert twice[0]["status"] is twice[len(VARIED)]["status"]


def test_a_full_issue_maps_to_the_contracts_shape() -> None:
    assert to_wire(FULL, BASE) == {
        "id": "10042",
        "key": "ISB-42",
        "title": "Fix the “smart quotes” 🚀",
        "url": f"{BASE}/browse/ISB-42",
        "status": {"name": "In Review", "category": "inProgress"},
        "project": {"key": "ISB", "name": "IssueBridge"},
        "updatedAt": "2024-03-05T14:22:01.000+00:00",
        "type": "Bug",
        "priority": "High",
        "assignee": {"name": "alice", "displayName": "Alice Anderson"},
    }


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (None, "NoneType"),
        ([FULL], "list"),
        ("ISB-1", "str"),
        (_without("key"), "without a key"),
        (_with("key", ""), "without a key"),
        (_with("key", 42), "without a key"),
        (_without("id"), "without an id"),
        (_with("id", True), "without an id"),
        (_with("id", {"n": 1}), "without an id"),
        (_without("fields"), "without fields"),
        (_with("fields", None), "without fields"),
        (_with("fields", "summary"), "without fields"),
    ],
)
def test_entries_that_are_not_issues_are_named(raw: Any, words: str) -> None:
    problem = entry_problem(raw)
    assert problem is not None and words in problem


def test_issues_jira_sends_have_no_problem() -> None:
    assert all(entry_problem(raw) is None for raw in VARIED)
