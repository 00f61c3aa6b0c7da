"""YouTrack's `fields=` syntax: `id,summary,project(shortName,name),customFields(name,value(name))`.

Without `fields`, YouTrack answers an entity with only its `$type` (and `id`); with
it, exactly the attributes asked for, nested by parentheses, `$type` always included.
An attribute the entity does not have is left out, as YouTrack does for unknown ones.
"""

from __future__ import annotations

from typing import Any

Spec = dict[str, "Spec"]


class FieldsSyntaxError(ValueError):
    pass


def parse(text: str) -> Spec:
    spec, position = _parse_list(text, 0)
    if position != len(text):
        raise FieldsSyntaxError(f"Unexpected ')' at position {position} of fields")
    return spec


def _parse_list(text: str, position: int) -> tuple[Spec, int]:
    spec: Spec = {}
    name = ""
    while position < len(text):
        char = text[position]
        if char == ",":
            if name.strip():
                spec.setdefault(name.strip(), {})
            name = ""
            position += 1
        elif char == "(":
            inner, position = _parse_list(text, position + 1)
            if position >= len(text) or text[position] != ")":
                raise FieldsSyntaxError("Unbalanced '(' in fields")
            spec.setdefault(name.strip(), {}).update(inner)
            name = ""
            position += 1
        elif char == ")":
            break
        else:
            name += char
            position += 1
    if name.strip():
        spec.setdefault(name.strip(), {})
    return spec, position


def project(value: Any, spec: Spec | None) -> Any:
    """`value` (full JSON) cut down to `spec`; None spec: the default `$type` and `id`."""
    if isinstance(value, list):
        return [project(item, spec) for item in value]
    if not isinstance(value, dict):
        return value
    if spec is None or not spec:
        return {k: value[k] for k in ("$type", "id") if k in value}
    result: dict[str, Any] = {}
    if "$type" in value:
        result["$type"] = value["$type"]
    for name, inner in spec.items():
        if name in value:
            result[name] = project(value[name], inner) if inner else _leaf(value[name])
    return result


def _leaf(value: Any) -> Any:
    """An attribute asked for without sub-fields: an entity gives its `$type` and `id`."""
    if isinstance(value, list):
        return [_leaf(item) for item in value]
    if isinstance(value, dict):
        return {k: value[k] for k in ("$type", "id") if k in value}
    return value
