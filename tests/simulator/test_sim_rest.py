"""REST v2 resources beyond search: shapes, versions and Jira's error bodies."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sim_helpers import bearer

from simulators.jira_server import JiraSimulator, SimulatorConfig


def api(sim: JiraSimulator, path: str) -> str:
    return f"{sim.base_url}/rest/api/2/{path}"


def auth(sim: JiraSimulator, user: str = "alice") -> dict[str, str]:
    return bearer(sim.user(user).pat)


def test_myself_shape_and_utf8(sim: JiraSimulator, http: httpx.Client) -> None:
    response = http.get(api(sim, "myself"), headers=auth(sim, "zoe"))
    body = response.json()
    assert body["name"] == "zoe" and body["key"].startswith("JIRAUSER")
    assert body["displayName"] == "Zoë Ünal"
    # Raw UTF-8 in the body, not \u escapes: byte length differs from character length.
    assert "Zoë Ünal".encode() in response.content
    assert int(response.headers["Content-Length"]) == len(response.content)
    assert {"emailAddress", "active", "timeZone", "self"} <= set(body)


def test_mypermissions(sim: JiraSimulator, http: httpx.Client) -> None:
    perms = http.get(
        api(sim, "mypermissions"), params={"permissions": "BROWSE_PROJECTS"}, headers=auth(sim)
    ).json()["permissions"]
    assert list(perms) == ["BROWSE_PROJECTS"] and perms["BROWSE_PROJECTS"]["havePermission"]
    anonymous = http.get(api(sim, "mypermissions")).json()["permissions"]
    assert not anonymous["BROWSE_PROJECTS"]["havePermission"]


def test_project_list(sim: JiraSimulator, http: httpx.Client) -> None:
    projects = http.get(api(sim, "project"), headers=auth(sim)).json()
    assert [p["key"] for p in projects] == ["ISB", "WEB", "OPS", "DOC"]
    assert all({"id", "key", "name", "self"} <= set(p) for p in projects)
    assert http.get(api(sim, "project")).json() == []


def test_issue_get_and_anonymous(sim: JiraSimulator, http: httpx.Client) -> None:
    issue = http.get(api(sim, "issue/ISB-1"), headers=auth(sim)).json()
    assert issue["key"] == "ISB-1" and "comment" in issue["fields"]
    by_id = http.get(api(sim, f"issue/{issue['id']}"), headers=auth(sim)).json()
    assert by_id["key"] == "ISB-1"
    missing = http.get(api(sim, "issue/ISB-9999"), headers=auth(sim))
    assert missing.status_code == 404
    assert missing.json() == {"errorMessages": ["Issue Does Not Exist"], "errors": {}}
    anonymous = http.get(api(sim, "issue/ISB-1"))
    assert anonymous.status_code == 401
    assert "Login Required" in anonymous.json()["errorMessages"]


def test_create_issue_and_validation(sim: JiraSimulator, http: httpx.Client) -> None:
    created = http.post(
        api(sim, "issue"),
        headers=auth(sim),
        json={
            "fields": {
                "project": {"key": "WEB"},
                "issuetype": {"name": "Task"},
                "summary": "Créé via REST",
                "assignee": {"name": "bob"},
                "labels": ["api"],
            }
        },
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("WEB-") and created.json()["self"].endswith(created.json()["id"])
    issue = http.get(api(sim, f"issue/{key}"), headers=auth(sim)).json()["fields"]
    assert issue["summary"] == "Créé via REST" and issue["reporter"]["name"] == "alice"
    assert issue["status"]["statusCategory"]["key"] == "new"
    bad = http.post(
        api(sim, "issue"),
        headers=auth(sim),
        json={"fields": {"project": {"key": "NOPE"}, "issuetype": {"id": "1"}}},
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "errorMessages": [],
        "errors": {
            "project": "valid project is required",
            "summary": "You must specify a summary of the issue.",
        },
    }


@pytest.mark.parametrize(("version", "status"), [("8.20.0", 200), ("9.0.0", 404), ("9.12.0", 404)])
def test_old_createmeta_removed_in_9(
    sim: JiraSimulator, http: httpx.Client, version: str, status: int
) -> None:
    sim.set_version(version)
    response = http.get(
        api(sim, "issue/createmeta"),
        headers=auth(sim),
        params={"projectKeys": "ISB", "expand": "projects.issuetypes.fields"},
    )
    assert response.status_code == status
    if status == 200:
        project = response.json()["projects"][0]
        assert project["key"] == "ISB"
        assert "summary" in project["issuetypes"][0]["fields"]
    else:
        assert response.json()["errorMessages"] == ["Issue Does Not Exist"]


def test_new_createmeta_is_paged(sim: JiraSimulator, http: httpx.Client) -> None:
    types = http.get(
        api(sim, "issue/createmeta/ISB/issuetypes"), headers=auth(sim), params={"maxResults": 2}
    ).json()
    assert (types["total"], len(types["values"]), types["isLast"]) == (4, 2, False)
    fields = http.get(api(sim, "issue/createmeta/ISB/issuetypes/1"), headers=auth(sim)).json()
    required = {f["fieldId"] for f in fields["values"] if f["required"]}
    assert required == {"project", "issuetype", "summary", "customfield_10010"}
    sim.set_version("8.3.0")
    assert (
        http.get(api(sim, "issue/createmeta/ISB/issuetypes"), headers=auth(sim)).status_code == 404
    )


def test_transition_to_done_resolves(sim: JiraSimulator, http: httpx.Client) -> None:
    issue = sim.add_issue("ISB", "Transition me", assignee="alice")
    listed = http.get(api(sim, f"issue/{issue.key}/transitions"), headers=auth(sim)).json()
    done = next(t for t in listed["transitions"] if t["to"]["statusCategory"]["key"] == "done")
    moved = http.post(
        api(sim, f"issue/{issue.key}/transitions"),
        headers=auth(sim),
        json={"transition": {"id": done["id"]}},
    )
    assert moved.status_code == 204
    fields = http.get(api(sim, f"issue/{issue.key}"), headers=auth(sim)).json()["fields"]
    assert fields["status"]["name"] == done["to"]["name"]
    assert fields["resolution"]["name"] == "Done"
    invalid = http.post(
        api(sim, f"issue/{issue.key}/transitions"),
        headers=auth(sim),
        json={"transition": {"id": "999"}},
    )
    assert invalid.status_code == 400 and invalid.json()["errorMessages"]


def test_comments(sim: JiraSimulator, http: httpx.Client) -> None:
    posted = http.post(
        api(sim, "issue/ISB-2/comment"), headers=auth(sim, "bob"), json={"body": "Looks good 👍"}
    )
    assert posted.status_code == 201 and posted.json()["author"]["name"] == "bob"
    listed = http.get(api(sim, "issue/ISB-2/comment"), headers=auth(sim)).json()
    assert listed["comments"][-1]["body"] == "Looks good 👍"
    empty = http.post(api(sim, "issue/ISB-2/comment"), headers=auth(sim), json={"body": " "})
    assert empty.status_code == 400 and "comment" in empty.json()["errors"]


def test_assignable_search_and_assign(sim: JiraSimulator, http: httpx.Client) -> None:
    users = http.get(
        api(sim, "user/assignable/search"),
        headers=auth(sim),
        params={"username": "zo", "project": "ISB"},
    ).json()
    assert [u["name"] for u in users] == ["zoe"]
    assert (
        http.get(
            api(sim, "user/assignable/search"), headers=auth(sim), params={"username": "a"}
        ).status_code
        == 400
    )
    assigned = http.put(api(sim, "issue/ISB-3/assignee"), headers=auth(sim), json={"name": "zoe"})
    assert assigned.status_code == 204
    fields = http.get(api(sim, "issue/ISB-3"), headers=auth(sim)).json()["fields"]
    assert fields["assignee"]["displayName"] == "Zoë Ünal"
    unknown = http.put(api(sim, "issue/ISB-3/assignee"), headers=auth(sim), json={"name": "x"})
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"assignee": "User 'x' does not exist."}


def test_added_issue_is_searchable(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.clear_issues()
    sim.add_issue(
        project_key="OPS",
        summary="Only one",
        assignee="alice",
        status="In Progress",
        updated="2024-03-05T14:22:01.000+0000",
    )
    body = http.get(api(sim, "search"), headers=auth(sim), params={"jql": ""}).json()
    assert body["total"] == 1
    fields = body["issues"][0]["fields"]
    assert fields["updated"] == "2024-03-05T14:22:01.000+0000"
    assert fields["status"]["statusCategory"]["key"] == "indeterminate"


def test_unknown_rest_path_is_404(sim: JiraSimulator, http: httpx.Client) -> None:
    response = http.get(api(sim, "nothing/here"), headers=auth(sim))
    assert response.status_code == 404
    assert response.json()["status-code"] == 404


def test_root_context_path(http: httpx.Client) -> None:
    with JiraSimulator(SimulatorConfig(context_path="")) as sim:
        assert sim.base_url.count("/") == 2
        info: dict[str, Any] = http.get(f"{sim.base_url}/rest/api/2/serverInfo").json()
        assert info["baseUrl"] == sim.base_url


def test_seed_is_deterministic() -> None:
    first, second = JiraSimulator(SimulatorConfig(seed=7)), JiraSimulator(SimulatorConfig(seed=7))
    assert [(i.key, i.summary, i.assignee, i.updated) for i in first.issues] == [
        (i.key, i.summary, i.assignee, i.updated) for i in second.issues
    ]
    assert [u.pat for u in first.users] == [u.pat for u in second.users]
    other = JiraSimulator(SimulatorConfig(seed=8))
    assert [i.summary for i in other.issues] != [i.summary for i in first.issues]
