"""`textDocument/completion` after `PRJ-`, `owner/repo#` and (in a mapped checkout) `#`.

Completion fires on every `-` and `#` of every file, so the first step is a cheap
test of the text before the cursor on its line (one precompiled pattern over at most
`LOOK_BACK` characters) and the resolver's cached prefixes: anything that is not the
start of a key of a connected instance (`UTF-`, `SHA-`, `x-`) answers `[]` at once,
with no request. Otherwise the tracker's `suggest_issues` is asked (my open issues
first, then its text search for what follows the dash), and each issue becomes an
item that replaces the typed partial key with the key. The list is incomplete: typing
more asks again (the search depends on the text), and the editor cancels what it no
longer needs (`$/cancelRequest` cancels the search too).

A tracker that cannot be reached answers `[]` and one log line (`window/logMessage`),
never a message box per keystroke.
"""

import logging
import re
from typing import Any

import attrs
from lsprotocol import types as lsp

from agent.documents.resolver import Connected, Resolver
from agent.documents.store import OpenDocument
from agent.documents.text import to_index, to_units
from agent.errors import AgentError

log = logging.getLogger("issuebridge.documents")

# How far back from the cursor a partial key may start.
LOOK_BACK = 200
# How many issues one completion asks for.
LIMIT = 50

_PROJECT = re.compile(r"(?<![\w./#-])(?P<prefix>[A-Z][A-Z0-9_]+)-(?P<text>\w*)$")
_REPOSITORY = re.compile(r"(?<![\w./-])(?P<prefix>[\w.-]+(?:/[\w.-]+)+)#(?P<text>\w*)$")
# `#12` alone: after a space or an opening bracket, not as the first thing on the line
# (a `#` comment or a Markdown heading starts there).
_BARE = re.compile(r"(?<=[\s(\[])(?P<prefix>)#(?P<text>\w*)$")


@attrs.frozen
class Partial:
    """A partial key before the cursor: `CORE-lo` is style "project", prefix `CORE`,
    text `lo`; `start` is the str index where it begins on the line."""

    style: str  # "project", "repository" or "bare"
    prefix: str
    text: str
    start: int


def partial_key(before: str) -> Partial | None:
    """The partial key at the end of `before` (the line up to the cursor), if any."""
    if not before or before[-1].isspace():
        return None
    tail = before[-LOOK_BACK:]
    offset = len(before) - len(tail)
    for style, pattern in (("project", _PROJECT), ("repository", _REPOSITORY), ("bare", _BARE)):
        match = pattern.search(tail)
        if match and (style != "bare" or tail[: match.start()].strip()):
            return Partial(style, match["prefix"], match["text"], offset + match.start("prefix"))
    return None


async def complete(
    resolver: Resolver, opened: OpenDocument, line: int, character: int, limit: int = LIMIT
) -> dict[str, Any] | list[Any]:
    """The completion answer: a list marked incomplete, or `[]`."""
    text = opened.text
    content = text.line(line)
    cursor = to_index(content, character, text.encoding)
    partial = partial_key(content[:cursor])
    if partial is None:
        return []
    found = await _owner(resolver, text.uri, partial)
    if found is None:
        return []
    owner, project = found
    try:
        async with resolver.session(owner.instance_id) as session:
            issues = await session.suggest_issues(project, partial.text, limit)
    except AgentError as exc:
        log.info(
            "No completion for %s%s on %s: %s",
            project,
            "-" if partial.style == "project" else "#",
            owner.label,
            exc.message,
        )
        return []
    start = to_units(content, partial.start, text.encoding)
    end = to_units(content, cursor, text.encoding)
    return {"isIncomplete": True, "items": items(issues, line, start, end)}


async def _owner(resolver: Resolver, uri: str, partial: Partial) -> tuple[Connected, str] | None:
    """The connected instance whose key this starts, and the project (or repository)
    to suggest from; None for anything else (no request: the prefixes are kept)."""
    connected = await resolver.connected()
    if partial.style == "project":
        owner = next((c for c in connected if partial.prefix in c.prefixes), None)
        return (owner, partial.prefix) if owner else None
    repository_style = [c for c in connected if c.provider.key_style == "repository"]
    if not repository_style:
        return None
    home = await resolver.checkout_repository(uri, repository_style)
    if partial.style == "repository":
        return (home[0] if home else repository_style[0]), partial.prefix
    return home


def items(issues: list[dict[str, Any]], line: int, start: int, end: int) -> list[dict[str, Any]]:
    """One item per issue (wire JSON), in the provider's order, as plain JSON."""
    span = {
        "start": {"line": line, "character": start},
        "end": {"line": line, "character": end},
    }
    found = []
    for index, issue in enumerate(issues):
        key, title = str(issue.get("key", "")), str(issue.get("title", ""))
        found.append(
            {
                "label": key,
                "detail": title,
                "kind": int(lsp.CompletionItemKind.Reference),
                "textEdit": {"range": span, "newText": key},
                "filterText": f"{key} {title}",
                "sortText": f"{index:04d}",
            }
        )
    return found
