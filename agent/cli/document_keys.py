"""`issuebridge keys FILE`: the issue keys in a file as every editor sees them. The
file is opened through the agent (`textDocument/didOpen`), its `documentLink`s are
the keys, and each key's `hover` gives its title and status; nothing here knows
what a key looks like."""

import argparse
import asyncio
import re
import sys
from pathlib import Path
from typing import Any

from agent.cli.connection import AgentCallError, AgentConnection
from agent.cli.output import CliError, Output

METHOD_NOT_FOUND = -32601

# LSP's line ends: \r\n, \r and \n alike.
_LINES = re.compile(r"\r\n|\r|\n")
# The hover's first line: `**[CORE-12](url)** Fix the login form`.
_HEADLINE = re.compile(r"^\*\*\[(?P<key>.+?)\]\((?P<url>[^)\s]*)\)\*\*\s*(?P<title>.*)$")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")

_LANGUAGES = {
    ".py": "python",
    ".js": "javascript",
    ".ts": "typescript",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    ".c": "c",
    ".h": "c",
    ".cpp": "cpp",
    ".rb": "ruby",
    ".sh": "shellscript",
    ".lua": "lua",
    ".el": "emacs-lisp",
    ".md": "markdown",
}


def language_id(path: Path) -> str:
    if path.name == "COMMIT_EDITMSG":
        return "git-commit"
    return _LANGUAGES.get(path.suffix.lower(), "plaintext")


def _text_of(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}", 2) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise CliError(f"{path} is not UTF-8 text", 2) from None


def _slice(line: str, start: int, end: int) -> tuple[str, int]:
    """The text between two UTF-16 columns of `line`, and the 1-based column (in
    characters) where it starts."""
    units = line.encode("utf-16-le")
    before = units[: 2 * start].decode("utf-16-le", "replace")
    return units[2 * start : 2 * end].decode("utf-16-le", "replace"), len(before) + 1


def _unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def describe_hover(hover: Any) -> dict[str, str | None]:
    """Title and status from the agent's hover markdown; a one-line hover (no such
    issue, or it could not be looked up) is a note."""
    contents = hover.get("contents") if isinstance(hover, dict) else None
    value = contents.get("value") if isinstance(contents, dict) else contents
    lines = [line.strip() for line in str(value or "").splitlines() if line.strip()]
    found: dict[str, str | None] = {"title": None, "status": None, "note": None}
    if not lines:
        return found
    headline = _HEADLINE.match(lines[0])
    if headline is None:
        found["note"] = _unescape(lines[0])
        return found
    found["title"] = _unescape(headline.group("title"))
    if len(lines) > 1:
        found["status"] = _unescape(lines[1].split(" · ")[0])
    return found


async def _connected(agent: AgentConnection) -> None:
    listed = await agent.request("issuebridge/providers/list")
    instances = [i for p in listed["providers"] for i in p["instances"]]
    if any(i.get("state") == "connected" for i in instances):
        return
    if not instances:
        raise CliError(
            "nothing is connected, so no key is an issue here; run `issuebridge configure "
            "jira-server` (or another provider) first"
        )
    names = ", ".join(f"{i['baseUrl']} ({i.get('state')})" for i in instances)
    raise CliError(
        f"nothing is connected ({names}), so no key is an issue here; run "
        "`issuebridge authorize` or `issuebridge configure` first"
    )


async def _ask(agent: AgentConnection, method: str, params: dict[str, Any]) -> Any:
    try:
        return await agent.request(method, params)
    except AgentCallError as exc:
        if exc.code == METHOD_NOT_FOUND:
            raise CliError(
                f"this agent does not support issue keys in documents (no {method}); "
                "update issuebridge"
            ) from None
        raise


async def _hover(agent: AgentConnection, uri: str, position: Any) -> Any:
    params = {"textDocument": {"uri": uri}, "position": position}
    return await _ask(agent, "textDocument/hover", params)


async def keys_in_file(args: argparse.Namespace, agent: AgentConnection) -> int:
    out: Output = args.output
    path = Path(args.file)
    text = _text_of(path)
    await _connected(agent)
    uri = path.resolve().as_uri()
    document = {"uri": uri, "languageId": language_id(path), "version": 1, "text": text}
    agent.notify("textDocument/didOpen", {"textDocument": document})
    try:
        links = await _ask(agent, "textDocument/documentLink", {"textDocument": {"uri": uri}})
        links = sorted(
            links or [],
            key=lambda link: (link["range"]["start"]["line"], link["range"]["start"]["character"]),
        )
        hovers: list[Any] = []
        if links:
            # The first hover looks up every key of the document at once; the others
            # find them in the agent's cache.
            hovers.append(await _hover(agent, uri, links[0]["range"]["start"]))
            hovers += await asyncio.gather(
                *(_hover(agent, uri, link["range"]["start"]) for link in links[1:])
            )
    finally:
        agent.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    lines = _LINES.split(text)
    keys = [_entry(lines, link, hover) for link, hover in zip(links, hovers, strict=True)]
    if out.result({"file": str(path), "uri": uri, "keys": keys}):
        return 0
    if not keys:  # on stderr: stdout stays the list, empty
        print(f"no issue keys of a connected tracker in {path}", file=sys.stderr, flush=True)
    for key in keys:
        print(_line(key))
    return 0


def _entry(lines: list[str], link: Any, hover: Any) -> dict[str, Any]:
    start, end = link["range"]["start"], link["range"]["end"]
    line = lines[start["line"]] if start["line"] < len(lines) else ""
    last = end["character"] if end["line"] == start["line"] else len(line.encode("utf-16-le")) // 2
    key, column = _slice(line, start["character"], last)
    return {
        "line": start["line"] + 1,
        "column": column,
        "key": key,
        "url": link.get("target"),
        **describe_hover(hover),
        "range": link["range"],
        "hover": (hover or {}).get("contents"),
    }


def _line(key: dict[str, Any]) -> str:
    parts = [f"{key['line']}:{key['column']} {key['key']}"]
    if key["title"] is not None:
        parts.append(key["title"])
        if key["status"]:
            parts.append(f"[{key['status']}]")
    elif key["note"]:
        parts.append(f"({key['note']})")
    if key["url"]:
        parts.append(key["url"])
    return "  ".join(parts)
