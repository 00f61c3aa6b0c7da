"""The JQL subset, checked against plain-Python filters over the simulator's data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sim_helpers import bearer

from simulators.jira_server import Issue, JiraSimulator
from simulators.jira_server.data import PRIORITIES, STATUSES, status_by_id

UNKNOWN_FOO = "Field 'foo' does not exist or you do not have permission to view it."
UNKNOWN_FIELD: dict[str, object] = {"errorMessages": [UNKNOWN_FOO], "errors": {}}


def search(sim: JiraSimulator, http: httpx.Client, jql: str, **params: Any) -> httpx.Response:
    return http.get(
        f"{sim.base_url}/rest/api/2/search",
        params={"jql": jql, "maxResults": 1000, "fields": "summary", **params},
        headers=bearer(sim.user("alice").pat),
    )


def keys_for(sim: JiraSimulator, http: httpx.Client, jql: str) -> list[str]:
    response = search(sim, http, jql)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["issues"])
    return [issue["key"] for issue in body["issues"]]


def expected(sim: JiraSimulator, keep: Callable[[Issue], bool]) -> set[str]:
    found = {issue.key for issue in sim.issues if keep(issue)}
    # A filter matching nothing or everything would not tell operators apart.
    assert 0 < len(found) < len(sim.issues)
    return found


def category(issue: Issue) -> str:
    return status_by_id(issue.status_id).category


CASES: list[tuple[str, Callable[[Issue], bool]]] = [
    ("project = WEB", lambda i: i.project_key == "WEB"),
    ('project = "Web Platform"', lambda i: i.project_key == "WEB"),
    ("project != WEB", lambda i: i.project_key != "WEB"),
    ("project IN (WEB, OPS)", lambda i: i.project_key in ("WEB", "OPS")),
    ("project not in (WEB, OPS)", lambda i: i.project_key not in ("WEB", "OPS")),
    ("assignee = bob", lambda i: i.assignee == "bob"),
    # != never matches an empty field in Jira.
    ("assignee != bob", lambda i: i.assignee is not None and i.assignee != "bob"),
    ("NOT assignee = bob", lambda i: i.assignee is not None and i.assignee != "bob"),
    ("assignee IS EMPTY", lambda i: i.assignee is None),
    ("assignee is not empty", lambda i: i.assignee is not None),
    ("assignee = EMPTY", lambda i: i.assignee is None),
    ("assignee = currentUser()", lambda i: i.assignee == "alice"),
    ('assignee = "Zoë Ünal"', lambda i: i.assignee == "zoe"),
    ("reporter = carol", lambda i: i.reporter == "carol"),
    ("resolution = Unresolved", lambda i: i.resolution_id is None),
    ("resolution != Unresolved", lambda i: i.resolution_id is not None),
    ('resolution = "Won\'t Fix"', lambda i: i.resolution_id == "2"),
    ("statusCategory = done", lambda i: category(i) == "done"),
    ('statusCategory = "In Progress"', lambda i: category(i) == "indeterminate"),
    ("statusCategory in (new, indeterminate)", lambda i: category(i) != "done"),
    ('status = "In Review"', lambda i: i.status_id == "10001"),
    ("status = 3", lambda i: i.status_id == "3"),
    ("priority = Highest", lambda i: i.priority_id == "1"),
    ("type = Bug", lambda i: i.issuetype_id == "1"),
    ("issuetype in (Story, Improvement)", lambda i: i.issuetype_id in ("10001", "4")),
    ("labels = security", lambda i: "security" in i.labels),
    ("labels in (docs, ux)", lambda i: bool({"docs", "ux"} & set(i.labels))),
    ("labels is EMPTY", lambda i: not i.labels),
    ("labels != security", lambda i: bool(i.labels) and "security" not in i.labels),
    ('summary ~ "oauth"', lambda i: "oauth" in i.summary.lower()),
    ('summary ~ "build cache"', lambda i: "build cache" in i.summary.lower()),
    ('summary !~ "oauth"', lambda i: "oauth" not in i.summary.lower()),
    ('text ~ "reproduce"', lambda i: "reproduce" in (i.description or "").lower()),
    ("description is empty", lambda i: i.description is None),
    ('updated >= "2024-06-01"', lambda i: i.updated >= datetime(2024, 6, 1, tzinfo=UTC)),
    ('created < "2024/02/01 12:00"', lambda i: i.created < datetime(2024, 2, 1, 12, tzinfo=UTC)),
]


@pytest.mark.parametrize(("jql", "keep"), CASES, ids=[c[0] for c in CASES])
def test_operator_matches_python_filter(
    shared_sim: JiraSimulator, http: httpx.Client, jql: str, keep: Callable[[Issue], bool]
) -> None:
    assert set(keys_for(shared_sim, http, jql)) == expected(shared_sim, keep)


def test_key_equality_and_in(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    assert keys_for(shared_sim, http, "key = isb-3") == ["ISB-3"]
    assert set(keys_for(shared_sim, http, "issuekey in (ISB-1, WEB-2)")) == {"ISB-1", "WEB-2"}


def test_and_binds_tighter_than_or(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    plain = set(keys_for(shared_sim, http, "project = WEB OR project = OPS AND assignee = bob"))
    grouped = set(keys_for(shared_sim, http, "(project = WEB OR project = OPS) AND assignee = bob"))
    assert plain == expected(
        shared_sim,
        lambda i: i.project_key == "WEB" or (i.project_key == "OPS" and i.assignee == "bob"),
    )
    assert grouped == expected(
        shared_sim, lambda i: i.project_key in ("WEB", "OPS") and i.assignee == "bob"
    )
    assert plain != grouped


def test_not_over_parentheses_uses_de_morgan(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    got = set(keys_for(shared_sim, http, "NOT (project = WEB OR assignee = bob)"))
    assert got == expected(
        shared_sim,
        lambda i: i.project_key != "WEB" and i.assignee is not None and i.assignee != "bob",
    )


def test_keywords_are_case_insensitive(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    upper = keys_for(shared_sim, http, "PROJECT = web AND STATUSCATEGORY != Done ORDER BY KEY ASC")
    lower = keys_for(shared_sim, http, "project = WEB and statusCategory != done order by key asc")
    assert upper == lower and upper


def test_order_by_updated_desc(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    response = search(shared_sim, http, "project = ISB ORDER BY updated DESC", fields="updated")
    stamps = [i["fields"]["updated"] for i in response.json()["issues"]]
    parsed = [datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%f%z") for s in stamps]
    assert len(parsed) > 10
    assert parsed == sorted(parsed, reverse=True)


def test_order_by_priority_then_key(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    response = search(
        shared_sim, http, "project = OPS ORDER BY priority DESC, key ASC", fields="priority"
    )
    issues = response.json()["issues"]
    sequence = {p.name: p.sequence for p in PRIORITIES}
    ranks = [
        (sequence[i["fields"]["priority"]["name"]], int(i["key"].split("-")[1])) for i in issues
    ]
    assert ranks == sorted(ranks)
    assert issues[0]["fields"]["priority"]["name"] == "Highest"


def test_default_order_is_key_descending(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    keys = keys_for(shared_sim, http, "project = DOC")
    numbers = [int(k.split("-")[1]) for k in keys]
    assert numbers == sorted(numbers, reverse=True)


def test_order_by_status_follows_workflow_order(
    shared_sim: JiraSimulator, http: httpx.Client
) -> None:
    response = search(shared_sim, http, "project = ISB ORDER BY status ASC", fields="status")
    ids = [i["fields"]["status"]["id"] for i in response.json()["issues"]]
    order = [s.id for s in STATUSES]
    assert [order.index(x) for x in ids] == sorted(order.index(x) for x in ids)


@pytest.mark.parametrize(
    ("jql", "message"),
    [
        ("foo = bar", UNKNOWN_FOO),
        ("project = NOPE", "The value 'NOPE' does not exist for the field 'project'."),
        ("assignee = nobody", "The value 'nobody' does not exist for the field 'assignee'."),
        ("status ~ open", "The operator '~' is not supported by the 'status' field."),
        ("summary = x", "The operator '=' is not supported by the 'summary' field."),
        ("key = ISB-99999", "An issue with key 'ISB-99999' does not exist for field 'key'."),
        ("assignee = whoever()", "Unable to find JQL function 'whoever()'."),
        ("project = ISB ORDER BY labels", "Field 'labels' does not support sorting."),
        ("project = ISB ORDER BY foo", UNKNOWN_FOO),
    ],
)
def test_validation_errors_use_jira_wording(
    shared_sim: JiraSimulator, http: httpx.Client, jql: str, message: str
) -> None:
    response = search(shared_sim, http, jql)
    assert response.status_code == 400
    assert response.json() == {"errorMessages": [message], "errors": {}}


def test_unknown_field_body_is_exactly_jiras(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    response = search(shared_sim, http, "foo = bar")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == UNKNOWN_FIELD


@pytest.mark.parametrize(
    ("jql", "fragment"),
    [
        ("project = ", "Expecting either a value, list or function before the end of the query"),
        ("project WEB", "Expecting operator but got 'WEB'"),
        ("project = ISB ANDD status = Done", "Expecting either 'OR' or 'AND' but got 'ANDD'"),
        ('summary ~ "unterminated', "The quoted string 'unterminated' has not been completed"),
        ("(project = ISB", "Expecting ')'"),
        ("project = and", "'and' is a reserved JQL word"),
        ("project is ISB", "Expecting 'EMPTY' or 'NULL' but got 'ISB'"),
    ],
)
def test_syntax_errors_are_400_with_jql_message(
    shared_sim: JiraSimulator, http: httpx.Client, jql: str, fragment: str
) -> None:
    response = search(shared_sim, http, jql)
    assert response.status_code == 400
    messages = response.json()["errorMessages"]
    assert messages[0].startswith("Error in the JQL Query:")
    assert fragment in messages[0]


def test_current_user_follows_the_caller(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    response = http.get(
        f"{shared_sim.base_url}/rest/api/2/search",
        params={"jql": "assignee = currentUser()", "maxResults": 1000},
        headers=bearer(shared_sim.user("bob").pat),
    )
    assignees = {i["fields"]["assignee"]["name"] for i in response.json()["issues"]}
    assert assignees == {"bob"}


def test_alice_has_well_over_130_unresolved(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    keys = keys_for(shared_sim, http, "assignee = currentUser() AND resolution = Unresolved")
    assert len(keys) > 150
