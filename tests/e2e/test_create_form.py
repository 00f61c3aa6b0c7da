"""`issues/createForm`: a project's issue types and one type's fields, from Jira's
create metadata, every page of it, with a bounded number of requests."""

import math

from create_flows import (
    BUG,
    CUSTOMER_SITE,
    IMPROVEMENT,
    PLATFORMS,
    SEVERITY,
    STORY,
    TASK,
    connected,
    createmeta_requests,
    form,
)
from jira_flows import authorize_loopback, error_of, oauth_instance
from wire import RawAgent

from simulators.jira_server import JiraSimulator, SimulatorConfig, createmeta


def test_required_custom_select_is_rendered_with_its_allowed_values(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connected(agent, jira)
    result = form(agent, instance_id, "ISB")["result"]
    assert result["issueTypes"] == [
        {"id": BUG, "name": "Bug"},
        {"id": TASK, "name": "Task"},
        {"id": STORY, "name": "Story"},
        {"id": IMPROVEMENT, "name": "Improvement"},
    ]
    assert result["issueType"] == BUG  # the first, when none is asked
    fields = {f["name"]: f for f in result["fields"]}
    assert fields[SEVERITY] == {
        "name": SEVERITY,
        "label": "Severity",
        "kind": "select",
        "required": True,
        "allowedValues": [
            {"id": "10100", "label": "S1 - Critical"},
            {"id": "10101", "label": "S2 - Major"},
            {"id": "10102", "label": "S3 - Minor"},
            {"id": "10103", "label": "S4 - Cosmetic"},
        ],
    }
    assert fields["summary"]["kind"] == "text" and fields["summary"]["required"] is True
    assert fields["description"]["kind"] == "multilineText"
    assert fields["priority"]["kind"] == "select"
    assert [v["label"] for v in fields["priority"]["allowedValues"]][:2] == ["Highest", "High"]
    assert fields["assignee"]["kind"] == "user"
    assert fields["labels"]["kind"] == "labels"
    assert fields["duedate"]["kind"] == "date"
    # Params, not form fields; and the optional cascading select is left out.
    assert not {"project", "issuetype", CUSTOMER_SITE} & set(fields)


def test_each_kind_of_story_field(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connected(agent, jira)
    result = form(agent, instance_id, "ISB", "story")["result"]  # by name, any case
    assert result["issueType"] == STORY
    kinds = {f["name"]: (f["kind"], f["required"]) for f in result["fields"]}
    assert kinds[PLATFORMS] == ("multiSelect", True)
    assert kinds["customfield_10012"] == ("number", False)
    assert kinds["customfield_10016"] == ("date", False)
    assert kinds["customfield_10013"] == ("multilineText", False)
    assert kinds["customfield_10017"] == ("labels", False)
    platforms = next(f for f in result["fields"] if f["name"] == PLATFORMS)
    assert [v["label"] for v in platforms["allowedValues"]] == ["Windows", "macOS", "Linux"]
    by_id = form(agent, instance_id, "ISB", TASK)["result"]
    assert by_id["issueType"] == TASK
    assert {f["name"] for f in by_id["fields"]} >= {"customfield_10012", "customfield_10015"}


def _metadata_size(jira: JiraSimulator, project_key: str, type_id: str) -> tuple[int, int]:
    """How many issue types the project has, and fields the type (with project and
    issue type), worked out from the simulator's table."""
    project = jira.store.project(project_key)
    assert project is not None
    types = createmeta.issue_types(project)
    itype = next(t for t in types if t.id == type_id)
    return len(types), 2 + len(createmeta.type_fields(project, itype).fields)


def test_createmeta_requests_for_one_form_are_bounded(agent: RawAgent) -> None:
    with JiraSimulator(SimulatorConfig(createmeta_max_results=3)) as jira:
        instance_id = connected(agent, jira)
        result = form(agent, instance_id, "ISB", STORY)["result"]
        types, story_fields = _metadata_size(jira, "ISB", STORY)
        # Every page read, pages of 3: all the fields but project and issue type.
        assert len(result["fields"]) == story_fields - 2 > 3
        requests = createmeta_requests(jira)
        type_pages = math.ceil(types / 3)
        field_pages = math.ceil(story_fields / 3)
        assert len(requests) == type_pages + field_pages, requests
        assert all("/issuetypes" in r for r in requests)  # never the old endpoint on 9.x
        # Within a few minutes the same form, and another type's, ask only for what is new.
        assert form(agent, instance_id, "ISB", STORY)["result"] == result
        assert len(createmeta_requests(jira)) == type_pages + field_pages
        form(agent, instance_id, "ISB", TASK)
        task_pages = math.ceil(_metadata_size(jira, "ISB", TASK)[1] / 3)
        assert len(createmeta_requests(jira)) == type_pages + field_pages + task_pages


def test_a_required_field_the_form_cannot_render_is_named(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connected(agent, jira)
    ops = form(agent, instance_id, "OPS")["result"]
    assert [t["name"] for t in ops["issueTypes"]] == ["Task", "Improvement", "Bug"]
    error = error_of(form(agent, instance_id, "OPS", "Improvement"))
    assert error["code"] == -32602
    assert error["data"]["field"] == "issueType"
    assert "Customer Site" in error["message"] and "cascadingselect" in error["message"]
    assert set(error["data"]["fieldErrors"]) == {CUSTOMER_SITE}


def test_unknown_project_and_issue_type(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connected(agent, jira)
    error = error_of(form(agent, instance_id, "NOPE"))
    assert error["code"] == -32602 and error["data"]["field"] == "projectKey"
    assert "NOPE" in error["message"]
    error = error_of(form(agent, instance_id, "ISB", "Epic"))
    assert error["code"] == -32602 and error["data"]["field"] == "issueType"
    assert "Bug (1)" in error["message"]


def test_malformed_params_name_the_field(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connected(agent, jira)
    for params, field in [
        ({"instanceId": instance_id}, "projectKey"),
        ({"instanceId": instance_id, "projectKey": 12}, "projectKey"),
        ({"instanceId": instance_id, "projectKey": "ISB", "issueType": ["1"]}, "issueType"),
        ({"projectKey": "ISB"}, "instanceId"),
    ]:
        error = error_of(agent.call("issuebridge/issues/createForm", params))
        assert (error["code"], error["data"]["field"]) == (-32602, field), params
    assert createmeta_requests(jira) == []


def test_an_8_3_server_uses_the_old_create_metadata(agent: RawAgent) -> None:
    with JiraSimulator(SimulatorConfig(version="8.3.0")) as jira:
        jira.oauth_auto_approve = "alice"  # 8.3 has no personal access tokens
        instance_id = oauth_instance(agent, jira)
        assert authorize_loopback(agent, instance_id)["result"]["instance"]["state"] == (
            "connected"
        )
        jira.request_log.clear()
        result = form(agent, instance_id, "ISB", "Story")["result"]
        assert result["issueType"] == STORY
        platforms = next(f for f in result["fields"] if f["name"] == PLATFORMS)
        assert platforms["kind"] == "multiSelect" and platforms["required"] is True
        requests = createmeta_requests(jira)
        assert len(requests) == 2, requests
        assert all("/issuetypes" not in r for r in requests)
        assert "issuetypeIds=10001" in requests[1]
        error = error_of(form(agent, instance_id, "NOPE"))
        assert (error["code"], error["data"]["field"]) == (-32602, "projectKey")
