"""Create metadata: which fields each issue type of each project has, and how Jira
checks a create against them.

Jira keeps this in field configurations and create screens per issue type; here it is
a table. Custom fields have Jira's schema (`type`, `items`, `custom`, `customId`) and
options Jira's shape (`{self, value, id}`). The types differ on purpose: Bug needs a
single-select (Severity), Story a multi-select (Platforms), Operations' Improvement a
cascading select no simple form can enter; numbers, dates, users, text areas and
custom labels are optional here and there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .data import ISSUE_TYPES, PRIORITIES, NamedItem, Project, Store, User

CUSTOM = "com.atlassian.jira.plugin.system.customfieldtypes"


@dataclass(frozen=True)
class Option:
    id: str
    value: str
    children: tuple[Option, ...] = ()


@dataclass(frozen=True)
class FieldDef:
    id: str
    name: str
    schema: dict[str, Any]
    options: tuple[Option, ...] = ()

    @property
    def custom_id(self) -> int | None:
        value = self.schema.get("customId")
        return value if isinstance(value, int) else None


def _custom(number: int, type_: str, custom: str, **extra: Any) -> dict[str, Any]:
    return {"type": type_, **extra, "custom": f"{CUSTOM}:{custom}", "customId": number}


SEVERITY = FieldDef(
    "customfield_10010",
    "Severity",
    _custom(10010, "option", "select"),
    (
        Option("10100", "S1 - Critical"),
        Option("10101", "S2 - Major"),
        Option("10102", "S3 - Minor"),
        Option("10103", "S4 - Cosmetic"),
    ),
)
PLATFORMS = FieldDef(
    "customfield_10011",
    "Platforms",
    _custom(10011, "array", "multiselect", items="option"),
    (Option("10110", "Windows"), Option("10111", "macOS"), Option("10112", "Linux")),
)
STORY_POINTS = FieldDef("customfield_10012", "Story Points", _custom(10012, "number", "float"))
RELEASE_NOTES = FieldDef("customfield_10013", "Release Notes", _custom(10013, "string", "textarea"))
CUSTOMER_SITE = FieldDef(
    "customfield_10014",
    "Customer Site",
    _custom(10014, "option-with-child", "cascadingselect"),
    (
        Option("10120", "Europe", (Option("10122", "Berlin"), Option("10123", "Lisbon"))),
        Option("10121", "Americas", (Option("10124", "Toronto"),)),
    ),
)
REVIEWER = FieldDef("customfield_10015", "Reviewer", _custom(10015, "user", "userpicker"))
TARGET_DATE = FieldDef("customfield_10016", "Target Date", _custom(10016, "date", "datepicker"))
TOPICS = FieldDef("customfield_10017", "Topics", _custom(10017, "array", "labels", items="string"))

SUMMARY = FieldDef("summary", "Summary", {"type": "string", "system": "summary"})
DESCRIPTION = FieldDef("description", "Description", {"type": "string", "system": "description"})
ENVIRONMENT = FieldDef("environment", "Environment", {"type": "string", "system": "environment"})
PRIORITY = FieldDef("priority", "Priority", {"type": "priority", "system": "priority"})
ASSIGNEE = FieldDef("assignee", "Assignee", {"type": "user", "system": "assignee"})
LABELS = FieldDef("labels", "Labels", {"type": "array", "items": "string", "system": "labels"})
DUE_DATE = FieldDef("duedate", "Due Date", {"type": "date", "system": "duedate"})

CUSTOM_FIELDS = [
    SEVERITY,
    PLATFORMS,
    STORY_POINTS,
    RELEASE_NOTES,
    CUSTOMER_SITE,
    REVIEWER,
    TARGET_DATE,
    TOPICS,
]
# Fields every create screen has (after project and issue type), in screen order.
_COMMON = [(SUMMARY, True), (PRIORITY, False), (ASSIGNEE, False), (LABELS, False)]

# Issue type id -> (field, required) after the common ones.
_TYPE_FIELDS: dict[str, list[tuple[FieldDef, bool]]] = {
    "1": [  # Bug
        (DESCRIPTION, False),
        (ENVIRONMENT, False),
        (SEVERITY, True),
        (CUSTOMER_SITE, False),
        (DUE_DATE, False),
    ],
    "3": [  # Task
        (DESCRIPTION, False),
        (DUE_DATE, False),
        (STORY_POINTS, False),
        (REVIEWER, False),
    ],
    "10001": [  # Story
        (DESCRIPTION, False),
        (PLATFORMS, True),
        (STORY_POINTS, False),
        (TARGET_DATE, False),
        (RELEASE_NOTES, False),
        (TOPICS, False),
    ],
    "4": [(DESCRIPTION, False), (DUE_DATE, False)],  # Improvement
}
# Per project: the issue types it offers (its issue type scheme) and fields that are
# required there beyond the table above (its field configuration).
_PROJECT_TYPES: dict[str, list[str]] = {"OPS": ["3", "4", "1"]}
_PROJECT_EXTRA: dict[tuple[str, str], list[tuple[FieldDef, bool]]] = {
    ("OPS", "4"): [(CUSTOMER_SITE, True)],
}


@dataclass
class TypeFields:
    """The create screen of one issue type in one project."""

    issuetype: NamedItem
    fields: list[tuple[FieldDef, bool]] = field(default_factory=list)

    def get(self, field_id: str) -> tuple[FieldDef, bool] | None:
        return next((entry for entry in self.fields if entry[0].id == field_id), None)


def issue_types(project: Project) -> list[NamedItem]:
    ids = project.issue_type_ids or _PROJECT_TYPES.get(project.key)
    if ids is None:
        return list(ISSUE_TYPES)
    return [t for i in ids for t in ISSUE_TYPES if t.id == i]


def type_fields(project: Project, itype: NamedItem) -> TypeFields:
    entries = [*_COMMON, *_TYPE_FIELDS.get(itype.id, [])]
    for extra, required in _PROJECT_EXTRA.get((project.key, itype.id), []):
        entries = [(f, r) for f, r in entries if f.id != extra.id] + [(extra, required)]
    return TypeFields(itype, entries)


# --- the metadata JSON --------------------------------------------------------------


def field_json(
    fdef: FieldDef,
    required: bool,
    api: str,
    rep_priority: Callable[[NamedItem], dict[str, Any]],
    with_id: bool = True,
) -> dict[str, Any]:
    """One field of the create metadata. `with_id` False: the pre-8.4 shape, keyed by
    id in a map instead of carrying `fieldId`."""
    entry: dict[str, Any] = {"required": required, "schema": dict(fdef.schema), "name": fdef.name}
    if with_id:
        entry["fieldId"] = fdef.id
    entry["hasDefaultValue"] = fdef.id == "priority"
    entry["operations"] = (
        ["add", "set", "remove"] if fdef.schema.get("type") == "array" else ["set"]
    )
    if fdef.id == "priority":
        entry["allowedValues"] = [rep_priority(p) for p in PRIORITIES]
        entry["defaultValue"] = rep_priority(PRIORITIES[2])
    elif fdef.options:
        entry["allowedValues"] = [_option_json(o, api) for o in fdef.options]
    if fdef.id in ("assignee", "customfield_10015"):
        entry["autoCompleteUrl"] = f"{api}/user/picker?query="
    if fdef.id == "labels":
        entry["autoCompleteUrl"] = f"{api}/labels/suggest?query="
    return entry


def _option_json(option: Option, api: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "self": f"{api}/customFieldOption/{option.id}",
        "value": option.value,
        "id": option.id,
        "disabled": False,
    }
    if option.children:
        result["children"] = [_option_json(c, api) for c in option.children]
    return result


# --- checking a create, as Jira does ----------------------------------------------------


class CreateCheck:
    """Jira's validation of `POST /issue` field values for one create screen: every
    error by field id, in Jira's words; the accepted values converted for storage."""

    def __init__(self, screen: TypeFields, store: Store) -> None:
        self.screen = screen
        self.store = store
        self.errors: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def run(self, fields: dict[str, Any]) -> None:
        for name, value in fields.items():
            if name in ("project", "issuetype"):
                continue
            entry = self.screen.get(name)
            if entry is None:
                self.errors[name] = (
                    f"Field '{name}' cannot be set. It is not on the appropriate screen, "
                    "or unknown."
                )
                continue
            if value is not None:
                self.check(entry[0], value)
        for fdef, required in self.screen.fields:
            if required and _empty(fields.get(fdef.id)) and fdef.id not in self.errors:
                self.errors[fdef.id] = (
                    "You must specify a summary of the issue."
                    if fdef.id == "summary"
                    else f"{fdef.name} is required."
                )

    def check(self, fdef: FieldDef, value: Any) -> None:
        kind = fdef.schema.get("type")
        if fdef.id == "summary":
            if not isinstance(value, str):
                self.errors["summary"] = "Operation value must be a string"
            elif len(value) > 255:
                self.errors["summary"] = "Summary must be less than 255 characters."
            else:
                self.values["summary"] = value
        elif fdef.id == "priority":
            item = _by_id_or_name(value, PRIORITIES)
            if item is None:
                self.errors["priority"] = "Priority name is not valid"
            else:
                self.values["priority"] = item
        elif kind == "string":
            if isinstance(value, str):
                self.values[fdef.id] = value
            else:
                self.errors[fdef.id] = "Operation value must be a string"
        elif kind == "number":
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.values[fdef.id] = value
            else:
                self.errors[fdef.id] = "Operation value must be a number"
        elif kind == "date":
            if isinstance(value, str) and _is_date(value):
                self.values[fdef.id] = value
            else:
                self.errors[fdef.id] = f"Error parsing date string: {value}"
        elif kind == "user":
            name = value.get("name") if isinstance(value, dict) else None
            user = self.store.user(name) if isinstance(name, str) else None
            if user is None:
                self.errors[fdef.id] = f"User '{name}' does not exist."
            else:
                self.values[fdef.id] = user
        elif kind == "array" and fdef.schema.get("items") == "string":
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                if any(" " in v for v in value):
                    self.errors[fdef.id] = "The label can't contain spaces."
                else:
                    self.values[fdef.id] = list(value)
            else:
                self.errors[fdef.id] = "Operation value must be a list of strings"
        elif kind == "array":
            self.check_options(fdef, value if isinstance(value, list) else [value], many=True)
        elif kind == "option":
            self.check_options(fdef, [value], many=False)
        elif kind == "option-with-child":
            self.check_cascade(fdef, value)

    def check_options(self, fdef: FieldDef, raw: list[Any], many: bool) -> None:
        chosen: list[Option] = []
        for item in raw:
            option = _option(item, fdef.options)
            if option is None:
                self.errors[fdef.id] = _bad_option(item)
                return
            chosen.append(option)
        self.values[fdef.id] = chosen if many else chosen[0]

    def check_cascade(self, fdef: FieldDef, value: Any) -> None:
        parent = _option(value, fdef.options)
        if parent is None:
            self.errors[fdef.id] = _bad_option(value)
            return
        child_raw = value.get("child") if isinstance(value, dict) else None
        child = _option(child_raw, parent.children) if child_raw is not None else None
        if child_raw is not None and child is None:
            self.errors[fdef.id] = f"Option {child_raw!r} is not a valid child of {parent.value}."
            return
        self.values[fdef.id] = (parent, child)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _is_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _by_id_or_name(value: Any, items: list[NamedItem]) -> NamedItem | None:
    if not isinstance(value, dict):
        return None
    if value.get("id") is not None:
        return next((i for i in items if i.id == str(value["id"])), None)
    if value.get("name") is not None:
        lowered = str(value["name"]).lower()
        return next((i for i in items if i.name.lower() == lowered), None)
    return None


