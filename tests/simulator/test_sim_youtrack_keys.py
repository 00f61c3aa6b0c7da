"""The YouTrack simulator's project list and issue ids in the query, as JetBrains
documents them: `/api/admin/projects` paged with `$skip`/`$top`, and several values of
one attribute separated by commas (`issue id: A-1, A-2`) matching any of them."""

from collections.abc import Iterator

import httpx
import pytest

from simulators.youtrack import YouTrackSimulator
from simulators.youtrack import query as yt_query


@pytest.fixture
def youtrack() -> Iterator[YouTrackSimulator]:
    with YouTrackSimulator() as sim:
        yield sim


def api(sim: YouTrackSimulator) -> httpx.Client:
    token = sim.store.users["alice"].token
    return httpx.Client(
        base_url=f"{sim.base_url}/api", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def test_projects_are_listed_with_the_fields_asked_and_paged(youtrack: YouTrackSimulator) -> None:
    http = api(youtrack)
    everything = http.get("/admin/projects", params={"fields": "shortName"}).json()
    assert {p["shortName"] for p in everything} == {"DEMO", "CORE"}
    assert all(set(p) == {"$type", "shortName"} for p in everything)
    page = http.get("/admin/projects", params={"fields": "shortName", "$skip": 1, "$top": 1})
    assert len(page.json()) == 1
    bare = http.get("/admin/projects").json()
    assert all(set(p) == {"$type", "id"} for p in bare)


def test_issue_ids_separated_by_commas_match_any_of_them(youtrack: YouTrackSimulator) -> None:
    params = {"query": "issue id: DEMO-1, CORE-2,DEMO-9999", "fields": "idReadable"}
    found = api(youtrack).get("/issues", params=params).json()
    assert sorted(i["idReadable"] for i in found) == ["CORE-2", "DEMO-1"]


def test_words_before_sort_by_are_text_not_an_attribute() -> None:
    query = yt_query.parse("project: DEMO login sort by: updated desc", "alice")
    assert len(query.predicates) == 2 and query.sort_field == "updated"
