"""An editor for the completion and create-from-TODO tests: the agent under pytest-lsp's
client with a workspace folder and versioned workspace edits (the other steps are
issue_keys_flows')."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from issue_keys_flows import OPTIONS, open_document, searches
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient
from wire import AGENT_COMMAND, agent_env

from simulators.jira_server import JiraSimulator


@contextlib.asynccontextmanager
async def editor_session(
    home: Path, folder: Path, issue_keys: bool = True
) -> AsyncIterator[LanguageClient]:
    """The agent initialized with `folder` as its workspace folder, for one test."""
    config = ClientServerConfig(server_command=AGENT_COMMAND, server_env=agent_env(home))
    client = await config.start()
    assert isinstance(client, LanguageClient)
    try:
        await client.initialize_session(
            lsp.InitializeParams(
                capabilities=lsp.ClientCapabilities(
                    workspace=lsp.WorkspaceClientCapabilities(
                        apply_edit=True,
                        workspace_edit=lsp.WorkspaceEditClientCapabilities(document_changes=True),
                    ),
                    window=lsp.WindowClientCapabilities(
                        show_message=lsp.ShowMessageRequestClientCapabilities()
                    ),
                ),
                workspace_folders=[lsp.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)],
                initialization_options={**OPTIONS, "issueKeys": {"enabled": issue_keys}},
            )
        )
        yield client
    finally:
        # Also after a failed assertion: without `shutdown`/`exit` the agent would
        # keep running and `stop` wait for it.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.shutdown_session(), 15)
        await client.stop()


def open_file(client: LanguageClient, path: Path, text: str, language: str = "python") -> str:
    """Open `path` (which need not exist) with `text`; its URI."""
    open_document(client, path.as_uri(), text, language)
    return path.as_uri()


def searched_jql(jira: JiraSimulator) -> list[str]:
    """The JQL of every search the simulator answered, in order."""
    return [str(json.loads(r.body or b"{}").get("jql")) for r in searches(jira)]


def plain(value: Any) -> Any:
    """pygls' client turns objects into namedtuples; turn them back into dicts."""
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
