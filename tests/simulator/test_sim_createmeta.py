"""Create metadata per project and issue type, and creates checked against it the way
Jira checks them: required custom fields, allowed options, fields not on the screen."""

from __future__ import annotations

from typing import Any

import httpx
from sim_helpers import bearer

from simulators.jira_server import JiraSimulator

SEVERITY = "customfield_10010"
PLATFORMS = "customfield_10011"
CUSTOMER_SITE = "customfield_10014"


def api(sim: JiraSimulator, path: str) -> str:
    return f"{sim.base_url}/rest/api/2/{path}"


def auth(sim: JiraSimulator) -> dict[str, str]:
    return bearer(sim.user("alice").pat)


def all_pages(sim: JiraSimulator, http: httpx.Client, path: str) -> list[dict[str, Any]]:
    values: list[dict[str, Any]] = []
    while True:
        page = http.get(api(sim, path), headers=auth(sim), params={"startAt": len(values)}).json()
        values += page["values"]
        if page["isLast"]:
            return values


def create(sim: JiraSimulator, http: httpx.Client, **fields: Any) -> httpx.Response:
    body = {"project": {"key": "ISB"}, "summary": "A new issue", **fields}
    return http.post(api(sim, "issue"), headers=auth(sim), json={"fields": body})


def test_types_differ_in_their_fields(sim: JiraSimulator, http: httpx.Client) -> None:
    bug = {f["fieldId"]: f for f in all_pages(sim, http, "issue/createmeta/ISB/issuetypes/1")}
    story = {f["fieldId"]: f for f in all_pages(sim, http, "issue/createmeta/ISB/issuetypes/10001")}
    assert bug[SEVERITY]["required"] is True
    assert bug[SEVERITY]["schema"] == {
        "type": "option",
        "custom": "com.atlassian.jira.plugin.system.customfieldtypes:select",
        "customId": 10010,
    }
    assert {"self", "value", "id"} <= set(bug[SEVERITY]["allowedValues"][0])
    assert bug[CUSTOMER_SITE]["required"] is False
    assert story[PLATFORMS]["required"] is True
    assert story[PLATFORMS]["schema"]["items"] == "option"
    assert SEVERITY not in story and PLATFORMS not in bug
    ops = all_pages(sim, http, "issue/createmeta/OPS/issuetypes")
    assert [t["name"] for t in ops] == ["Task", "Improvement", "Bug"]
    improvement = all_pages(sim, http, "issue/createmeta/OPS/issuetypes/4")
    assert any(f["fieldId"] == CUSTOMER_SITE and f["required"] for f in improvement)


def test_pages_are_capped_by_the_createmeta_setting(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.config.createmeta_max_results = 3
    page = http.get(
        api(sim, "issue/createmeta/ISB/issuetypes/1"), headers=auth(sim), params={"maxResults": 50}
    ).json()
    assert (page["maxResults"], len(page["values"]), page["isLast"]) == (3, 3, False)
    assert len(all_pages(sim, http, "issue/createmeta/ISB/issuetypes/1")) == page["total"]


def test_create_without_a_required_custom_field_is_refused(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    response = create(sim, http, issuetype={"id": "1"})
    assert response.status_code == 400
    assert response.json() == {"errorMessages": [], "errors": {SEVERITY: "Severity is required."}}
    missing_multi = create(sim, http, issuetype={"name": "Story"})
    assert missing_multi.json()["errors"] == {PLATFORMS: "Platforms is required."}


def test_create_checks_options_screens_and_values(sim: JiraSimulator, http: httpx.Client) -> None:
    response = create(
        sim,
        http,
        issuetype={"id": "1"},
        **{SEVERITY: {"id": "99"}, PLATFORMS: [{"id": "10110"}], "duedate": "2024-02-30"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        SEVERITY: "Option id '99' is not valid",
        PLATFORMS: f"Field '{PLATFORMS}' cannot be set. It is not on the appropriate screen, "
        "or unknown.",
        "duedate": "Error parsing date string: 2024-02-30",
    }


def test_created_custom_values_are_stored(sim: JiraSimulator, http: httpx.Client) -> None:
    response = create(
        sim,
        http,
        issuetype={"name": "Story"},
        **{
            PLATFORMS: [{"id": "10110"}, {"value": "Linux"}],
            "customfield_10012": 5,
            "customfield_10016": "2024-09-01",
        },
    )
    assert response.status_code == 201, response.text
    key = response.json()["key"]
    fields = http.get(
        api(sim, f"issue/{key}"),
        headers=auth(sim),
        params={"fields": f"{PLATFORMS},customfield_10012,customfield_10016,issuetype"},
    ).json()["fields"]
    assert [o["value"] for o in fields[PLATFORMS]] == ["Windows", "Linux"]
    assert fields["customfield_10012"] == 5 and fields["customfield_10016"] == "2024-09-01"
    assert fields["issuetype"]["name"] == "Story"


def test_old_createmeta_honours_issue_type_ids(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.set_version("8.3.0")  # before personal access tokens: a password login
    response = http.get(
        api(sim, "issue/createmeta"),
        auth=("alice", "alice"),
        params={
            "projectKeys": "ISB",
            "issuetypeIds": "10001",
            "expand": "projects.issuetypes.fields",
        },
    ).json()
    (project,) = response["projects"]
    (story,) = project["issuetypes"]
    assert story["name"] == "Story"
    assert story["fields"][PLATFORMS]["required"] is True
    assert "fieldId" not in story["fields"][PLATFORMS]


def test_a_project_added_with_its_own_issue_type_scheme(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    sim.add_project("SUP", "Support", issue_types=["Bug"])
    assert [t["name"] for t in all_pages(sim, http, "issue/createmeta/SUP/issuetypes")] == ["Bug"]
    keys = [p["key"] for p in http.get(api(sim, "project"), headers=auth(sim)).json()]
    assert keys[-1] == "SUP"
    body = {"project": {"key": "SUP"}, "issuetype": {"id": "3"}, "summary": "A task"}
    refused = http.post(api(sim, "issue"), headers=auth(sim), json={"fields": body})
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"issuetype": "valid issue type is required"}
