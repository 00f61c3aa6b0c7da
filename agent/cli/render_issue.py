"""One issue for people: `issuebridge show`, and the one-line summaries the other
issue commands print."""

import sys
import textwrap
from typing import Any, TextIO

from agent.cli.matching import transition_label

Issue = dict[str, Any]


def person(user: dict[str, Any] | None, nobody: str = "Unassigned") -> str:
    if not user:
        return nobody
    return f"{user['displayName']} ({user['name']})"


def when(timestamp: str | None) -> str:
    """An ISO 8601 time to the minute, as people read it: `2024-07-01 09:00`."""
    if not timestamp:
        return "-"
    text = str(timestamp)
    return f"{text[:10]} {text[11:16]}" if len(text) >= 16 and text[10] == "T" else text


def _indent(text: str, prefix: str = "  ") -> str:
    return textwrap.indent(text.rstrip("\n"), prefix)


def detail(issue: Issue, out: TextIO = sys.stdout) -> None:
    rows = [
        ("Status", issue["status"]["name"]),
        ("Type", issue.get("type") or "-"),
        ("Priority", issue.get("priority") or "-"),
        ("Assignee", person(issue.get("assignee"))),
        ("Reporter", person(issue.get("reporter"), nobody="-")),
        ("Labels", ", ".join(issue.get("labels") or []) or "-"),
        ("Project", f"{issue['project']['name']} ({issue['project']['key']})"),
        ("Created", when(issue.get("createdAt"))),
        ("Updated", when(issue.get("updatedAt"))),
    ]
    out.write(f"{issue['key']}  {issue['title']}\n  {issue['url']}\n\n")
    for name, value in rows:
        out.write(f"{name + ':':<10} {value}\n")
    description = issue.get("description")
    out.write("\nDescription:\n")
    out.write(_indent(description) + "\n" if description else "  (none)\n")
    comments = issue.get("comments") or []
    out.write(f"\nComments ({len(comments)}):\n" if comments else "\nComments: none\n")
    for comment in comments:
        out.write(f"  {person(comment['author'])}, {when(comment['createdAt'])}:\n")
        out.write(_indent(comment["body"], "    ") + "\n")
    transitions = issue.get("transitions") or []
    out.write("\nTransitions:" + ("\n" if transitions else " none\n"))
    for transition in transitions:
        out.write(f"  {transition_label(transition)}\n")
    if transitions:
        out.write(f"  (issuebridge transition {issue['key']} NAME)\n")


def status_line(issue: Issue) -> str:
    """`ISB-12 In Progress, assigned to Alice Anderson (alice): Fix the login`."""
    who = issue.get("assignee")
    assigned = f"assigned to {person(who)}" if who else "unassigned"
    return f"{issue['key']} {issue['status']['name']}, {assigned}: {issue['title']}"
