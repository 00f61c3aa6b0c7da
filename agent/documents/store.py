"""The documents the editor has open, by URI: each one's text and key index."""

import attrs

from agent.documents.index import KeyIndex
from agent.documents.text import Encoding, Splice, TextDocument


@attrs.define
class OpenDocument:
    text: TextDocument
    keys: KeyIndex


class DocumentStore:
    def __init__(self) -> None:
        self._open: dict[str, OpenDocument] = {}

    def open(
        self, uri: str, language_id: str, version: int, text: str, encoding: Encoding
    ) -> OpenDocument:
        document = TextDocument.open(uri, language_id, version, text, encoding)
        opened = self._open[uri] = OpenDocument(document, KeyIndex(document))
        return opened

    def get(self, uri: str) -> OpenDocument | None:
        return self._open.get(uri)

    def changed(self, uri: str, version: int, splice: Splice) -> None:
        """After the text of `uri` changed by `splice`: rescan what it touched."""
        opened = self._open[uri]
        opened.text.version = version
        opened.keys.update(opened.text, splice)

    def close(self, uri: str) -> None:
        self._open.pop(uri, None)

    def __len__(self) -> int:
        return len(self._open)
