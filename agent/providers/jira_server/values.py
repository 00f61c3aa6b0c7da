"""A create form's values checked against the form, then shaped as Jira wants them.

Everything that can be known before sending is checked here, all fields at once:
required fields left empty, fields the form does not have, values of the wrong kind,
choices not among the allowed values, dates that are not `YYYY-MM-DD`. What only Jira
knows (does this user exist? is the summary short enough?) Jira says itself.
"""

import math
import re
from datetime import date
from typing import Any

from agent.providers.jira_server.forms import FormSpec
from protocol.types import FieldValue, FormField

_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def check(spec: FormSpec, values: dict[str, FieldValue]) -> dict[str, str]:
    """A message for every field that is wrong, by field name (empty when all is well)."""
    errors: dict[str, str] = {}
    for name in values:
        if spec.field(name) is None:
            errors[name] = _not_in_form(spec, name)
    for form_field in spec.fields:
        value = values.get(form_field.name)
        if value is None or _empty(value):
            if form_field.required:
                errors[form_field.name] = f"{form_field.label} is required."
            continue
        problem = _problem(form_field, value)
        if problem:
            errors[form_field.name] = problem
    for missing in spec.unsupported:
        errors[missing.name] = unsupported_message(missing.label, missing.kind)
    return errors


def unsupported_message(label: str, kind: str) -> str:
    return (
        f"{label} is required, and it is a {kind} field, which this form cannot enter; "
        "create this issue in Jira."
    )


def to_jira(spec: FormSpec, values: dict[str, FieldValue]) -> dict[str, Any]:
    """The checked values in Jira's shapes, empty optional ones left out."""
    shaped: dict[str, Any] = {}
    for form_field in spec.fields:
        value = values.get(form_field.name)
        if value is None or _empty(value):
            continue
        kind = form_field.kind
        if kind == "select":
            shaped[form_field.name] = {"id": value}
        elif kind == "multiSelect":
            assert isinstance(value, list)
            shaped[form_field.name] = [{"id": v} for v in value]
        elif kind == "user":
            shaped[form_field.name] = {"name": value}
        else:
            shaped[form_field.name] = value
    return shaped


def _not_in_form(spec: FormSpec, name: str) -> str:
    label = spec.left_out.get(name)
    if label is not None:
        return f"{label} is a kind of field this form cannot enter; leave it out."
    return f"The {spec.issue_type.name} form has no field {name}."


def _empty(value: FieldValue | None) -> bool:
    return value is None or (isinstance(value, str | list) and not value)


def _problem(form_field: FormField, value: FieldValue) -> str | None:
    kind, label = form_field.kind, form_field.label
    if kind in ("text", "multilineText", "user"):
        return None if isinstance(value, str) else f"{label} takes text."
    if kind == "number":
        if isinstance(value, int | float) and math.isfinite(value):
            return None
        return f"{label} takes a number."
    if kind == "date":
        return (
            None
            if isinstance(value, str) and _is_date(value)
            else (f"{label} takes a date as YYYY-MM-DD.")
        )
    allowed = {v.id for v in form_field.allowed_values or []}
    if kind == "select":
        if isinstance(value, str) and value in allowed:
            return None
        return f"{value!r} is not one of the values {label} allows ({_choices(form_field)})."
    if kind == "multiSelect":
        if not isinstance(value, list):
            return f"{label} takes a list of values."
        wrong = [v for v in value if v not in allowed]
        if wrong:
            return f"{wrong[0]!r} is not one of the values {label} allows ({_choices(form_field)})."
        return None
    if kind == "labels":
        if not isinstance(value, list):
            return f"{label} takes a list of labels."
        if any(not v or any(c.isspace() for c in v) for v in value):
            return f"{label} cannot be empty or contain spaces."
        return None
    return f"{label} is a kind of field this form cannot enter."


def _choices(form_field: FormField) -> str:
    shown = [f"{v.id} = {v.label}" for v in (form_field.allowed_values or [])[:10]]
    return ", ".join(shown) or "none"


def _is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
