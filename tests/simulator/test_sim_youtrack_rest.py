"""The YouTrack simulator's REST API as its documentation describes it: `fields=`,
`$skip`/`$top` (42 by default), the query language's subset, commands, comments,
error bodies, faults, the admin API and the command line."""

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simulators.youtrack import YouTrackSimulator
from simulators.youtrack import fields as yt_fields
from simulators.youtrack import query as yt_query


@pytest.fixture
def youtrack() -> Iterator[YouTrackSimulator]:
    with YouTrackSimulator() as simulator:
        yield simulator


def api(sim: YouTrackSimulator, user: str = "alice") -> httpx.Client:
    token = sim.store.users[user].token
    return httpx.Client(
        base_url=f"{sim.base_url}/api",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        timeout=10,
    )


def test_fields_syntax_projects_nested_attributes() -> None:
    spec = yt_fields.parse("id,project(shortName),customFields(name,value(name))")
    full: dict[str, Any] = {
        "$type": "Issue",
        "id": "2-1",
        "summary": "s",
        "project": {"$type": "Project", "id": "0-0", "shortName": "DEMO", "name": "Demo"},
        "customFields": [{"$type": "F", "name": "State", "value": {"name": "Open", "x": 1}}],
    }
    assert yt_fields.project(full, spec) == {
        "$type": "Issue",
        "id": "2-1",
        "project": {"$type": "Project", "shortName": "DEMO"},
        "customFields": [{"$type": "F", "name": "State", "value": {"name": "Open"}}],
    }
    # Without fields: only the entity's $type and id, as YouTrack answers.
    assert yt_fields.project(full, None) == {"$type": "Issue", "id": "2-1"}
    with pytest.raises(yt_fields.FieldsSyntaxError):
        yt_fields.parse("id,project(name")


def test_current_user_and_token_errors(youtrack: YouTrackSimulator) -> None:
    with api(youtrack) as http:
        me = http.get("/users/me", params={"fields": "login,fullName"}).json()
    assert me == {"$type": "User", "login": "alice", "fullName": "Alice Able"}
    token = youtrack.store.users["alice"].token
    assert token.startswith("perm:")
    wrong = httpx.get(
        f"{youtrack.base_url}/api/users/me", headers={"Authorization": "Bearer perm:nope"}
    )
    assert wrong.status_code == 401
    assert wrong.json() == {"error": "Unauthorized", "error_description": "Invalid token"}
    anonymous = httpx.get(f"{youtrack.base_url}/api/users/me")
    assert anonymous.status_code == 401


def test_paging_defaults_to_42_and_honours_skip_top_and_the_cap(
    youtrack: YouTrackSimulator,
) -> None:
    with api(youtrack) as http:
        everything = http.get("/issues", params={"fields": "idReadable", "$top": 1000}).json()
        default = http.get("/issues", params={"fields": "idReadable"}).json()
        second = http.get("/issues", params={"fields": "idReadable", "$skip": 5, "$top": 5})
        youtrack.page_size = 3
        capped = http.get("/issues", params={"fields": "idReadable", "$top": 50}).json()
        bad = http.get("/issues", params={"$top": "many"})
    assert len(everything) == 80 and len(default) == 42
    assert second.json() == everything[5:10]
    assert capped == everything[:3]
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request"
    assert youtrack.list_requests == 5


def test_query_for_me_unresolved_sorted_by_update(youtrack: YouTrackSimulator) -> None:
    query = "for: me #Unresolved sort by: updated desc"
    with api(youtrack) as http:
        found = http.get(
            "/issues",
            params={
                "query": query,
                "fields": "idReadable,updated,customFields(name,value(name,login,isResolved))",
                "$top": 100,
            },
        ).json()
        refused = http.get("/issues", params={"query": "nosuchfield: x"})
    assert len(found) > 30  # more than three pages of ten
    updates = [i["updated"] for i in found]
    assert updates == sorted(updates, reverse=True)
    for issue in found:
        values = {f["name"]: f["value"] for f in issue["customFields"]}
        assert values["Assignee"]["login"] == "alice"
        assert values["State"]["isResolved"] is False
    assert refused.status_code == 400
    assert refused.json()["error_description"] == "Unknown field: nosuchfield"
    project = yt_query.parse("project: CORE #{In Progress}", "alice")
    assert all(
        i.project == "CORE" and i.state == "In Progress"
        for i in youtrack.store.issues.values()
        if project.matches(i)
    )


