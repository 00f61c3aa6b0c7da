"""Steps the issue-key tests share: an agent over pytest-lsp with chosen options, a
Jira Server instance connected through it, documents opened and edited."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient
from wire import AGENT_COMMAND, agent_env

from simulators.jira_server import JiraSimulator

# Generous: a loaded runner must not turn a slow simulator into a timeout.
OPTIONS: dict[str, Any] = {"http": {"timeoutSeconds": 20}}


@asynccontextmanager
async def lsp_agent(
    home: Path, options: dict[str, Any] | None = None
) -> AsyncIterator[tuple[LanguageClient, lsp.InitializeResult]]:
    """The agent as a subprocess, initialized with `options` (plus a long timeout)."""
    config = ClientServerConfig(server_command=AGENT_COMMAND, server_env=agent_env(home))
    client = await config.start()
    assert isinstance(client, LanguageClient)
    try:
        result = await client.initialize_session(
            lsp.InitializeParams(
                capabilities=lsp.ClientCapabilities(
                    text_document=lsp.TextDocumentClientCapabilities(
                        hover=lsp.HoverClientCapabilities(
                            content_format=[lsp.MarkupKind.Markdown, lsp.MarkupKind.PlainText]
                        ),
                        document_link=lsp.DocumentLinkClientCapabilities(tooltip_support=True),
                    )
                ),
                initialization_options={**OPTIONS, **(options or {})},
            )
        )
        yield client, result
    finally:
        # Also after a failed assertion: without `shutdown`/`exit` the agent would
        # keep running and `stop` wait for it.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.shutdown_session(), 15)
        await client.stop()


async def connect(client: LanguageClient, jira: JiraSimulator, user: str = "alice") -> str:
    result = await client.protocol.send_request_async(
        "issuebridge/providers/configure",
        {
            "providerId": "jira-server",
            "authMethod": "token",
            "fields": {"baseUrl": jira.base_url, "token": jira.user(user).pat},
        },
    )
    return str(result.instance.instanceId)


def open_document(
    client: LanguageClient, uri: str, text: str, language: str = "python", version: int = 1
) -> None:
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(
                uri=uri, language_id=language, version=version, text=text
            )
        )
    )


def change(
    client: LanguageClient,
    uri: str,
    version: int,
    start: tuple[int, int],
    end: tuple[int, int],
    text: str,
) -> None:
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                lsp.TextDocumentContentChangePartial(
                    range=lsp.Range(
                        start=lsp.Position(line=start[0], character=start[1]),
                        end=lsp.Position(line=end[0], character=end[1]),
                    ),
                    text=text,
                )
            ],
        )
    )


async def links(client: LanguageClient, uri: str) -> list[tuple[int, int, int, str]]:
    """(line, start, end, target) of each link, in document order."""
    found = await client.text_document_document_link_async(
        lsp.DocumentLinkParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
    return [
        (
            link.range.start.line,
            link.range.start.character,
            link.range.end.character,
            str(link.target),
        )
        for link in found or []
    ]


async def hover_text(client: LanguageClient, uri: str, line: int, character: int) -> str | None:
    found = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=line, character=character),
        )
    )
    if found is None:
        return None
    contents = found.contents
    assert isinstance(contents, lsp.MarkupContent)
    assert contents.kind == lsp.MarkupKind.Markdown
    return contents.value


def searches(jira: JiraSimulator) -> list[Any]:
    return [r for r in list(jira.request_log) if r.path.endswith("/rest/api/2/search")]
