"""`validateQuery` of the search, as Jira Server documents it: by default a value that
does not exist fails the whole search with 400; with `validateQuery: false` it is a
warning (`warningMessages`) and matches nothing, while a malformed query is still 400."""

from typing import Any

import httpx
from sim_helpers import bearer

from simulators.jira_server import JiraSimulator

MISSING = "An issue with key 'ISB-99999' does not exist for field 'key'."


def post(sim: JiraSimulator, http: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return http.post(
        f"{sim.base_url}/rest/api/2/search",
        json={"maxResults": 100, "fields": ["summary"], **body},
        headers=bearer(sim.user("alice").pat),
    )


def test_a_missing_key_fails_the_search_by_default(
    shared_sim: JiraSimulator, http: httpx.Client
) -> None:
    response = post(shared_sim, http, {"jql": "key in (ISB-1, ISB-99999)"})
    assert response.status_code == 400
    assert response.json()["errorMessages"] == [MISSING]


def test_without_validation_a_missing_key_matches_nothing(
    shared_sim: JiraSimulator, http: httpx.Client
) -> None:
    body = {"jql": "key in (ISB-1, ISB-99999, ISB-2)", "validateQuery": False}
    response = post(shared_sim, http, body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert sorted(i["key"] for i in answer["issues"]) == ["ISB-1", "ISB-2"]
    assert answer["total"] == 2
    assert answer["warningMessages"] == [MISSING]
    # Asked again (the simulator keeps results): the warning is still there.
    assert post(shared_sim, http, body).json()["warningMessages"] == [MISSING]


def test_without_validation_only_missing_values_match_nothing(
    shared_sim: JiraSimulator, http: httpx.Client
) -> None:
    response = post(
        shared_sim, http, {"jql": "key = ISB-99999 OR assignee = nobody", "validateQuery": False}
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["issues"] == [] and answer["total"] == 0
    assert len(answer["warningMessages"]) == 2


def test_without_validation_a_malformed_query_is_still_refused(
    shared_sim: JiraSimulator, http: httpx.Client
) -> None:
    for jql in ("key in (ISB-1", "key ~ ISB-1", "foo = bar"):
        response = post(shared_sim, http, {"jql": jql, "validateQuery": False})
        assert response.status_code == 400, jql
        assert "warningMessages" not in response.json()


def test_the_get_search_reads_validate_query_too(
    shared_sim: JiraSimulator, http: httpx.Client
) -> None:
    url = f"{shared_sim.base_url}/rest/api/2/search"
    headers = bearer(shared_sim.user("alice").pat)
    strict = http.get(url, params={"jql": "key = ISB-99999"}, headers=headers)
    lenient = http.get(
        url, params={"jql": "key = ISB-99999", "validateQuery": "false"}, headers=headers
    )
    assert strict.status_code == 400
    assert lenient.status_code == 200 and lenient.json()["total"] == 0


def test_validate_query_must_be_a_boolean(shared_sim: JiraSimulator, http: httpx.Client) -> None:
    response = post(shared_sim, http, {"jql": "key = ISB-1", "validateQuery": "no"})
    assert response.status_code == 400


def test_a_server_may_ignore_validate_query(http: httpx.Client) -> None:
    from simulators.jira_server import SimulatorConfig

    with JiraSimulator(SimulatorConfig(honour_validate_query=False)) as sim:
        response = post(sim, http, {"jql": "key in (ISB-1, ISB-99999)", "validateQuery": False})
    assert response.status_code == 400
    assert response.json()["errorMessages"] == [MISSING]
