"""Search paging against the server-side cap, field selection and request shapes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sim_helpers import bearer

from simulators.jira_server import JiraSimulator

MINE = "assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC"


def get(sim: JiraSimulator, http: httpx.Client, **params: Any) -> httpx.Response:
    return http.get(
        f"{sim.base_url}/rest/api/2/search", params=params, headers=bearer(sim.user("alice").pat)
    )


def test_cap_limits_page_and_reports_effective_max(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.config.max_results_cap = 50
    body = get(sim, http, jql=MINE, maxResults=100).json()
    assert body["maxResults"] == 50
    assert len(body["issues"]) == 50
    assert body["total"] > 130


def test_paging_by_returned_count_sees_every_issue_once(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    sim.config.max_results_cap = 50
    seen: list[str] = []
    start = 0
    total = None
    while True:
        body = get(sim, http, jql=MINE, startAt=start, maxResults=1000, fields="key").json()
        total = body["total"]
        seen.extend(i["key"] for i in body["issues"])
        start += len(body["issues"])
        if not body["issues"] or start >= total:
            break
    assert total is not None and total > 130
    assert len(seen) == total == len(set(seen))
    sizes = [r.query["maxResults"][0] for r in sim.request_log if r.path.endswith("/search")]
    assert sizes == ["1000"] * len(sizes) and len(sizes) == -(-total // 50)


def test_default_page_is_50(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    body = get(shared_sim, http, jql="").json()
    assert body["maxResults"] == 50 and len(body["issues"]) == 50
    assert body["total"] == len(shared_sim.issues)


def test_cap_change_applies_at_runtime(sim: JiraSimulator, http: httpx.Client) -> None:
    assert get(sim, http, jql="", maxResults=200).json()["maxResults"] == 200
    sim.config.max_results_cap = 20
    body = get(sim, http, jql="", maxResults=200).json()
    assert (body["maxResults"], len(body["issues"])) == (20, 20)


def test_zero_and_past_the_end(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    zero = get(shared_sim, http, jql="project = ISB", maxResults=0).json()
    assert zero["issues"] == [] and zero["total"] > 0
    past = get(shared_sim, http, jql="project = ISB", startAt=100000).json()
    assert past["issues"] == [] and past["total"] == zero["total"]


def test_post_search_with_field_array(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    response = http.post(
        f"{shared_sim.base_url}/rest/api/2/search",
        json={
            "jql": MINE,
            "startAt": 5,
            "maxResults": 3,
            "fields": [
                "summary",
                "status",
                "assignee",
                "project",
                "updated",
                "priority",
                "issuetype",
            ],
        },
        headers=bearer(shared_sim.user("alice").pat),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["startAt"] == 5 and len(body["issues"]) == 3
    fields = body["issues"][0]["fields"]
    assert set(fields) == {
        "summary",
        "status",
        "assignee",
        "project",
        "updated",
        "priority",
        "issuetype",
    }
    assert fields["status"]["statusCategory"]["key"] in ("new", "indeterminate")
    assert fields["assignee"]["name"] == "alice"
    assert fields["updated"][-5:] == "+0000" and fields["updated"][19:23] == ".000"


def test_navigable_default_excludes_comment_and_all_includes_it(
    shared_sim: JiraSimulator, http: httpx.Client
) -> None:
    default = get(shared_sim, http, jql="key = ISB-1").json()["issues"][0]["fields"]
    everything = get(shared_sim, http, jql="key = ISB-1", fields="*all").json()
    assert "summary" in default and "comment" not in default
    assert "comment" in everything["issues"][0]["fields"]
    trimmed = get(shared_sim, http, jql="key = ISB-1", fields="*all,-comment").json()
    assert "comment" not in trimmed["issues"][0]["fields"]


def test_status_category_keys_cover_all_three(
    shared_sim: JiraSimulator, http: httpx.Client
) -> None:
    issues = get(shared_sim, http, jql="", maxResults=1000, fields="status").json()["issues"]
    keys = {i["fields"]["status"]["statusCategory"]["key"] for i in issues}
    assert keys == {"new", "indeterminate", "done"}
    done = [i for i in issues if i["fields"]["status"]["statusCategory"]["key"] == "done"]
    assert {i["fields"]["status"]["statusCategory"]["name"] for i in done} == {"Done"}


def test_post_with_form_content_type_is_415(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    response = http.post(
        f"{shared_sim.base_url}/rest/api/2/search",
        data={"jql": ""},
        headers=bearer(shared_sim.user("alice").pat),
    )
    assert response.status_code == 415


def test_anonymous_search_sees_nothing(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    url = f"{shared_sim.base_url}/rest/api/2/search"
    empty = http.get(url, params={"jql": "assignee = currentUser()"})
    assert empty.status_code == 200 and empty.json()["total"] == 0
    assert empty.headers["X-AUSERNAME"] == "anonymous"
    hidden = http.get(url, params={"jql": "project = ISB"})
    assert hidden.status_code == 400
    assert hidden.json()["errorMessages"] == [
        "The value 'ISB' does not exist for the field 'project'."
    ]


@pytest.mark.parametrize("value", ["abc", "1.5"])
def test_non_numeric_paging_is_400(
    shared_sim: JiraSimulator, http: httpx.Client, value: str
) -> None:
    assert get(shared_sim, http, jql="", maxResults=value).status_code == 400


def _keys(body: dict[str, Any]) -> list[str]:
    return [i["key"] for i in body["issues"]]


def test_an_edit_between_pages_moves_the_issue_to_the_front(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    before = _keys(get(sim, http, jql=MINE, maxResults=1000, fields="key").json())
    sim.config.max_results_cap = 50
    last = before[-1]
    sim.edit_after_searches(last, after=1)
    first_page = get(sim, http, jql=MINE, startAt=0, fields="key").json()
    assert _keys(first_page) == before[:50]  # the page served before the edit
    second_page = get(sim, http, jql=MINE, startAt=50, fields="key").json()
    assert _keys(second_page) == before[49:99]  # everything shifted down by one
    sim.config.max_results_cap = 1000
    after = _keys(get(sim, http, jql=MINE, maxResults=1000, fields="key").json())
    assert after == [last, *before[:-1]]


def test_a_resolving_edit_leaves_the_result_and_the_total_drops(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    body = get(sim, http, jql=MINE, maxResults=1000, fields="key").json()
    key = _keys(body)[3]
    response = http.put(
        f"{sim.base_url}/_sim/edits", json={"key": key, "afterSearches": 2, "resolve": True}
    )
    assert response.json()["edits"] == [{"key": key, "afterSearches": 2, "resolve": True}]
    assert get(sim, http, jql=MINE, fields="key").json()["total"] == body["total"]
    assert get(sim, http, jql=MINE, fields="key").json()["total"] == body["total"]
    again = get(sim, http, jql=MINE, maxResults=1000, fields="key").json()
    assert again["total"] == body["total"] - 1 and key not in _keys(again)
    assert http.get(f"{sim.base_url}/_sim/state").json()["edits"] == []
