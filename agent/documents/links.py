"""`textDocument/documentLink`: each key of a connected instance links to its issue.

No request is made for links: the target is built from the key
(`TrackerProvider.issue_url`). The answer is plain JSON (a few hundred links
structured as lsprotocol objects only to be taken apart again cost more than
finding them).
"""

from typing import Any

from agent.documents.index import Candidate
from agent.documents.resolver import Resolver
from agent.documents.store import OpenDocument
from agent.documents.text import Encoding, to_units


async def document_links(resolver: Resolver, opened: OpenDocument) -> list[dict[str, Any]]:
    text, keys = opened.text, opened.keys
    links: list[dict[str, Any]] = []
    for line, candidate, target in await resolver.resolve(text.uri, keys.all()):
        links.append(
            {
                "range": key_range(text.line(line), line, candidate, text.encoding),
                "target": target.url,
                "tooltip": f"Open {target.key} in {target.instance.label}",
            }
        )
    return links


def key_range(content: str, line: int, candidate: Candidate, encoding: Encoding) -> dict[str, Any]:
    """The LSP range of a candidate on a line (without its break)."""
    return {
        "start": {"line": line, "character": to_units(content, candidate.start, encoding)},
        "end": {"line": line, "character": to_units(content, candidate.end, encoding)},
    }
