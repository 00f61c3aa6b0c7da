"""The one cattrs converter that turns protocol types into wire JSON and back.

On the wire every key is camelCase and optional fields that are empty are left out.
Structuring is strict (no silent ``"5"`` -> ``5``) and a failure names the offending
field by its wire path, e.g. ``fields.baseUrl``, so that ``-32602`` can say which.
"""

import re
from typing import Any, Literal, TypeVar

import attrs
import cattrs
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from protocol import types

T = TypeVar("T")


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class ParamsError(ValueError):
    """Params did not fit their type; `field` is the wire path of the first bad one."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field = field
        self.problem = problem


def _strict(expected: type | tuple[type, ...], name: str) -> Any:
    def structure(value: Any, _type: Any) -> Any:
        # bool is an int subclass, and JSON true must never pass as a number.
        if isinstance(value, bool) and expected is not bool:
            raise TypeError(f"expected {name}")
        if expected is float and isinstance(value, int):
            return float(value)
        if not isinstance(value, expected):
            raise TypeError(f"expected {name}")
        return value

    return structure


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(detailed_validation=True)
    conv.register_structure_hook(str, _strict(str, "a string"))
    conv.register_structure_hook(int, _strict(int, "an integer"))
    conv.register_structure_hook(float, _strict(float, "a number"))
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    # LSP progress tokens are `integer | string`.
    token = _strict((str, int), "a string or an integer")
    conv.register_structure_hook(int | str, token)
    conv.register_structure_hook(int | str | None, lambda v, t: None if v is None else token(v, t))

    def field_value(value: Any, _type: Any) -> Any:
        # A create form's value: a string, a number, or a list of strings (ids, labels).
        if isinstance(value, bool):
            raise TypeError("expected a string, a number or a list of strings")
        if isinstance(value, str | int | float):
            return value
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        raise TypeError("expected a string, a number or a list of strings")

    conv.register_structure_hook(types.FieldValue, field_value)

    def assignee(value: Any, _type: Any) -> Any:
        if value is None or value == "me":
            return value
        if isinstance(value, dict):
            return conv.structure(value, types.AssigneeRef)
        raise TypeError('expected {"name": …}, "me" or null')

    conv.register_structure_hook(types.AssigneeRef | Literal["me"] | None, assignee)

    def renames(cls: type) -> dict[str, Any]:
        return {a.name: override(rename=camel_case(a.name)) for a in attrs.fields(cls)}

    conv.register_unstructure_hook_factory(
        attrs.has,
        # Optional fields default to None: leaving defaults out leaves out the Nones.
        lambda cls: make_dict_unstructure_fn(
            cls, conv, _cattrs_omit_if_default=True, **renames(cls)
        ),
    )
    conv.register_structure_hook_factory(
        attrs.has, lambda cls: make_dict_structure_fn(cls, conv, **renames(cls))
    )
    return conv


converter = _make_converter()


class WireJson(dict[str, Any]):
    """A result already in its wire form, built by a fast path that skips the attrs
    objects (e.g. thousands of issues); `unstructure` passes it through untouched."""


def unstructure(value: Any) -> Any:
    """Protocol value -> JSON-ready data, leaving out optional fields left at default."""
    if isinstance(value, WireJson):
        return value
    return converter.unstructure(value)


def structure(data: Any, cls: type[T]) -> T:
    """JSON data -> protocol value, or ParamsError naming the field that is wrong."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParamsError("params", "params must be an object")
    try:
        value = converter.structure(data, cls)
    except (ClassValidationError, IterableValidationError) as exc:
        path, problem = _first_failure(exc)
        raise ParamsError(".".join(path), problem) from None
    except (TypeError, ValueError) as exc:
        path, problem = _first_failure(exc)
        raise ParamsError(".".join(path) or "params", problem) from None
    _check_ranges(value)
    return value


def _check_ranges(value: Any) -> None:
    """Enforce the `minimum`/`maximum` metadata that the JSON Schema also publishes."""
    for attribute in attrs.fields(type(value)):
        number = getattr(value, attribute.name)
        if not isinstance(number, int | float):
            continue
        low, high = attribute.metadata.get("minimum"), attribute.metadata.get("maximum")
        if (low is not None and number < low) or (high is not None and number > high):
            raise ParamsError(
                camel_case(attribute.name), f"must be from {low} to {high}, got {number}"
            )


def failure_path(exc: BaseException) -> tuple[str, str]:
    """The wire path of the first field a cattrs error complains about, and why."""
    path, problem = _first_failure(exc)
    return ".".join(path), problem


def _first_failure(exc: BaseException) -> tuple[list[str], str]:
    """Walk cattrs' nested validation errors down to the first leaf."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        for sub in exc.exceptions:
            step = _note_step(sub)
            path, problem = _first_failure(sub)
            return ([step, *path] if step else path), problem
        return [], "invalid value"
    if isinstance(exc, KeyError):
        return [], "is required"
    return [], _describe(exc)


def _note_step(exc: BaseException) -> str:
    for note in getattr(exc, "__notes__", []):
        name = getattr(note, "name", None)
        if isinstance(name, str):
            return camel_case(name)
        index = getattr(note, "index", None)
        if index is not None:
            return str(index)
    return ""


def _describe(exc: BaseException) -> str:
    text = str(exc)
    literal = re.match(r"(.*) not in literal typing\.Literal\[(.*)\]", text)
    if literal:
        return f"must be one of {literal.group(2)}"
    if isinstance(exc, AttributeError | TypeError) and "items" in text:
        return "expected an object"
    return text
