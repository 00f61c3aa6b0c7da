"""What people type for a create form's fields, turned into `issues/create` values.

Pure functions on the agent's `FormField`s (dicts as they come off the wire), so the
rules are tested without a terminal: a choice by its number, id or label (any case),
a multi-select or labels comma-separated, a number, a date as YYYY-MM-DD.
"""

import re
from collections.abc import Callable
from datetime import date
from typing import Any

FieldValue = str | int | float | list[str]
FormField = dict[str, Any]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FieldInputError(ValueError):
    """A value that does not fit its field; the message says what would."""


def parse_assignment(text: str) -> tuple[str, str]:
    """`--field name=value`: the name and the value (which may itself hold `=`)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise FieldInputError(f"--field {text!r}: write it as NAME=VALUE, e.g. priority=High")
    return name.strip(), value


def find_field(fields: list[FormField], wanted: str) -> FormField | None:
    """The field whose name (e.g. `customfield_10010`) or label (`Component`) is
    `wanted`, in any case."""
    folded = wanted.strip().casefold()
    for key in ("name", "label"):
        for field in fields:
            if str(field[key]).casefold() == folded:
                return field
    return None


def describe(field: FormField) -> str:
    """`Label (name)`, or the label alone when it is the name."""
    if str(field["label"]).casefold() == str(field["name"]).casefold():
        return str(field["label"])
    return f"{field['label']} ({field['name']})"


def choice_labels(field: FormField) -> str:
    return ", ".join(str(v["label"]) for v in field.get("allowedValues") or [])


def _choice(field: FormField, text: str, numbered: bool) -> str:
    """The id of the allowed value `text` names: its number in the prompt's list
    (when `numbered`), its id, or its label in any case."""
    values = field.get("allowedValues") or []
    wanted = text.strip()
    if numbered and wanted.isdigit() and 1 <= int(wanted) <= len(values):
        return str(values[int(wanted) - 1]["id"])
    for value in values:
        if wanted == str(value["id"]) or wanted.casefold() == str(value["label"]).casefold():
            return str(value["id"])
    raise FieldInputError(
        f"{describe(field)}: {wanted!r} is not one of its values: {choice_labels(field)}"
    )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_value(field: FormField, text: str, numbered: bool = False) -> FieldValue:
    """`text` as the value `issues/create` takes for `field`. `numbered`: a bare number
    picks a choice by its position in the prompt's numbered list."""
    kind = field["kind"]
    if kind == "select":
        return _choice(field, text, numbered)
    if kind == "multiSelect":
        return [_choice(field, part, numbered) for part in _split(text)]
    if kind == "labels":
        labels = _split(text)
        spaced = [label for label in labels if re.search(r"\s", label)]
        if spaced:
            raise FieldInputError(
                f"{describe(field)}: a label cannot contain spaces ({spaced[0]!r}); "
                "separate labels with commas"
            )
        return labels
    if kind == "number":
        return _number(field, text)
    if kind == "date":
        return _date(field, text)
    return text if kind == "multilineText" else text.strip()


def _number(field: FormField, text: str) -> int | float:
    wanted = text.strip()
    try:
        return int(wanted)
    except ValueError:
        pass
    try:
        value = float(wanted)
    except ValueError:
        raise FieldInputError(f"{describe(field)}: {wanted!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise FieldInputError(f"{describe(field)}: {wanted!r} is not a number")
    return value


def _date(field: FormField, text: str) -> str:
    wanted = text.strip()
    try:
        if not _DATE.match(wanted):
            raise ValueError
        date.fromisoformat(wanted)
    except ValueError:
        raise FieldInputError(
            f"{describe(field)}: {wanted!r} is not a date; write it as YYYY-MM-DD"
        ) from None
    return wanted


def is_empty(value: FieldValue) -> bool:
    return value == "" or value == []


def field_namer(fields: list[FormField]) -> Callable[[str], str]:
    """How an error names a field of this form: `Label (name)`, or the bare name of
    one the form does not show."""

    def name(wanted: str) -> str:
        field = find_field(fields, wanted)
        return describe(field) if field is not None else wanted

    return name
