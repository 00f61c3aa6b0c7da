"""Atlassian Document Format (ADF) <-> plain text.

Jira Cloud's REST API v3 writes descriptions and comments as ADF: a JSON tree of
block nodes (paragraph, heading, lists, codeBlock, blockquote, panel, table, rule,
media) holding inline nodes (text with marks, hardBreak, mention, emoji, date,
status, inlineCard). Editors show text, so `to_text` flattens a document into
readable text (Markdown-like where it helps: headings, list bullets, code fences,
quotes, link targets); `from_text` makes the ADF a comment is sent as: one paragraph
per blank-line-separated block, line breaks as `hardBreak`. Unknown nodes are read
for their content, never an error.
"""

from datetime import UTC, datetime
from typing import Any

MAX_DEPTH = 64


def to_text(document: Any) -> str:
    """The text of an ADF document (or a v2-style string as it is; None as "")."""
    if isinstance(document, str):
        return document
    if not isinstance(document, dict):
        return ""
    return _blocks(_content(document), 0).strip("\n")


def from_text(text: str) -> dict[str, Any]:
    """Plain text as an ADF document: paragraphs at blank lines, hard breaks at line ends."""
    paragraphs: list[dict[str, Any]] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        if not block.strip():
            continue
        inline: list[dict[str, Any]] = []
        for index, line in enumerate(block.strip("\n").split("\n")):
            if index:
                inline.append({"type": "hardBreak"})
            if line:
                inline.append({"type": "text", "text": line})
        paragraphs.append({"type": "paragraph", "content": inline})
    return {"version": 1, "type": "doc", "content": paragraphs}


def _content(node: dict[str, Any]) -> list[dict[str, Any]]:
    content = node.get("content")
    return [c for c in content if isinstance(c, dict)] if isinstance(content, list) else []


def _attrs(node: dict[str, Any]) -> dict[str, Any]:
    attrs = node.get("attrs")
    return attrs if isinstance(attrs, dict) else {}


def _blocks(nodes: list[dict[str, Any]], depth: int, separator: str = "\n\n") -> str:
    parts = [_block(n, depth + 1) for n in nodes]
    return separator.join(p for p in parts if p != "")


def _block(node: dict[str, Any], depth: int) -> str:
    if depth > MAX_DEPTH:
        return ""
    kind = node.get("type")
    attrs = _attrs(node)
    if kind == "paragraph":
        return _inline(_content(node), depth)
    if kind == "heading":
        level = attrs.get("level")
        hashes = "#" * (level if isinstance(level, int) and 1 <= level <= 6 else 1)
        return f"{hashes} {_inline(_content(node), depth)}"
    if kind in ("bulletList", "orderedList"):
        start = attrs.get("order")
        number = start if isinstance(start, int) and not isinstance(start, bool) else 1
        lines = []
        for offset, item in enumerate(_content(node)):
            bullet = f"{number + offset}. " if kind == "orderedList" else "- "
            text = _blocks(_content(item), depth, "\n")
            lines.append(bullet + text.replace("\n", "\n" + " " * len(bullet)))
        return "\n".join(lines)
    if kind == "codeBlock":
        language = attrs.get("language")
        fence = "```" + (language if isinstance(language, str) else "")
        return f"{fence}\n{_inline(_content(node), depth)}\n```"
    if kind == "blockquote":
        text = _blocks(_content(node), depth)
        return "\n".join("> " + line if line else ">" for line in text.split("\n"))
    if kind == "rule":
        return "---"
    if kind == "table":
        rows = []
        for row in _content(node):
            cells = [_blocks(_content(cell), depth, " ") for cell in _content(row)]
            rows.append(" | ".join(cells))
        return "\n".join(rows)
    if kind in ("mediaSingle", "mediaGroup", "media"):
        names = [_attrs(m).get("alt") for m in [node, *_content(node)]]
        name = next((n for n in names if isinstance(n, str) and n), "attachment")
        return f"[{name}]"
    if kind in ("text", "hardBreak", "mention", "emoji", "date", "status", "inlineCard"):
        return _inline([node], depth)
    if kind == "blockCard":
        url = attrs.get("url")
        return url if isinstance(url, str) else ""
    # panel, expand, layoutSection, extensions and whatever comes next: their content.
    return _blocks(_content(node), depth)


def _inline(nodes: list[dict[str, Any]], depth: int) -> str:
    return "".join(_one_inline(n, depth + 1) for n in nodes)


def _one_inline(node: dict[str, Any], depth: int) -> str:
    kind = node.get("type")
    attrs = _attrs(node)
    if kind == "text":
        text = node.get("text")
        text = text if isinstance(text, str) else ""
        for mark in node.get("marks") or []:
            href = _attrs(mark).get("href") if isinstance(mark, dict) else None
            link = isinstance(mark, dict) and mark.get("type") == "link"
            if link and isinstance(href, str) and href != text:
                text = f"{text} ({href})"
        return text
    if kind == "hardBreak":
        return "\n"
    if kind == "mention":
        shown = attrs.get("text")
        return shown if isinstance(shown, str) and shown else "@user"
    if kind == "emoji":
        shown = attrs.get("text") or attrs.get("shortName")
        return shown if isinstance(shown, str) else ""
    if kind == "date":
        return _date(attrs.get("timestamp"))
    if kind == "status":
        shown = attrs.get("text")
        return f"[{shown}]" if isinstance(shown, str) else ""
    if kind == "inlineCard":
        url = attrs.get("url")
        return url if isinstance(url, str) else ""
    if depth > MAX_DEPTH:
        return ""
    return _inline(_content(node), depth)


def _date(timestamp: Any) -> str:
    """ADF dates are milliseconds since the epoch (as a string), shown as YYYY-MM-DD."""
    try:
        millis = int(str(timestamp))
        return datetime.fromtimestamp(millis / 1000, UTC).strftime("%Y-%m-%d")
    except (ValueError, OverflowError, OSError):
        return ""
