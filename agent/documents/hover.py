"""`textDocument/hover` on a key: the issue in a few lines of markdown.

The first hover in a document looks up every key of it that is not in the cache,
in one `lookup_issues` per instance (the provider batches: one search for many
keys); later hovers answer from the cache (`cache.IssueCache`, 60 s). A key with no
issue, or one the user may not see, gets a one-line note, as does a lookup that
failed (the agent's short error message, never a traceback).
"""

import asyncio
import logging
from typing import Any

from agent.documents.cache import Found, IssueCache, Key
from agent.documents.links import key_range
from agent.documents.resolver import Resolver, Target
from agent.documents.store import OpenDocument
from agent.documents.text import to_index
from agent.errors import AgentError

log = logging.getLogger("issuebridge.documents")

_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~"})


async def hover(
    resolver: Resolver, cache: IssueCache, opened: OpenDocument, line: int, character: int
) -> dict[str, Any] | None:
    text = opened.text
    content = text.line(line)
    candidate = opened.keys.at(line, to_index(content, character, text.encoding))
    if candidate is None:
        return None
    resolved = await resolver.resolve(text.uri, [(line, candidate)])
    if not resolved:
        return None
    target = resolved[0][2]
    key: Key = (target.instance.instance_id, target.key)
    hit, found = cache.get(key)
    if hit:
        value = describe(target, found)
    else:
        try:
            found = await _look_up(resolver, cache, opened, key)
        except AgentError as exc:
            value = f"{target.key}: could not look it up: {exc.message.rstrip('.')}."
        except Exception:
            log.exception("Looking up %s failed", target.key)
            value = f"{target.key}: could not look it up: the agent failed (see its log)."
        else:
            value = describe(target, found)
    return {
        "contents": {"kind": "markdown", "value": value},
        "range": key_range(content, line, candidate, text.encoding),
    }


async def _look_up(
    resolver: Resolver, cache: IssueCache, opened: OpenDocument, wanted: Key
) -> Found:
    """The issue of `wanted`: from a lookup in flight, or one started now for every
    key of the document not in the cache (one per instance)."""
    lookup = cache.pending(wanted)
    if lookup is None:
        batches: dict[str, list[str]] = {wanted[0]: [wanted[1]]}
        for _, _, target in await resolver.resolve(opened.text.uri, opened.keys.all()):
            key = (target.instance.instance_id, target.key)
            if cache.get(key)[0] or cache.pending(key) is not None:
                continue
            keys = batches.setdefault(key[0], [])
            if target.key not in keys:
                keys.append(target.key)
        for instance_id, keys in batches.items():
            task = asyncio.ensure_future(_lookup_issues(resolver, instance_id, keys))
            cache.start([(instance_id, k) for k in keys], task)
        lookup = cache.pending(wanted)
        assert lookup is not None
    # Shielded: a hover the editor cancels does not cancel the lookup others share.
    return (await asyncio.shield(lookup)).get(wanted[1])


async def _lookup_issues(resolver: Resolver, instance_id: str, keys: list[str]) -> dict[str, Found]:
    async with resolver.session(instance_id) as session:
        issues = await session.lookup_issues(keys)
    by_key = {str(issue.get("key")): issue for issue in issues}
    return {key: by_key.get(key) for key in keys}


def describe(target: Target, issue: Found) -> str:
    if issue is None:
        return f"{target.key}: no such issue on {target.instance.label}, or you may not see it."
    url = issue.get("url") or target.url
    title = _escape(str(issue.get("title") or ""))
    status = (issue.get("status") or {}).get("name")
    facts = [str(v) for v in (status, issue.get("type"), issue.get("priority")) if v]
    assignee = issue.get("assignee")
    who = assignee.get("displayName") or assignee.get("name") if assignee else None
    updated = str(issue.get("updatedAt") or "")[:10]
    last = f"Assignee: {_escape(str(who)) if who else 'Unassigned'}"
    if updated:
        last += f" · Updated: {updated}"
    lines = [f"**[{target.key}]({url})** {title}".rstrip()]
    if facts:
        lines.append(" · ".join(_escape(f) for f in facts))
    lines.append(last)
    return "\n\n".join(lines)


def _escape(text: str) -> str:
    return " ".join(text.split()).translate(_MARKDOWN_SPECIAL)
