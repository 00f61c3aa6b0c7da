"""The simulated workflow, comments and assignable users, as Jira answers them."""

from __future__ import annotations

from typing import Any

import httpx
from sim_helpers import bearer

from simulators.jira_server import JiraSimulator


def api(sim: JiraSimulator, path: str) -> str:
    return f"{sim.base_url}/rest/api/2/{path}"


def auth(sim: JiraSimulator, user: str = "alice") -> dict[str, str]:
    return bearer(sim.user(user).pat)


def offered(sim: JiraSimulator, http: httpx.Client, key: str) -> list[dict[str, Any]]:
    body = http.get(api(sim, f"issue/{key}/transitions"), headers=auth(sim)).json()
    transitions: list[dict[str, Any]] = body["transitions"]
    return transitions


def test_each_status_offers_named_transitions_with_stable_ids(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    issue = sim.add_issue("ISB", "Walk the workflow", status="To Do")
    todo = offered(sim, http, issue.key)
    assert [(t["id"], t["name"], t["to"]["name"]) for t in todo] == [
        ("11", "Start Progress", "In Progress"),
        ("61", "Close Issue", "Done"),
    ]
    assert todo[0]["to"]["statusCategory"]["key"] == "indeterminate"
    move = http.post(
        api(sim, f"issue/{issue.key}/transitions"),
        headers=auth(sim),
        json={"transition": {"id": "11"}},
    )
    assert move.status_code == 204
    assert [(t["id"], t["name"]) for t in offered(sim, http, issue.key)] == [
        ("21", "Stop Progress"),
        ("31", "Request Review"),
        ("51", "Resolve Issue"),
    ]
    # OPS has no review step and starts in Open.
    ops = sim.add_issue("OPS", "Ops work", status="Open")
    assert [(t["name"], t["to"]["name"]) for t in offered(sim, http, ops.key)] == [
        ("Start Progress", "In Progress"),
        ("Close Issue", "Closed"),
    ]


def test_get_issue_expands_transitions_at_the_top_level(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    issue = sim.add_issue("WEB", "Expand me", status="In Progress")
    body = http.get(
        api(sim, f"issue/{issue.key}"),
        headers=auth(sim),
        params={"expand": "transitions", "fields": "summary,status"},
    ).json()
    assert set(body["fields"]) == {"summary", "status"}
    assert [t["name"] for t in body["transitions"]] == ["Stop Progress", "Resolve Issue"]
    assert body["transitions"][1]["to"]["statusCategory"]["key"] == "done"
    plain = http.get(api(sim, f"issue/{issue.key}"), headers=auth(sim)).json()
    assert "transitions" not in plain
    one = http.get(
        api(sim, f"issue/{issue.key}/transitions"),
        headers=auth(sim),
        params={"transitionId": "51"},
    ).json()
    assert [t["id"] for t in one["transitions"]] == ["51"]


def test_a_transition_someone_else_took_first_is_refused_the_jira_way(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    issue = sim.add_issue("ISB", "Contested", status="To Do")
    url = api(sim, f"issue/{issue.key}/transitions")
    body = {"transition": {"id": "11"}}
    assert http.post(url, headers=auth(sim, "bob"), json=body).status_code == 204
    again = http.post(url, headers=auth(sim), json=body)
    assert again.status_code == 400
    message = again.json()["errorMessages"][0]
    assert "(Start Progress)" in message and f"({issue.key})" in message
    assert "somebody has changed the issue recently" in message
    unknown = http.post(url, headers=auth(sim), json={"transition": {"id": "999"}})
    assert unknown.json() == {
        "errorMessages": ["Transition id '999' is not valid for this issue."],
        "errors": {},
    }


def test_transition_with_a_comment_and_fields_not_on_a_screen(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    issue = sim.add_issue("ISB", "Comment on the way", status="To Do")
    url = api(sim, f"issue/{issue.key}/transitions")
    refused = http.post(
        url,
        headers=auth(sim),
        json={"transition": {"id": "11"}, "fields": {"resolution": {"name": "Fixed"}}},
    )
    assert refused.status_code == 400 and "resolution" in refused.json()["errors"]
    moved = http.post(
        url,
        headers=auth(sim, "bob"),
        json={
            "transition": {"id": "11"},
            "update": {"comment": [{"add": {"body": "Picking this up"}}]},
        },
    )
    assert moved.status_code == 204
    comments = http.get(api(sim, f"issue/{issue.key}/comment"), headers=auth(sim)).json()
    assert [(c["body"], c["author"]["name"]) for c in comments["comments"]] == [
        ("Picking this up", "bob")
    ]


def test_comments_are_paged_and_the_issue_embeds_the_first_page(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    issue = sim.add_issue("DOC", "Chatty")
    for n in range(120):
        sim.store.add_comment(issue, "carol", f"comment {n}")
    embedded = http.get(
        api(sim, f"issue/{issue.key}"), headers=auth(sim), params={"fields": "comment"}
    ).json()["fields"]["comment"]
    assert embedded["total"] == 120 and len(embedded["comments"]) == 50
    assert embedded["comments"][0]["body"] == "comment 0"
    page = http.get(
        api(sim, f"issue/{issue.key}/comment"),
        headers=auth(sim),
        params={"startAt": 100, "maxResults": 1000},
    ).json()
    assert (page["startAt"], page["maxResults"], page["total"]) == (100, 50, 120)
    assert [c["body"] for c in page["comments"]] == [f"comment {n}" for n in range(100, 120)]
    newest = http.get(
        api(sim, f"issue/{issue.key}/comment"),
        headers=auth(sim),
        params={"orderBy": "-created", "maxResults": 1},
    ).json()
    assert newest["comments"][0]["body"] == "comment 119"


def test_assignable_search_is_bounded_and_needs_an_issue_or_project(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    url = api(sim, "user/assignable/search")
    some = http.get(url, headers=auth(sim), params={"issueKey": "ISB-1", "maxResults": 2}).json()
    assert len(some) == 2
    by_word = http.get(
        url, headers=auth(sim), params={"issueKey": "ISB-1", "username": "chen"}
    ).json()
    assert [u["name"] for u in by_word] == ["carol"]
    missing = http.get(url, headers=auth(sim), params={"issueKey": "ISB-99999"})
    assert missing.status_code == 404
