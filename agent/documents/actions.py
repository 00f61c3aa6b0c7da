"""`textDocument/codeAction`: "Create issue from this comment" on a `TODO`/`FIXME` line.

The marker is the upper-case word `TODO` or `FIXME` anywhere on the line, whatever
the comment style (`//`, `#`, `--`, `/* */`, `;`, `<!-- -->`, a commit message); the
text is what follows it and its `:`, `(…)` or spaces, without a closing `*/` or
`-->`. No text, or text that is already an issue key (`TODO: CORE-13`, what the
command leaves behind), offers nothing.

Cheap: a substring test, then one precompiled pattern, over the lines of the asked
range (at most `MAX_LINES`); no request (the connected instances and their project
keys are the resolver's, kept). The proposed project is the one the document names
most often, from its key index.
"""

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import attrs
from lsprotocol import types as lsp

from agent.documents.resolver import Connected, Resolver
from agent.documents.store import OpenDocument
from agent.documents.text import to_units
from protocol.converter import unstructure
from protocol.types import CREATE_ISSUE_FROM_COMMENT, CreateFromCommentArgs

TITLE = "Create issue from this comment"
KIND = str(lsp.CodeActionKind.QuickFix.value)
# An editor asks for the cursor's line or a selection; a select-all asks for the whole
# file, where a list of hundreds of actions helps nobody.
MAX_LINES = 200

_MARKER = re.compile(r"(?<![\w-])(?:TODO|FIXME)(?![\w-])")
# After the marker: `(alice)`, `:`, `-`, spaces, in any mix (`TODO(alice): `).
_LEAD = re.compile(r"(?:\s*\([^)]*\))?\s*[:!\-\u2013]?\s*")
# A comment's closer at the end of the text.
_CLOSER = re.compile(r"\s*(?:\*/|-->|\*\)|#\})\s*$")
# What the command writes in place of the text: a key of any style.
_ONLY_A_KEY = re.compile(r"(?:[A-Z][A-Z0-9_]+-\d+|(?:[\w.-]+(?:/[\w.-]+)+)?#\d+)")


@attrs.frozen
class Todo:
    """The text of a TODO on one line; `start`..`end` are str indices on the line."""

    line: int
    start: int
    end: int
    text: str


def find_todo(line_number: int, line: str) -> Todo | None:
    if "TODO" not in line and "FIXME" not in line:
        return None
    marker = _MARKER.search(line)
    if marker is None:
        return None
    lead = _LEAD.match(line, marker.end())
    start = lead.end() if lead else marker.end()
    rest = line[start:]
    closer = _CLOSER.search(rest)
    text = (rest[: closer.start()] if closer else rest).rstrip()
    if not text or _ONLY_A_KEY.fullmatch(text):
        return None
    return Todo(line_number, start, start + len(text), text)


async def code_actions(
    resolver: Resolver,
    opened: OpenDocument,
    first: int,
    last: int,
    folders: Sequence[Path],
    only: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """The actions for the TODOs on lines `first`..`last` (at most MAX_LINES); none
    when the client asks `only` for kinds that are not quick fixes."""
    if only and not any(kind == KIND or KIND.startswith(f"{kind}.") for kind in only):
        return []
    text = opened.text
    end = min(last, len(text.lines) - 1, first + MAX_LINES - 1)
    todos = [t for n in range(max(0, first), end + 1) if (t := find_todo(n, text.line(n)))]
    if not todos:
        return []
    connected = await resolver.connected()
    if not connected:
        return []
    instance_id, project_key = await proposal(resolver, opened, connected)
    path = relative_path(text.uri, folders)
    found = []
    for todo in todos:
        content = text.line(todo.line)
        args = CreateFromCommentArgs(
            uri=text.uri,
            line=todo.line,
            start_character=to_units(content, todo.start, text.encoding),
            end_character=to_units(content, todo.end, text.encoding),
            text=todo.text,
            path=path,
            instance_id=instance_id,
            project_key=project_key,
        )
        found.append(action(args))
    return found


def action(args: CreateFromCommentArgs) -> dict[str, Any]:
    return {
        "title": TITLE,
        "kind": KIND,
        "command": {
            "title": TITLE,
            "command": CREATE_ISSUE_FROM_COMMENT,
            "arguments": [unstructure(args)],
        },
    }


async def proposal(
    resolver: Resolver, opened: OpenDocument, connected: Sequence[Connected]
) -> tuple[str | None, str | None]:
    """(instance, project) to propose: the project the document names most often (a
    tie: the one named first), else the only project-style instance (and its project
    when it has only one); (None, None) when it cannot tell."""
    counts: Counter[tuple[str, str]] = Counter()
    for _line, _candidate, target in await resolver.resolve(opened.text.uri, opened.keys.all()):
        counts[(target.instance.instance_id, project_of(target.key))] += 1
    if counts:
        (instance_id, project), _count = counts.most_common(1)[0]
        return instance_id, project
    project_style = [c for c in connected if c.provider.key_style == "project"]
    if len(project_style) == 1:
        only = project_style[0]
        return only.instance_id, next(iter(only.prefixes)) if len(only.prefixes) == 1 else None
    return None, None


def project_of(key: str) -> str:
    """`CORE` of `CORE-12`, `owner/repo` of `owner/repo#12`."""
    if "#" in key:
        return key.rpartition("#")[0]
    return key.rpartition("-")[0]


def relative_path(uri: str, folders: Sequence[Path]) -> str:
    """The document's path relative to the workspace folder holding it (the deepest),
    else its full path; a URI that is no file stays as it is."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return uri
    path = Path(unquote(parts.path))
    holders = [f for f in folders if path.is_relative_to(f)]
    if not holders:
        return str(path)
    folder = max(holders, key=lambda f: len(f.parts))
    return path.relative_to(folder).as_posix()
