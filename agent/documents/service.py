"""The documents service the server binds: text sync, links and hovers on issue keys.

Text sync always runs (a document opened while issue keys are off is known when they
are turned on); every answer is empty while `issueKeys.enabled` is false or no
instance is connected, never an error.

What other modules build on (completion, code actions, create-from-comment):
`store` (open documents by URI: `store.get(uri).text` is the `TextDocument`,
`.keys` its `KeyIndex`), `resolver` (candidates -> (instance, key), and
`resolver.connected()`), `cache` (issues looked up for hovers).
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from agent.client import EditorClient
from agent.documents import actions, completion, hover, links
from agent.documents.cache import IssueCache
from agent.documents.create_from_comment import CreateFromComment
from agent.documents.resolver import Resolver
from agent.documents.store import DocumentStore
from agent.documents.text import Encoding
from agent.providers.registry import ProviderRegistry
from agent.services.instances import Instances
from protocol.converter import unstructure


class Documents:
    def __init__(
        self,
        instances: Instances,
        registry: ProviderRegistry,
        enabled: Callable[[], bool],
        encoding: Callable[[], Encoding] = lambda: "utf-16",
        client: EditorClient | None = None,
        folders: Callable[[], list[Path]] = list,
    ) -> None:
        self.enabled = enabled
        self.encoding = encoding
        self.store = DocumentStore()
        self.resolver = Resolver(instances, registry, enabled)
        self.instances = instances
        self.client = client
        self.folders = folders
        self.cache = IssueCache()

    def instances_changed(self) -> None:
        """Connected, disconnected, configured: keys and issues are read again."""
        self.resolver.reload()
        self.cache.clear()

    # --- text sync (notifications: synchronous, in the order they came) ---------

    def did_open(self, params: lsp.DidOpenTextDocumentParams) -> None:
        document = params.text_document
        self.store.open(
            document.uri, document.language_id, document.version, document.text, self.encoding()
        )

    def did_change(self, params: lsp.DidChangeTextDocumentParams) -> None:
        opened = self.store.get(params.text_document.uri)
        if opened is None:
            return  # never opened (or closed): nothing to keep in step
        for change in params.content_changes:
            if isinstance(change, lsp.TextDocumentContentChangePartial):
                start, end = change.range.start, change.range.end
                splice = opened.text.apply(
                    (start.line, start.character), (end.line, end.character), change.text
                )
            else:
                splice = opened.text.replace_all(change.text)
            self.store.changed(params.text_document.uri, params.text_document.version, splice)

    def did_close(self, params: lsp.DidCloseTextDocumentParams) -> None:
        self.store.close(params.text_document.uri)

    # --- requests ---------------------------------------------------------------

    async def document_links(self, params: lsp.DocumentLinkParams) -> list[dict[str, Any]]:
        opened = self.store.get(params.text_document.uri)
        if opened is None or not self.enabled():
            return []
        return await links.document_links(self.resolver, opened)

    async def hover(self, params: lsp.HoverParams) -> dict[str, Any] | None:
        opened = self.store.get(params.text_document.uri)
        if opened is None or not self.enabled():
            return None
        position = params.position
        return await hover.hover(
            self.resolver, self.cache, opened, position.line, position.character
        )

    # --- completion, code actions, create-from-comment (keys-actions) ----------

    async def completion(self, params: lsp.CompletionParams) -> Any:
        opened = self.store.get(params.text_document.uri)
        if opened is None or not self.enabled():
            return []
        position = params.position
        return await completion.complete(self.resolver, opened, position.line, position.character)

    async def code_actions(self, params: lsp.CodeActionParams) -> list[dict[str, Any]]:
        opened = self.store.get(params.text_document.uri)
        if opened is None or not self.enabled():
            return []
        lines = params.range.start.line, params.range.end.line
        only = [str(getattr(k, "value", k)) for k in params.context.only or []]
        return await actions.code_actions(self.resolver, opened, *lines, self.folders(), only)

    async def create_from_comment(self, arguments: list[Any]) -> Any:
        if self.client is None or not self.enabled():
            return None
        command = CreateFromComment(
            self.resolver, self.instances, self.client, self.store, self.encoding
        )
        return unstructure(await command.run(arguments))
