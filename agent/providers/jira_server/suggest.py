"""Completion after `PROJECT-`: the user's open issues of the project, then a text search.

Two searches, one request each (`maxResults` = the limit): my unresolved issues of the
project, most recently updated first; then `text ~ "<words>"` over the project for
what was typed after the dash, or the project's recent issues when that is empty or
only digits (keys whose number starts with those digits first). Repeats are dropped.

What was typed goes into Jira's Lucene text search, whose syntax reserves most
punctuation (`+ - & | ! ( ) { } [ ] ^ ~ * ? \\ : " /`) and the upper-case operators
`AND`, `OR`, `NOT`: the words alone are searched (lower-cased, the analyser is case
blind), the last one as a prefix (`logi*`: the user is still typing it), so no text
can make Jira answer 400. The JQL string is quoted and escaped all the same, and the
project key quoted too (`DO` or `INT` are reserved JQL words).
"""

import re
from typing import Any

from agent.providers.jira_server.api import JiraApi
from agent.providers.jira_server.issues import (
    SEARCH_FIELDS,
    SEARCH_FIELDS_WITH_PROJECT,
    entry_problem,
    to_wire,
)
from agent.providers.key_lookup import merge

_WORDS = re.compile(r"\w+")
# Jira caps a page at 1000 (and often less); a completion list never needs more.
LARGEST_LIMIT = 1000


def jql_string(value: str) -> str:
    """`value` as a JQL quoted string: backslashes and double quotes escaped."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def text_query(text: str) -> str | None:
    """The Lucene query for what the user typed, or None when it has no words."""
    words = [w.lower() for w in _WORDS.findall(text)]
    if not words:
        return None
    return " ".join([*words[:-1], words[-1] + "*"])


def mine_jql(project: str) -> str:
    return (
        f"project = {jql_string(project)} AND assignee = currentUser() "
        "AND resolution = Unresolved ORDER BY updated DESC"
    )


def search_jql(project: str, text: str) -> str:
    """The second search: the text one, or the project's recent issues."""
    query = None if text.strip().isdigit() else text_query(text)
    where = f"project = {jql_string(project)}"
    if query is not None:
        where += f" AND text ~ {jql_string(query)}"
    return f"{where} ORDER BY updated DESC"


def digits_first(issues: list[dict[str, Any]], project: str, digits: str) -> list[dict[str, Any]]:
    """Keys `PROJECT-<digits>…` before the others, each group in its order."""
    prefix = f"{project.upper()}-{digits}"
    return sorted(issues, key=lambda issue: not str(issue["key"]).upper().startswith(prefix))


async def suggest(
    api: JiraApi, project: str, text: str, limit: int, names: dict[str, str] | None
) -> list[dict[str, Any]]:
    """At most `limit` issues as wire JSON: mine first, then the search's, no repeats.
    `names` (project key -> name, when known) lets the searches leave out `project`."""
    size = max(1, min(limit, LARGEST_LIMIT))
    fields = SEARCH_FIELDS if names is not None else SEARCH_FIELDS_WITH_PROJECT
    digits = text.strip() if text.strip().isdigit() else ""

    async def search(jql: str) -> list[dict[str, Any]]:
        answer = await api.search(jql, 0, size, fields)
        page = [to_wire(raw, api.base_url, None, names) for raw in _issues(answer)]
        return digits_first(page, project, digits) if digits else page

    mine = merge(await search(mine_jql(project)), [], size)
    if len(mine) >= size:
        return mine
    return merge(mine, await search(search_jql(project, text)), size)


def _issues(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [raw for raw in answer["issues"] if entry_problem(raw) is None]
