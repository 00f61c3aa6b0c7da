"""The search cache: repeated pages come from it, and every kind of write empties it.

Each write test first runs the query once so its result is cached, checks that the
next run is a hit (so the cache really holds it), then writes and checks that the
same query shows the write.
"""

from __future__ import annotations

from typing import Any

import httpx
from sim_helpers import bearer

from simulators.jira_server import JiraSimulator


def search(sim: JiraSimulator, http: httpx.Client, jql: str, user: str | None = "alice") -> Any:
    headers = bearer(sim.user(user).pat) if user else {}
    body = {"jql": jql, "maxResults": 1000, "fields": ["summary"]}
    response = http.post(f"{sim.base_url}/rest/api/2/search", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def keys(body: dict[str, Any]) -> list[str]:
    return [issue["key"] for issue in body["issues"]]


def cache(sim: JiraSimulator, http: httpx.Client) -> dict[str, int]:
    stats: dict[str, int] = http.get(f"{sim.base_url}/_sim/state").json()["searchCache"]
    return stats


def cached(sim: JiraSimulator, http: httpx.Client, jql: str) -> list[str]:
    """Run `jql` twice; the second answer must be a cache hit, equal to the first."""
    first = search(sim, http, jql)
    hits = cache(sim, http)["hits"]
    second = search(sim, http, jql)
    assert cache(sim, http)["hits"] == hits + 1
    assert second == first
    return keys(first)


def api(sim: JiraSimulator, path: str) -> str:
    return f"{sim.base_url}/rest/api/2/{path}"


def alice(sim: JiraSimulator) -> dict[str, str]:
    return bearer(sim.user("alice").pat)


def test_pages_of_one_query_are_served_from_the_cache(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    sim.config.max_results_cap = 50
    before = cache(sim, http)
    pages = [
        http.post(
            api(sim, "search"),
            json={"jql": "ORDER BY key ASC", "startAt": start, "fields": ["summary"]},
            headers=alice(sim),
        ).json()
        for start in range(0, 200, 50)
    ]
    after = cache(sim, http)
    assert (after["misses"] - before["misses"], after["hits"] - before["hits"]) == (1, 3)
    seen = [key for page in pages for key in keys(page)]
    assert len(seen) == len(set(seen)) == 200
    assert {page["total"] for page in pages} == {len(sim.issues)}


def test_a_transition_shows_in_the_next_search(sim: JiraSimulator, http: httpx.Client) -> None:
    issue = sim.add_issue("ISB", "Move me", status="To Do")
    jql = 'project = ISB AND statusCategory = "To Do" ORDER BY key ASC'
    assert issue.key in cached(sim, http, jql)
    listed = http.get(api(sim, f"issue/{issue.key}/transitions"), headers=alice(sim)).json()
    done = next(t for t in listed["transitions"] if t["to"]["statusCategory"]["key"] == "done")
    moved = http.post(
        api(sim, f"issue/{issue.key}/transitions"),
        headers=alice(sim),
        json={"transition": {"id": done["id"]}},
    )
    assert moved.status_code == 204
    assert issue.key not in keys(search(sim, http, jql))


def test_an_assignment_shows_in_the_next_search(sim: JiraSimulator, http: httpx.Client) -> None:
    issue = sim.add_issue("WEB", "Give me to Zoë", assignee="bob")
    jql = "assignee = zoe ORDER BY key ASC"
    assert issue.key not in cached(sim, http, jql)
    assigned = http.put(
        api(sim, f"issue/{issue.key}/assignee"), headers=alice(sim), json={"name": "zoe"}
    )
    assert assigned.status_code == 204
    assert issue.key in keys(search(sim, http, jql))


def test_a_comment_shows_in_the_next_search(sim: JiraSimulator, http: httpx.Client) -> None:
    jql = "comment ~ quokka"
    assert cached(sim, http, jql) == []
    posted = http.post(
        api(sim, "issue/ISB-2/comment"), headers=alice(sim), json={"body": "A quokka said hi"}
    )
    assert posted.status_code == 201
    assert keys(search(sim, http, jql)) == ["ISB-2"]


def test_a_created_issue_shows_in_the_next_search(sim: JiraSimulator, http: httpx.Client) -> None:
    jql = "summary ~ wombat"
    assert cached(sim, http, jql) == []
    created = http.post(
        api(sim, "issue"),
        headers=alice(sim),
        json={
            "fields": {
                "project": {"key": "DOC"},
                "issuetype": {"name": "Task"},
                "summary": "A wombat",
            }
        },
    )
    assert created.status_code == 201
    assert keys(search(sim, http, jql)) == [created.json()["key"]]


def test_admin_api_issue_changes_show_in_the_next_search(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    jql = "project = OPS"
    total = len(cached(sim, http, jql))
    added = http.post(f"{sim.base_url}/_sim/issues", json={"project": "OPS", "summary": "Admin"})
    assert added.status_code < 300, added.text
    assert len(keys(search(sim, http, jql))) == total + 1
    assert http.delete(f"{sim.base_url}/_sim/issues").status_code < 300
    assert search(sim, http, jql)["total"] == 0


def test_an_edit_between_pages_shows_in_the_next_search(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    jql = "ORDER BY updated DESC"
    order = cached(sim, http, jql)
    http.put(f"{sim.base_url}/_sim/edits", json={"key": order[-1], "afterSearches": 1})
    assert keys(search(sim, http, jql)) == order  # the edit lands after this answer
    assert keys(search(sim, http, jql))[0] == order[-1]


def assignee(sim: JiraSimulator, key: str) -> str | None:
    issue = sim.store.issue(key)
    assert issue is not None
    return issue.assignee


def test_changes_made_straight_in_the_store_show_in_the_next_search(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    # Attribute sets and in-place list changes on any part of the data count.
    labelled = "labels = kangaroo"
    assert cached(sim, http, labelled) == []
    sim.issues[5].labels.append("kangaroo")
    assert keys(search(sim, http, labelled)) == [sim.issues[5].key]

    by_assignee = "assignee is not EMPTY ORDER BY assignee ASC, key ASC"
    assert assignee(sim, cached(sim, http, by_assignee)[0]) == "alice"
    sim.user("zoe").display_name = "Aaron Zoë"  # now sorts before "Alice Anderson"
    assert assignee(sim, keys(search(sim, http, by_assignee))[0]) == "zoe"

    summary = "summary ~ platypus"
    assert cached(sim, http, summary) == []
    sim.issues[7].summary = "The platypus"
    assert keys(search(sim, http, summary)) == [sim.issues[7].key]


def test_queries_that_read_the_clock_are_not_kept(sim: JiraSimulator, http: httpx.Client) -> None:
    before = cache(sim, http)
    for jql in ("updated >= -3650d", "created <= now()", "updated < startOfDay()"):
        assert search(sim, http, jql) == search(sim, http, jql)
    after = cache(sim, http)
    assert after["uncached"] - before["uncached"] == 6
    assert (after["hits"], after["misses"]) == (before["hits"], before["misses"])
    # A fixed date does not read the clock: kept.
    cached(sim, http, 'updated >= "2024-01-01"')


def test_each_caller_gets_its_own_result(sim: JiraSimulator, http: httpx.Client) -> None:
    jql = "assignee = currentUser() ORDER BY key ASC"
    mine = cached(sim, http, jql)
    bobs = keys(search(sim, http, jql, user="bob"))
    assert mine and bobs and not set(mine) & set(bobs)
    assert search(sim, http, jql, user=None)["total"] == 0  # anonymous sees nothing
    assert keys(search(sim, http, jql)) == mine


def test_bad_queries_are_refused_every_time(sim: JiraSimulator, http: httpx.Client) -> None:
    for _ in range(2):
        response = http.post(api(sim, "search"), json={"jql": "nosuch = 1"}, headers=alice(sim))
        assert response.status_code == 400


def test_a_page_is_the_json_of_each_issue_as_represented(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    # Pages are put together from each issue's kept JSON: byte for byte what encoding
    # the whole answer at once gives, also after a change and with `expand`.
    from simulators.jira_server.represent import Representer, select_fields
    from simulators.jira_server.search_cache import encode_json

    def expected(start: int, fields: list[str], expand: set[str]) -> bytes:
        issues = sorted(sim.issues, key=lambda i: (i.project_key, i.number))
        rep = Representer(sim.base_url, sim.store)
        chosen = select_fields(fields, "*navigable")
        payload: dict[str, Any] = {
            "expand": "schema,names",
            "startAt": start,
            "maxResults": 20,
            "total": len(issues),
            "issues": [rep.issue(i, chosen, expand) for i in issues[start : start + 20]],
        }
        if "names" in expand:
            payload["names"] = {n: n for n in chosen}
        return encode_json(payload)

    def page(start: int, fields: list[str], expand: list[str]) -> bytes:
        body = {"jql": "ORDER BY key", "startAt": start, "maxResults": 20, "fields": fields}
        response = http.post(
            api(sim, "search"), json={**body, "expand": expand}, headers=alice(sim)
        )
        return response.content

    for _ in range(2):  # the second time from the kept JSON
        assert page(40, ["summary", "assignee"], []) == expected(40, ["summary", "assignee"], set())
    sim.user("alice").display_name = "Alice Ångström"
    got = page(40, ["summary", "assignee"], [])
    assert got == expected(40, ["summary", "assignee"], set()) and "Ångström".encode() in got
    rendered = ["names", "renderedFields"]
    assert page(0, ["*all"], rendered) == expected(0, ["*all"], set(rendered))
