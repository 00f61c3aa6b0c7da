"""Jira Cloud's JSON in the shapes the Jira mappers (agent.providers.jira_server.issues
and .detail) read, so that one mapping serves both.

Two things differ on Cloud: users are `accountId`s without `name` or `key` (the
contract's `User.name` is the accountId, what assigning takes), and descriptions and
comment bodies are Atlassian Document Format (turned into text here).
"""

from typing import Any

from agent.providers.jira_cloud import adf


def user(raw: Any) -> Any:
    """A Cloud user as `{name: accountId, displayName}`; anything else as it is."""
    if not isinstance(raw, dict):
        return raw
    account = raw.get("accountId")
    name = account if isinstance(account, str) else ""
    return {"name": name, "displayName": raw.get("displayName") or name or "Unknown user"}


def issue(raw: Any) -> Any:
    """An issue with its users as `user` and its description and comments as text."""
    if not isinstance(raw, dict) or not isinstance(raw.get("fields"), dict):
        return raw
    fields = dict(raw["fields"])
    for name in ("assignee", "reporter"):
        if name in fields:
            fields[name] = user(fields[name])
    if "description" in fields:
        text = adf.to_text(fields["description"])
        fields["description"] = text or None
    if isinstance(fields.get("comment"), dict):
        fields["comment"] = comment_page(fields["comment"])
    return {**raw, "fields": fields}


def comment(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    return {**raw, "author": user(raw.get("author")), "body": adf.to_text(raw.get("body"))}


def comment_page(raw: Any) -> Any:
    if not isinstance(raw, dict) or not isinstance(raw.get("comments"), list):
        return raw
    return {**raw, "comments": [comment(c) for c in raw["comments"]]}
