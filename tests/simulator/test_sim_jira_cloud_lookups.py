"""The Jira Cloud simulator's project search and bulk fetch, as Atlassian documents
them: pages of projects with `isLast`, issues by key in ascending id order with the
unknown ones left out, and the request limits."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulators.jira_cloud import JiraCloudSimulator


@pytest.fixture
def cloud() -> Iterator[JiraCloudSimulator]:
    with JiraCloudSimulator() as sim:
        yield sim


def client(sim: JiraCloudSimulator) -> httpx.Client:
    account = sim.user("alice")
    return httpx.Client(base_url=sim.base_url, auth=(account.email, account.api_token), timeout=10)


def test_project_search_pages_until_is_last(cloud: JiraCloudSimulator) -> None:
    http = client(cloud)
    first = http.get("/rest/api/3/project/search", params={"maxResults": 1}).json()
    assert [p["key"] for p in first["values"]] == ["CORE"]
    assert first["isLast"] is False and first["total"] == 2 and "nextPage" in first
    second = http.get("/rest/api/3/project/search", params={"startAt": 1, "maxResults": 1})
    assert [p["key"] for p in second.json()["values"]] == ["WEB"]
    assert second.json()["isLast"] is True and "nextPage" not in second.json()


def test_bulk_fetch_answers_known_keys_in_id_order_and_leaves_out_unknown_ones(
    cloud: JiraCloudSimulator,
) -> None:
    body = {"issueIdsOrKeys": ["WEB-2", "core-1", "CORE-9999", "NOPE-1"], "fields": ["summary"]}
    answer = client(cloud).post("/rest/api/3/issue/bulkfetch", json=body)
    assert answer.status_code == 200
    issues = answer.json()["issues"]
    assert [i["key"] for i in issues] == sorted(
        ["WEB-2", "CORE-1"],
        key=lambda k: int(cloud.issue(k).id),  # type: ignore[union-attr]
    )
    assert set(issues[0]["fields"]) == {"summary"}
    assert answer.json()["issueErrors"] == []


def test_bulk_fetch_refuses_no_keys_and_too_many(cloud: JiraCloudSimulator) -> None:
    http = client(cloud)
    assert http.post("/rest/api/3/issue/bulkfetch", json={"issueIdsOrKeys": []}).status_code == 400
    assert http.post("/rest/api/3/issue/bulkfetch", json={"fields": ["summary"]}).status_code == 400
    many = [f"CORE-{n}" for n in range(1, 102)]
    wide = http.post("/rest/api/3/issue/bulkfetch", json={"issueIdsOrKeys": many})
    assert wide.status_code == 400 and wide.json()["errorMessages"]
    narrow = {"issueIdsOrKeys": many, "fields": ["summary", "status"]}
    assert http.post("/rest/api/3/issue/bulkfetch", json=narrow).status_code == 200


def test_bulk_fetch_needs_credentials(cloud: JiraCloudSimulator) -> None:
    answer = httpx.post(
        f"{cloud.base_url}/rest/api/3/issue/bulkfetch", json={"issueIdsOrKeys": ["CORE-1"]}
    )
    assert answer.status_code == 401
