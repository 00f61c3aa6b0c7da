"""pygls wiring, and nothing else: method names to the agent's services."""

from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from agent import __version__, testing_hooks
from agent.app import Agent
from agent.client import EditorClient
from agent.rpc.protocol import AgentProtocol
from agent.rpc.requests import bind


def build_server() -> tuple[LanguageServer, Agent]:
    server = LanguageServer(
        "issuebridge",
        __version__,
        text_document_sync_kind=lsp.TextDocumentSyncKind.None_,
        protocol_cls=AgentProtocol,
    )
    agent = Agent(EditorClient(server))

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

    for method, service in agent.services().items():
        bind(server, method, service)
    if testing_hooks.enabled():
        testing_hooks.register(server)
    return server, agent
