"""Issue keys in documents as links (textDocument/documentLink), over real stdio
against the Jira simulator: keys of connected projects only, kept in step with
incremental edits, none while disabled or unconnected."""

from pathlib import Path

from issue_keys_flows import change, connect, links, lsp_agent, open_document
from lsprotocol import types as lsp

from simulators.jira_server import JiraSimulator

URI = "file:///work/notes.md"


async def test_the_agent_advertises_the_issue_key_capabilities(home: Path) -> None:
    async with lsp_agent(home) as (client, result):
        wire = client.protocol._converter.unstructure(result.capabilities)
        assert wire["textDocumentSync"]["openClose"] is True
        assert wire["textDocumentSync"]["change"] == 2  # incremental
        assert wire["documentLinkProvider"] == {"resolveProvider": False}
        assert wire["hoverProvider"] is True
        assert list(wire["completionProvider"]["triggerCharacters"]) == ["-", "#"]
        assert list(wire["codeActionProvider"]["codeActionKinds"]) == ["quickfix"]
        assert list(wire["executeCommandProvider"]["commands"]) == [
            "issuebridge.createIssueFromComment"
        ]
        # Every one answers empty while nothing is connected, never an error.
        open_document(client, URI, "ISB-1 # TODO: later")
        position = lsp.Position(line=0, character=2)
        document = lsp.TextDocumentIdentifier(uri=URI)
        assert await links(client, URI) == []
        assert await client.text_document_hover_async(lsp.HoverParams(document, position)) is None
        completion = await client.text_document_completion_async(
            lsp.CompletionParams(document, position)
        )
        assert not completion
        actions = await client.text_document_code_action_async(
            lsp.CodeActionParams(
                document,
                lsp.Range(position, position),
                lsp.CodeActionContext(diagnostics=[]),
            )
        )
        assert not actions


async def test_keys_of_connected_projects_link_to_their_issues(
    home: Path, jira: JiraSimulator
) -> None:
    text = (
        "Fixes ISB-3 and WEB-12 (see OPS-1).\n"
        "UTF-8, SHA-256, NOPE-4 and ISB-012 are no keys.\n"
        "branch feature/DOC-2-translate\n"
    )
    async with lsp_agent(home) as (client, _):
        open_document(client, URI, text)
        assert await links(client, URI) == []  # nothing connected yet
        await connect(client, jira)
        browse = f"{jira.base_url}/browse"
        assert await links(client, URI) == [
            (0, 6, 11, f"{browse}/ISB-3"),
            (0, 16, 22, f"{browse}/WEB-12"),
            (0, 28, 33, f"{browse}/OPS-1"),
            (2, 15, 20, f"{browse}/DOC-2"),
        ]
        found = await client.text_document_document_link_async(
            lsp.DocumentLinkParams(text_document=lsp.TextDocumentIdentifier(uri=URI))
        )
        assert found is not None
        host = jira.base_url.split("://", 1)[1]
        assert found[0].tooltip == f"Open ISB-3 in {host}"
        # The project list was read once for all of it; links need no other request.
        projects = [r for r in list(jira.request_log) if r.path.endswith("/rest/api/2/project")]
        assert len(projects) == 1
        assert not [r for r in list(jira.request_log) if r.path.endswith("/search")]


async def test_incremental_edits_add_move_and_remove_links(home: Path, jira: JiraSimulator) -> None:
    async with lsp_agent(home) as (client, _):
        await connect(client, jira)
        open_document(client, URI, "one ISB-1\ntwo\nthree WEB-2\n")
        browse = f"{jira.base_url}/browse"
        assert await links(client, URI) == [
            (0, 4, 9, f"{browse}/ISB-1"),
            (2, 6, 11, f"{browse}/WEB-2"),
        ]
        # A key typed into a line.
        change(client, URI, 2, (1, 3), (1, 3), " OPS-3")
        assert await links(client, URI) == [
            (0, 4, 9, f"{browse}/ISB-1"),
            (1, 4, 9, f"{browse}/OPS-3"),
            (2, 6, 11, f"{browse}/WEB-2"),
        ]
        # Lines inserted above move the keys below them.
        change(client, URI, 3, (0, 0), (0, 0), "new\nlines\n")
        assert [link[0] for link in await links(client, URI)] == [2, 3, 4]
        # A multi-line edit: ISB-1 replaced, DOC-1 typed before OPS-3 on the next line.
        change(client, URI, 4, (2, 3), (3, 3), " x\nDOC-1 ")
        assert await links(client, URI) == [
            (3, 0, 5, f"{browse}/DOC-1"),
            (3, 7, 12, f"{browse}/OPS-3"),
            (4, 6, 11, f"{browse}/WEB-2"),
        ]
        # Non-ASCII text before a key: columns are UTF-16 code units.
        change(client, URI, 5, (4, 0), (4, 0), "é😀 ")
        assert (await links(client, URI))[-1] == (4, 10, 15, f"{browse}/WEB-2")
        # Deleting the key's last digit leaves no key there.
        change(client, URI, 6, (3, 4), (3, 5), "")
        assert [link[3] for link in await links(client, URI)] == [
            f"{browse}/OPS-3",
            f"{browse}/WEB-2",
        ]
        # A change without a range replaces the whole text.
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=URI, version=7),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text="only OPS-2")],
            )
        )
        assert await links(client, URI) == [(0, 5, 10, f"{browse}/OPS-2")]
        client.text_document_did_close(
            lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=URI))
        )
        assert await links(client, URI) == []


async def test_no_links_when_disabled_in_the_initialization_options(
    home: Path, jira: JiraSimulator
) -> None:
    async with lsp_agent(home, {"issueKeys": {"enabled": False}}) as (client, _):
        await connect(client, jira)
        open_document(client, URI, "ISB-1")
        assert await links(client, URI) == []


async def test_settings_turn_links_off_and_on(home: Path, jira: JiraSimulator) -> None:
    async with lsp_agent(home) as (client, _):
        await connect(client, jira)
        open_document(client, URI, "ISB-1")
        assert len(await links(client, URI)) == 1
        client.workspace_did_change_configuration(
            lsp.DidChangeConfigurationParams(
                settings={"issuebridge": {"issueKeys": {"enabled": False}}}
            )
        )
        assert await links(client, URI) == []
        change(client, URI, 2, (0, 5), (0, 5), " WEB-1")  # still kept in step while off
        client.workspace_did_change_configuration(
            lsp.DidChangeConfigurationParams(settings={"issueKeys": {"enabled": True}})
        )
        assert len(await links(client, URI)) == 2


async def test_no_links_after_disconnecting(home: Path, jira: JiraSimulator) -> None:
    async with lsp_agent(home) as (client, _):
        instance_id = await connect(client, jira)
        open_document(client, URI, "ISB-1")
        assert len(await links(client, URI)) == 1
        await client.protocol.send_request_async(
            "issuebridge/providers/disconnect", {"instanceId": instance_id}
        )
        assert await links(client, URI) == []
