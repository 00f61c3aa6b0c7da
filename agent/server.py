"""pygls wiring, and nothing else: method names to the agent's services."""

from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from agent import __version__, testing_hooks
from agent.app import Agent
from agent.client import EditorClient
from agent.documents.service import Documents
from agent.documents.text import Encoding, encoding_named
from agent.rpc.protocol import AgentProtocol
from agent.rpc.requests import bind
from protocol.types import CREATE_ISSUE_FROM_COMMENT


def build_server() -> tuple[LanguageServer, Agent]:
    server = LanguageServer(
        "issuebridge",
        __version__,
        text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
        protocol_cls=AgentProtocol,
    )

    def encoding() -> Encoding:
        # What `initialize` negotiated; documents are opened only after it.
        return encoding_named(server.workspace.position_encoding)

    agent = Agent(EditorClient(server), encoding=encoding)

    @server.feature(lsp.INITIALIZE)
    def on_initialize(params: lsp.InitializeParams) -> None:
        folders = [f.uri for f in params.workspace_folders or []]
        if not folders and (params.root_uri or params.root_path):
            folders = [params.root_uri or params.root_path or ""]
        agent.initialize(params.initialization_options, folders)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def on_folders(params: lsp.DidChangeWorkspaceFoldersParams) -> None:
        await agent.change_workspace_folders(
            [f.uri for f in params.event.added], [f.uri for f in params.event.removed]
        )

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def on_configuration(params: lsp.DidChangeConfigurationParams) -> Any:
        await agent.change_configuration(params.settings)

    bind_documents(server, agent.documents)
    for method, service in agent.services().items():
        bind(server, method, service)
    if testing_hooks.enabled():
        testing_hooks.register(server)
    return server, agent


def bind_documents(server: LanguageServer, documents: Documents) -> None:
    """Issue keys in documents (agent.documents), on standard LSP methods. The text
    notifications are handled synchronously, so each request sees every change sent
    before it (pygls' own copy of the text is not kept: agent.rpc.protocol)."""

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        documents.did_open(params)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        documents.did_change(params)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        documents.did_close(params)

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_LINK, lsp.DocumentLinkOptions())
    async def document_links(params: lsp.DocumentLinkParams) -> Any:
        return await documents.document_links(params)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(params: lsp.HoverParams) -> Any:
        return await documents.hover(params)

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["-", "#"])
    )
    async def completion(params: lsp.CompletionParams) -> Any:
        return await documents.completion(params)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    async def code_actions(params: lsp.CodeActionParams) -> Any:
        return await documents.code_actions(params)

    @server.command(CREATE_ISSUE_FROM_COMMENT)
    async def create_from_comment(*arguments: Any) -> Any:
        return await documents.create_from_comment(list(arguments))
