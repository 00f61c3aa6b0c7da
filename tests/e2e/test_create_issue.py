"""`issues/create`: required fields checked before anything is sent, values in Jira's
shapes, Jira's own refusals field by field, and the new issue read back."""

from create_flows import (
    BUG,
    PLATFORMS,
    SEVERITY,
    STORY,
    TASK,
    connected,
    create,
    form,
)
from jira_flows import error_of
from wire import RawAgent

from simulators.jira_server import JiraSimulator


def test_a_create_missing_the_required_select_is_refused_before_any_request(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connected(agent, jira)
    assert "result" in form(agent, instance_id, "ISB", BUG)
    sent, issues_before = len(jira.request_log), len(jira.issues)
    error = error_of(create(agent, instance_id, "ISB", BUG, {"description": "No summary"}))
    assert len(jira.request_log) == sent  # nothing reached Jira
    assert len(jira.issues) == issues_before
    assert error["code"] == -32602
    assert error["data"]["field"] == "fields.summary"  # the first in the form's order
    assert error["data"]["fieldErrors"] == {
        "summary": "Summary is required.",
        SEVERITY: "Severity is required.",
    }


def test_values_are_checked_against_the_form_before_sending(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connected(agent, jira)
    form(agent, instance_id, "ISB", STORY)
    sent = len(jira.request_log)
    reply = create(
        agent,
        instance_id,
        "ISB",
        STORY,
        {
            "summary": "Checked here",
            PLATFORMS: ["10110", "99999"],
            "customfield_10012": "five",
            "customfield_10016": "2024-02-30",
            "labels": ["has space"],
            "nosuchfield": "x",
        },
    )
    error = error_of(reply)
    assert len(jira.request_log) == sent
    assert set(error["data"]["fieldErrors"]) == {
        PLATFORMS,
        "customfield_10012",
        "customfield_10016",
        "labels",
        "nosuchfield",
    }
    assert "99999" in error["data"]["fieldErrors"][PLATFORMS]
    assert "YYYY-MM-DD" in error["data"]["fieldErrors"]["customfield_10016"]


def test_a_create_with_every_kind_of_value(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connected(agent, jira)
    reply = create(
        agent,
        instance_id,
        "ISB",
        "Story",
        {
            "summary": "Créer un ticket 🚀",
            "description": "Line one\nLine two",
            "priority": "2",
            "assignee": "bob",
            "labels": ["api", "editor"],
            PLATFORMS: ["10110", "10112"],
            "customfield_10012": 3.5,
            "customfield_10016": "2024-09-01",
        },
    )
    issue = reply["result"]["issue"]
    assert issue["key"].startswith("ISB-")
    assert issue["url"] == f"{jira.base_url}/browse/{issue['key']}"
    assert issue["title"] == "Créer un ticket 🚀"
    assert issue["type"] == "Story" and issue["priority"] == "High"
    assert issue["assignee"] == {"name": "bob", "displayName": "Bob Brown"}
    assert issue["project"] == {"key": "ISB", "name": "IssueBridge"}
    assert issue["status"]["category"] == "todo"
    stored = next(i for i in jira.issues if i.key == issue["key"])
    assert stored.labels == ["api", "editor"] and stored.description == "Line one\nLine two"
    assert [o["value"] for o in stored.extra_fields[PLATFORMS]] == ["Windows", "Linux"]
    assert stored.extra_fields["customfield_10012"] == 3.5
    assert stored.extra_fields["customfield_10016"] == "2024-09-01"


def test_a_required_multi_select(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connected(agent, jira)
    error = error_of(create(agent, instance_id, "ISB", STORY, {"summary": "No platforms"}))
    assert error["data"]["fieldErrors"] == {PLATFORMS: "Platforms is required."}
    error = error_of(create(agent, instance_id, "ISB", STORY, {"summary": "Empty", PLATFORMS: []}))
    assert error["data"]["fieldErrors"] == {PLATFORMS: "Platforms is required."}
    reply = create(agent, instance_id, "ISB", STORY, {"summary": "One", PLATFORMS: ["10111"]})
    assert reply["result"]["issue"]["type"] == "Story"


def test_a_create_jira_rejects_comes_back_per_field_in_jiras_words(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connected(agent, jira)
    issues_before = len(jira.issues)
    reply = create(
        agent,
        instance_id,
        "ISB",
        TASK,
        {"summary": "x" * 300, "customfield_10015": "nobody"},
    )
    error = error_of(reply)
    posts = [r for r in jira.request_log if r.method == "POST" and r.path.endswith("/issue")]
    assert len(posts) == 1 and posts[0].status == 400
    assert error["code"] == -32602
    assert error["data"]["fieldErrors"] == {
        "summary": "Summary must be less than 255 characters.",
        "customfield_10015": "User 'nobody' does not exist.",
    }
    assert error["data"]["field"] == "fields.summary"
    assert "Summary must be less than 255 characters." in error["message"]
    assert len(jira.issues) == issues_before


def test_unknown_project_type_and_malformed_params(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connected(agent, jira)
    error = error_of(create(agent, instance_id, "NOPE", BUG, {"summary": "x"}))
    assert (error["code"], error["data"]["field"]) == (-32602, "projectKey")
    error = error_of(create(agent, instance_id, "ISB", "Epic", {"summary": "x"}))
    assert (error["code"], error["data"]["field"]) == (-32602, "issueType")
    base = {"instanceId": instance_id, "projectKey": "ISB", "issueType": TASK}
    for params, field in [
        ({**base, "fields": {"summary": {"text": "x"}}}, "fields.summary"),
        ({**base, "fields": {"summary": True}}, "fields.summary"),
        ({**base, "fields": {"labels": ["a", 1]}}, "fields.labels"),
        ({**base, "fields": "summary"}, "fields"),
        ({"instanceId": instance_id, "projectKey": "ISB", "fields": {}}, "issueType"),
    ]:
        error = error_of(agent.call("issuebridge/issues/create", params))
        assert (error["code"], error["data"]["field"]) == (-32602, field), (params, error)
    assert not [r for r in jira.request_log if r.method == "POST"]