def test_commands_change_state_and_assignee_and_comment(youtrack: YouTrackSimulator) -> None:
    issue = youtrack.store.issues["DEMO-1"]
    before = issue.updated
    with api(youtrack) as http:
        applied = http.post(
            "/commands",
            json={
                "query": "State {In Progress} Assignee bob",
                "issues": [{"idReadable": "DEMO-1"}],
                "comment": "Handing over.",
            },
        )
        wrong = http.post(
            "/commands", json={"query": "State Nope", "issues": [{"idReadable": "DEMO-1"}]}
        )
        commented = http.post(
            "/issues/DEMO-1/comments", params={"fields": "text,author(login)"}, json={"text": "Hi"}
        ).json()
        comments = http.get("/issues/DEMO-1/comments", params={"fields": "text"}).json()
        missing = http.get("/issues/DEMO-999")
        count = http.post("/issuesGetter/count", params={"fields": "count"}, json={"query": ""})
    assert applied.status_code == 200
    assert issue.state == "In Progress" and issue.assignee == "bob" and issue.updated > before
    assert wrong.status_code == 400 and "Nope" in wrong.json()["error_description"]
    assert issue.state == "In Progress"
    assert commented == {
        "$type": "IssueComment",
        "text": "Hi",
        "author": {"$type": "User", "login": "alice"},
    }
    assert [c["text"] for c in comments][-2:] == ["Handing over.", "Hi"]
    assert missing.status_code == 404 and missing.json()["error"] == "Not Found"
    assert count.json() == {"$type": "IssueCountResponse", "count": 80}


def test_faults_and_admin_api(youtrack: YouTrackSimulator) -> None:
    admin = f"{youtrack.base_url}/_sim"
    httpx.post(f"{admin}/faults", json={"status": 429, "count": 1, "retryAfter": 7})
    with api(youtrack) as http:
        limited = http.get("/issues")
        httpx.post(f"{admin}/faults", json={"status": 503, "count": 1})
        unavailable = http.get("/issues")
        ok = http.get("/issues", params={"fields": "idReadable", "$top": 1})
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "7"
    assert limited.json()["error"] == "too_many_requests"
    assert unavailable.status_code == 503 and "text/html" in unavailable.headers["Content-Type"]
    assert ok.status_code == 200
    httpx.post(f"{admin}/page-size", json={"size": 4})
    added = httpx.post(f"{admin}/users", json={"login": "dave", "fullName": "Dave Dunn"}).json()
    state = httpx.get(f"{admin}/state").json()
    assert state["pageSize"] == 4 and state["listRequests"] == 3
    assert {"login": "dave", "fullName": "Dave Dunn", "token": added["token"]} in state["users"]
    httpx.post(f"{admin}/revoke", json={"login": "alice"})
    with api(youtrack) as http:
        assert http.get("/users/me").status_code == 401
    with api(youtrack, "bob") as http:
        assert http.get("/users/me").status_code == 200


def test_context_path_and_issue_page() -> None:
    with YouTrackSimulator(context_path="/youtrack") as sim:
        assert sim.base_url.endswith("/youtrack")
        page = httpx.get(f"{sim.base_url}/issue/DEMO-1")
        outside = httpx.get(f"{sim.base_url.removesuffix('/youtrack')}/api/users/me")
    assert page.status_code == 200 and "DEMO-1" in page.text
    assert outside.status_code == 404


def test_command_line_prints_the_base_url_first() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "simulators", "youtrack", "--page-size", "5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        state = httpx.get(f"{base_url}/_sim/state", timeout=10).json()
        assert state["pageSize"] == 5
        assert json.dumps(state)  # plain JSON
    finally:
        process.terminate()
        process.wait(10)