def _option(value: Any, options: tuple[Option, ...]) -> Option | None:
    """An option given as `{"id": …}` or `{"value": …}`, as Jira accepts both."""
    if not isinstance(value, dict):
        return None
    if value.get("id") is not None:
        return next((o for o in options if o.id == str(value["id"])), None)
    if value.get("value") is not None:
        return next((o for o in options if o.value == str(value["value"])), None)
    return None


def _bad_option(value: Any) -> str:
    if isinstance(value, dict) and value.get("id") is not None:
        return f"Option id '{value['id']}' is not valid"
    if isinstance(value, dict) and value.get("value") is not None:
        return f"Option value '{value['value']}' is not valid"
    return "Could not find valid 'id' or 'value' in the Parent Option object."


def stored_value(value: Any, api: str, user_json: Callable[[User], dict[str, Any] | None]) -> Any:
    """A checked value as the issue's JSON shows it (options as Jira's option objects,
    users as Jira's user objects)."""
    if isinstance(value, User):
        return user_json(value)
    if isinstance(value, Option):
        return _option_json(value, api)
    if isinstance(value, list) and value and isinstance(value[0], Option):
        return [_option_json(o, api) for o in value]
    if isinstance(value, tuple):
        parent, child = value
        shown = _option_json(parent, api)
        shown.pop("children", None)
        if child is not None:
            shown["child"] = _option_json(child, api)
        return shown
    return value
