"""Text sync goes to the agent's own store only: pygls' workspace copy of each
document (rebuilt whole at every change) is never made."""

import io
from pathlib import Path
from typing import Any

import pytest

from agent.server import build_server


class _Writer(io.BytesIO):
    def write(self, data: Any) -> int:
        return len(data)


def test_documents_are_kept_by_the_agent_and_not_by_pygls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISSUEBRIDGE_HOME", str(tmp_path))
    server, agent = build_server()
    protocol = server.protocol
    protocol.writer = _Writer()  # type: ignore[assignment]

    def send(method: str, params: dict[str, Any], msg_id: int | None = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if msg_id is not None:
            message["id"] = msg_id
        protocol.handle_message(protocol.structure_message(message))

    send("initialize", {"capabilities": {}}, msg_id=1)
    uri = "file:///x.md"
    send(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "a\nb"}},
    )
    change = {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 1}}}
    send(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{**change, "text": "CORE-1"}],
        },
    )
    opened = agent.documents.store.get(uri)
    assert opened is not None and opened.text.text == "a\nCORE-1" and opened.text.version == 2
    assert [c.text for c in opened.keys.on_line(1)] == ["CORE-1"]
    assert server.workspace.text_documents == {}
    send("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert agent.documents.store.get(uri) is None
