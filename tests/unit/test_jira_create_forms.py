"""Jira field schemas the simulator does not have, mapped to form kinds; and values
shaped for Jira."""

from typing import Any

import pytest

from agent.providers.jira_server import forms, values
from protocol.types import IssueType

CUSTOM = "com.atlassian.jira.plugin.system.customfieldtypes:"
OPTIONS = [{"id": "1", "value": "One"}, {"id": "2", "name": "Two"}, {"id": "3", "disabled": True}]


@pytest.mark.parametrize(
    ("name", "schema", "allowed", "kind"),
    [
        ("summary", {"type": "string", "system": "summary"}, None, "text"),
        ("environment", {"type": "string", "system": "environment"}, None, "multilineText"),
        ("customfield_1", {"type": "string", "custom": f"{CUSTOM}url"}, None, "text"),
        ("components", {"type": "array", "items": "component"}, OPTIONS, "multiSelect"),
        ("fixVersions", {"type": "array", "items": "version"}, OPTIONS, "multiSelect"),
        ("customfield_2", {"type": "option", "custom": f"{CUSTOM}radiobuttons"}, OPTIONS, "select"),
        ("customfield_3", {"type": "option", "custom": f"{CUSTOM}select"}, [], None),
        ("customfield_4", {"type": "datetime", "custom": f"{CUSTOM}datetime"}, None, None),
        ("customfield_5", {"type": "array", "items": "user"}, None, None),
        ("customfield_6", {"type": "array", "items": "string"}, None, None),
        ("timetracking", {"type": "timetracking", "system": "timetracking"}, None, None),
        ("attachment", {"type": "array", "items": "attachment"}, None, None),
    ],
)
def test_schema_kinds(name: str, schema: dict[str, Any], allowed: Any, kind: str | None) -> None:
    assert forms.field_kind(name, schema, allowed) == kind


def test_allowed_values_by_value_or_name_without_disabled_ones() -> None:
    assert [(v.id, v.label) for v in forms.allowed_values(OPTIONS)] == [("1", "One"), ("2", "Two")]


def test_unrenderable_fields_are_left_out_or_named_when_required() -> None:
    metas: list[dict[str, Any]] = [
        {"fieldId": "project", "required": True, "schema": {"type": "project"}, "name": "P"},
        {"fieldId": "summary", "required": True, "schema": {"type": "string"}, "name": "Summary"},
        {"fieldId": "customfield_7", "required": False, "schema": {"type": "any"}, "name": "Opt"},
        {
            "fieldId": "customfield_8",
            "required": True,
            "schema": {"type": "option-with-child", "custom": f"{CUSTOM}cascadingselect"},
            "name": "Site",
        },
    ]
    spec = forms.form_spec(IssueType(id="1", name="Bug"), metas)
    assert [f.name for f in spec.fields] == ["summary"]
    assert spec.left_out == {"customfield_7": "Opt"}
    assert [(u.name, u.kind) for u in spec.unsupported] == [("customfield_8", "cascadingselect")]
    errors = values.check(spec, {"summary": "s", "customfield_7": "x"})
    assert set(errors) == {"customfield_7", "customfield_8"}


def test_sub_task_types_are_not_offered() -> None:
    assert forms.issue_type({"id": "5", "name": "Sub-task", "subtask": True}) is None
    assert forms.issue_type({"id": "1", "name": "Bug", "subtask": False}) == IssueType("1", "Bug")


def test_values_in_jiras_shapes() -> None:
    metas: list[dict[str, Any]] = [
        {"fieldId": "priority", "schema": {"type": "priority"}, "allowedValues": OPTIONS},
        {
            "fieldId": "components",
            "schema": {"type": "array", "items": "component"},
            "allowedValues": OPTIONS,
        },
        {"fieldId": "assignee", "schema": {"type": "user"}},
        {"fieldId": "labels", "schema": {"type": "array", "items": "string", "system": "labels"}},
        {"fieldId": "customfield_9", "schema": {"type": "number"}},
        {"fieldId": "duedate", "schema": {"type": "date"}},
    ]
    spec = forms.form_spec(IssueType(id="1", name="Bug"), metas)
    given: dict[str, Any] = {
        "priority": "2",
        "components": ["1", "2"],
        "assignee": "bob",
        "labels": ["a"],
        "customfield_9": 0,
        "duedate": "2024-02-29",
    }
    assert values.check(spec, given) == {}
    assert values.to_jira(spec, given) == {
        "priority": {"id": "2"},
        "components": [{"id": "1"}, {"id": "2"}],
        "assignee": {"name": "bob"},
        "labels": ["a"],
        "customfield_9": 0,
        "duedate": "2024-02-29",
    }
    assert set(values.check(spec, {"priority": "3", "duedate": "29.02.2024"})) == {
        "priority",
        "duedate",
    }
