"""Branch names for `issues/startWork`, from the `issues.branchTemplate` setting.

The template may use `{key}` (required: it makes each issue's branch its own),
`{summary}`, `{type}` and `{project}`. The summary and the type are "slugged": letters
without their accents, lower-cased; every run of other characters becomes one `-`,
none at either end ("Fix naïve café menu!" → `fix-naive-cafe-menu`; a summary in a
script without Latin letters leaves nothing). The key and the project key are used
as they are (`CORE-12`, `CORE`).

The whole name is at most `MAX_LENGTH` characters: only the summary is shortened to
fit, at a `-` where one keeps at least half of the room, and it is left out when the
rest fills the room. The key, type, project and the template's own text are never
cut, so a template whose fixed parts are longer than that makes longer names.

The result is always a valid git branch name (`git check-ref-format --branch`): the
template's own text is checked when the setting arrives, and what empty parts leave
behind is tidied: no `//`, runs of `-` become one, and no `/`-separated part starts
or ends with `-`, `_` or `.`, or ends with `.lock`.
"""

import re
import unicodedata

DEFAULT_TEMPLATE = "{key}-{summary}"
MAX_LENGTH = 60
PLACEHOLDERS = ("key", "summary", "type", "project")

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# What git refuses anywhere in a ref: control characters, space, ~ ^ : ? * [ \ and DEL.
_REF_FORBIDDEN = re.compile(r"[\x00-\x20~^:?*\[\\\x7f]")


def template_problem(template: str) -> str | None:
    """Why `template` cannot make branch names, or None when it can."""
    if not template.strip():
        return "must not be empty"
    names = _PLACEHOLDER.findall(template)
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown:
        allowed = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
        return f"has an unknown placeholder {{{unknown[0]}}}; it may use {allowed}"
    if "{" in _PLACEHOLDER.sub("", template) or "}" in _PLACEHOLDER.sub("", template):
        return "has a brace that opens or closes no placeholder"
    if "key" not in names:
        return "must contain {key}, so that each issue gets a branch of its own"
    sample = _PLACEHOLDER.sub(lambda m: "X-1" if m[1] == "key" else "x", template)
    problem = ref_problem(sample)
    return f"makes names git refuses ({problem})" if problem else None


def ref_problem(name: str) -> str | None:
    """Why git would refuse `name` as a branch name, or None."""
    if _REF_FORBIDDEN.search(name):
        return "spaces, control characters and ~ ^ : ? * [ \\ are not allowed"
    if ".." in name or "@{" in name or "//" in name:
        return "'..', '@{' and '//' are not allowed"
    if name.startswith(("-", "/", ".")) or name.endswith(("/", ".")):
        return "it may not start with '-', '/' or '.', nor end with '/' or '.'"
    if name == "@" or any(
        part.startswith(".") or part.endswith(".lock") for part in name.split("/")
    ):
        return "no part may start with '.' or end with '.lock'"
    return None


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits, other runs as one `-`, none at the ends."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def branch_name(template: str, key: str, summary: str, issue_type: str | None, project: str) -> str:
    values = {
        "key": _safe(key),
        "type": slug(issue_type or ""),
        "project": _safe(project),
        "summary": "",
    }
    fixed = _tidy(_fill(template, values))
    summary_slug = slug(summary)
    room = MAX_LENGTH - len(fixed)
    if "{summary}" in template and summary_slug and room > 1:
        values["summary"] = _shorten(summary_slug, room - 1)  # a separator may reappear
        named = _tidy(_fill(template, values))
        while len(named) > MAX_LENGTH and values["summary"]:
            values["summary"] = _shorten(values["summary"], len(values["summary"]) - 1)
            named = _tidy(_fill(template, values))
        return named or values["key"]
    return fixed or values["key"]


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values[m[1]], template)


def _shorten(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    cut = text[:room]
    boundary = cut.rfind("-")
    if text[room] != "-" and boundary >= room // 2:
        cut = cut[:boundary]
    return cut.strip("-")


def _safe(value: str) -> str:
    return _REF_FORBIDDEN.sub("-", value).replace("/", "-")


def _tidy(name: str) -> str:
    """Clean up what empty parts leave behind, so git takes the name."""
    name = re.sub(r"\.{2,}", ".", name.replace("@{", "@"))
    parts = []
    for part in name.split("/"):
        part = re.sub(r"-{2,}", "-", part).strip("-._")
        while part.endswith(".lock"):
            part = part[: -len(".lock")].rstrip("-._")
        if part:
            parts.append(part)
    name = "/".join(parts)
    return "" if name == "@" else name
