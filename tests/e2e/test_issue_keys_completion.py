"""`textDocument/completion` after `PRJ-`: my open issues first, then Jira's text
search; each item replaces the typed partial key. Nothing, and no request, for what
is not the start of a key of a connected instance."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from issue_keys_flows import connect
from keys_editor import editor_session, open_file, searched_jql
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from simulators.jira_server import JiraSimulator
from simulators.jira_server.data import Issue


@pytest_asyncio.fixture
async def editor(home: Path, tmp_path: Path) -> AsyncIterator[LanguageClient]:
    async with editor_session(home, tmp_path / "repo") as client:
        yield client


def newest_first(issues: list[Issue]) -> list[str]:
    """ORDER BY updated DESC, then Jira's default key DESC."""
    ordered = sorted(issues, key=lambda i: (i.updated, i.number), reverse=True)
    return [i.key for i in ordered]


def my_open(jira: JiraSimulator, project: str) -> list[str]:
    return newest_first(
        [
            i
            for i in jira.issues
            if i.project_key == project and i.assignee == "alice" and i.resolution_id is None
        ]
    )


async def complete(
    client: LanguageClient, uri: str, line: int, character: int
) -> list[lsp.CompletionItem]:
    result = await client.text_document_completion_async(
        lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=line, character=character),
        )
    )
    if result is None:
        return []
    return list(result.items if isinstance(result, lsp.CompletionList) else result)


async def test_my_open_issues_come_first_then_the_text_search(
    editor: LanguageClient, jira: JiraSimulator, tmp_path: Path
) -> None:
    jira.add_issue("ISB", "Zebra cache warm-up", assignee="alice")
    jira.add_issue("ISB", "Zebra cache eviction", assignee="bob")
    jira.add_issue("ISB", "Zebras in the release notes", assignee="bob", status="Done")
    jira.add_issue("WEB", "Zebra on the web", assignee="bob")
    await connect(editor, jira)
    line = "x = 1  # see ISB-zebr"
    uri = open_file(editor, tmp_path / "repo" / "app.py", f"import os\n{line}\n")
    jira.request_log.clear()

    items = await complete(editor, uri, 1, len(line))

    mine = my_open(jira, "ISB")
    found = newest_first(
        [i for i in jira.issues if i.project_key == "ISB" and i.summary.startswith("Zebra")]
    )
    expected = mine + [k for k in found if k not in mine]
    assert [i.label for i in items] == expected
    assert len(searched_jql(jira)) == 2  # one request per search
    titles = {i.key: i.summary for i in jira.issues}
    start = line.index("ISB-")
    for index, item in enumerate(items):
        assert item.detail == titles[item.label]
        assert item.kind == lsp.CompletionItemKind.Reference
        assert item.filter_text == f"{item.label} {titles[item.label]}"
        assert isinstance(item.text_edit, lsp.TextEdit)
        assert item.text_edit.new_text == item.label
        assert item.text_edit.range == lsp.Range(
            start=lsp.Position(line=1, character=start),
            end=lsp.Position(line=1, character=len(line)),
        )
        if index:
            assert (items[index - 1].sort_text or "") < (item.sort_text or "")


async def test_digits_list_recent_issues_keys_with_those_digits_first(
    editor: LanguageClient, jira: JiraSimulator, tmp_path: Path
) -> None:
    await connect(editor, jira)
    text = "Fixes ISB-5"
    uri = open_file(editor, tmp_path / "repo" / ".git" / "COMMIT_EDITMSG", text, "git-commit")

    items = await complete(editor, uri, 0, len(text))

    def digits_first(keys: list[str]) -> list[str]:
        return sorted(keys, key=lambda k: not k.startswith("ISB-5"))

    mine = digits_first(my_open(jira, "ISB"))
    recent = digits_first(newest_first([i for i in jira.issues if i.project_key == "ISB"])[:50])
    assert [i.label for i in items] == (mine + [k for k in recent if k not in mine])[:50]
    assert all("text ~" not in jql for jql in searched_jql(jira))


async def test_what_is_not_a_project_key_gives_nothing_and_asks_nothing(
    editor: LanguageClient, jira: JiraSimulator, tmp_path: Path
) -> None:
    await connect(editor, jira)
    lines = ["UTF-", "charset UTF-8 and SHA-", "x-", "see -", "isb-", "a.ISB-", "ISB-12 "]
    text = "\n".join([*lines, "ISB-"])
    uri = open_file(editor, tmp_path / "repo" / "notes.md", text, "markdown")
    # A key of the instance: its project keys are known from here on.
    assert await complete(editor, uri, len(lines), 4)
    jira.request_log.clear()

    for number, line in enumerate(lines):
        assert await complete(editor, uri, number, len(line)) == [], line

    assert list(jira.request_log) == []


async def test_with_nothing_connected_completion_is_empty(
    editor: LanguageClient, tmp_path: Path
) -> None:
    uri = open_file(editor, tmp_path / "repo" / "a.py", "# ISB-")
    assert await complete(editor, uri, 0, 6) == []


async def test_an_unreachable_tracker_gives_nothing_and_one_log_line(
    editor: LanguageClient, jira: JiraSimulator, tmp_path: Path
) -> None:
    await connect(editor, jira)
    uri = open_file(editor, tmp_path / "repo" / "a.py", "# ISB-\n# ISB-cache\n")
    assert await complete(editor, uri, 0, 6)  # the project keys are known now
    jira.drop_network()
    shown = len(editor.messages)

    assert await complete(editor, uri, 1, 11) == []

    assert len(editor.messages) == shown  # no message box
    assert any("ISB-" in m.message for m in editor.log_messages)


async def test_a_cancelled_completion_is_answered_cancelled(
    editor: LanguageClient, jira: JiraSimulator, tmp_path: Path
) -> None:
    await connect(editor, jira)
    uri = open_file(editor, tmp_path / "repo" / "a.py", "# ISB-\n# ISB-slow\n")
    assert await complete(editor, uri, 0, 6)
    jira.faults.slow_response(seconds=60, times=2, match="/search")
    params = lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=lsp.Position(line=1, character=10),
    )
    future = editor.protocol.send_request(lsp.TEXT_DOCUMENT_COMPLETION, params)
    msg_id = next(k for k, v in editor.protocol._request_futures.items() if v is future)
    # Requests are read in order: once this is answered, the completion is waiting.
    assert await editor.protocol.send_request_async("issuebridge/providers/list", {})
    editor.protocol.notify("$/cancelRequest", lsp.CancelParams(id=msg_id))
    with pytest.raises(JsonRpcException) as caught:
        await asyncio.wrap_future(future)
    assert caught.value.code == -32800
    jira.faults.clear()
    assert await complete(editor, uri, 0, 6)  # the agent is still there


async def test_disabled_issue_keys_give_no_completion(
    home: Path, jira: JiraSimulator, tmp_path: Path
) -> None:
    async with editor_session(home, tmp_path / "repo", issue_keys=False) as client:
        await connect(client, jira)
        uri = open_file(client, tmp_path / "repo" / "a.py", "# ISB-")
        jira.request_log.clear()
        assert await complete(client, uri, 0, 6) == []
        assert searched_jql(jira) == []
