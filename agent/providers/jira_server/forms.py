"""Jira's create metadata -> the fields of a create form.

Each field's `schema` decides its kind: strings are text (description, environment
and text-area custom fields multi-line), options and priorities (anything single with
`allowedValues`) select, arrays of them multiSelect, numbers, dates, users, and arrays
of strings that are labels (system or custom). Project and issue type are not fields
of the form (they are params of the create). A field of any other kind (cascading
select, date-time, multi-user picker, attachments…) is left out; a *required* one is
kept in `unsupported`, since no create of that type can succeed from the form.
"""

from typing import Any

import attrs

from protocol.types import AllowedValue, FormField, FormFieldKind, IssueType

CUSTOM = "com.atlassian.jira.plugin.system.customfieldtypes:"
MULTILINE_SYSTEM = {"description", "environment"}
MULTILINE_CUSTOM = {f"{CUSTOM}textarea"}
LABELS_CUSTOM = {f"{CUSTOM}labels"}
NOT_FORM_FIELDS = {"project", "issuetype"}


@attrs.frozen
class Unsupported:
    """A required field the form cannot enter, and what Jira calls its kind."""

    name: str
    label: str
    kind: str


@attrs.frozen
class FormSpec:
    """One issue type's create form, and what it knows beyond the wire shape."""

    issue_type: IssueType
    fields: list[FormField]
    unsupported: list[Unsupported] = attrs.Factory(list)
    # Optional fields left out, by id: a value sent for one is refused by name.
    left_out: dict[str, str] = attrs.Factory(dict)

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)


def issue_type(raw: Any) -> IssueType | None:
    if not isinstance(raw, dict) or raw.get("id") in (None, "") or not raw.get("name"):
        return None
    if raw.get("subtask") is True:
        return None  # a sub-task needs a parent: not something a create form makes
    return IssueType(id=str(raw["id"]), name=str(raw["name"]))


def form_spec(chosen: IssueType, metas: list[dict[str, Any]]) -> FormSpec:
    fields: list[FormField] = []
    unsupported: list[Unsupported] = []
    left_out: dict[str, str] = {}
    for meta in metas:
        name = meta.get("fieldId") or meta.get("key")
        if not isinstance(name, str) or not name or name in NOT_FORM_FIELDS:
            continue
        label = str(meta.get("name") or name)
        required = meta.get("required") is True
        schema = meta.get("schema") if isinstance(meta.get("schema"), dict) else {}
        assert isinstance(schema, dict)
        kind = field_kind(name, schema, meta.get("allowedValues"))
        if kind is None:
            if required:
                unsupported.append(Unsupported(name, label, describe(schema)))
            else:
                left_out[name] = label
            continue
        choices = kind in ("select", "multiSelect")
        allowed = allowed_values(meta.get("allowedValues")) if choices else None
        fields.append(
            FormField(name=name, label=label, kind=kind, required=required, allowed_values=allowed)
        )
    return FormSpec(chosen, fields, unsupported, left_out)


def field_kind(name: str, schema: dict[str, Any], allowed: Any) -> FormFieldKind | None:
    jira_type, custom = schema.get("type"), schema.get("custom")
    items, system = schema.get("items"), schema.get("system")
    has_choices = isinstance(allowed, list) and bool(allowed_values(allowed))
    if jira_type == "string":
        if system in MULTILINE_SYSTEM or name in MULTILINE_SYSTEM or custom in MULTILINE_CUSTOM:
            return "multilineText"
        return "text"
    if jira_type == "number":
        return "number"
    if jira_type == "date":
        return "date"
    if jira_type == "user":
        return "user"
    if jira_type == "array":
        if items == "string" and (system == "labels" or custom in LABELS_CUSTOM):
            return "labels"
        if items in ("option", "component", "version") and has_choices:
            return "multiSelect"
        return None
    if jira_type in ("option", "priority", "version", "component", "resolution") and has_choices:
        return "select"
    return None


def allowed_values(raw: Any) -> list[AllowedValue]:
    values = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or item.get("id") in (None, "") or item.get("disabled"):
            continue
        label = item.get("value") or item.get("name") or item["id"]
        values.append(AllowedValue(id=str(item["id"]), label=str(label)))
    return values


def describe(schema: dict[str, Any]) -> str:
    """Jira's kind of a field in a few words: the custom type's last part, or the type."""
    custom = schema.get("custom")
    if isinstance(custom, str) and custom:
        return custom.rsplit(":", 1)[-1]
    kind = str(schema.get("type") or "unknown")
    return f"{kind} of {schema['items']}" if schema.get("items") else kind
