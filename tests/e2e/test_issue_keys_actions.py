"""`textDocument/codeAction` "Create issue from this comment" on TODO/FIXME lines, and
the command it runs: the issue made in Jira (the description says where), then the
TODO's text replaced by the new key through `workspace/applyEdit`."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from issue_keys_flows import change, connect
from keys_editor import editor_session, open_file, plain
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from protocol.types import CREATE_ISSUE_FROM_COMMENT
from simulators.jira_server import JiraSimulator

TITLE = "Create issue from this comment"
SOURCE = """\
import cache  # ISB-1, ISB-2 and WEB-3 are about this file
// TODO: warm the cache on start
x = 1  # nothing to do here
/* FIXME(alice) drop the retries */
-- TODO fix the query
; TODO: ünïcode 🚀 summary
<!-- TODO: the page title -->
# TODO
# TODO: ISB-7
todo: lower case is no marker
"""


class Editor:
    """The client, and what the agent asked of it."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.edits: list[lsp.ApplyWorkspaceEditParams] = []
        self.questions: list[lsp.ShowMessageRequestParams] = []
        self.apply = True
        self.pick: str | None = None
        self.sent = 0

        def apply_edit(params: lsp.ApplyWorkspaceEditParams) -> lsp.ApplyWorkspaceEditResult:
            self.edits.append(params)
            return lsp.ApplyWorkspaceEditResult(applied=self.apply)

        def ask(params: lsp.ShowMessageRequestParams) -> lsp.MessageActionItem | None:
            self.questions.append(params)
            titles = [a.title for a in params.actions or []]
            chosen = next((t for t in titles if self.pick and t.startswith(self.pick)), None)
            return lsp.MessageActionItem(title=chosen) if chosen else None

        client.feature(lsp.WORKSPACE_APPLY_EDIT)(apply_edit)
        client.feature(lsp.WINDOW_SHOW_MESSAGE_REQUEST)(ask)

    async def actions(
        self, uri: str, line: int, only: list[str] | None = None
    ) -> list[dict[str, Any]]:
        """The code actions as the wire JSON. lsprotocol's client side reads any entry
        with a `command` key as a `Command`, so a CodeAction carrying its command would
        come back garbled: the answer is taken untyped."""
        params = lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(
                start=lsp.Position(line=line, character=0),
                end=lsp.Position(line=line, character=0),
            ),
            context=lsp.CodeActionContext(
                diagnostics=[], only=[lsp.CodeActionKind(k) for k in only] if only else None
            ),
        )
        self.sent += 1
        msg_id = f"codeAction-{self.sent}"
        protocol = self.client.protocol
        future = protocol.send_request(lsp.TEXT_DOCUMENT_CODE_ACTION, params, msg_id=msg_id)
        protocol._result_types.pop(msg_id, None)  # answered before this task yields
        result = plain(await asyncio.wrap_future(future))
        assert isinstance(result, list)
        return result

    async def run(self, arguments: list[Any]) -> Any:
        return plain(
            await self.client.workspace_execute_command_async(
                lsp.ExecuteCommandParams(command=CREATE_ISSUE_FROM_COMMENT, arguments=arguments)
            )
        )


@pytest_asyncio.fixture
async def editor(home: Path, tmp_path: Path) -> AsyncIterator[Editor]:
    async with editor_session(home, tmp_path / "repo") as client:
        yield Editor(client)


def argument(action: dict[str, Any]) -> dict[str, Any]:
    [value] = action["command"]["arguments"]
    assert isinstance(value, dict)
    return value


async def test_the_action_is_offered_on_todo_and_fixme_lines_only(
    editor: Editor, jira: JiraSimulator, tmp_path: Path
) -> None:
    instance_id = await connect(editor.client, jira)
    uri = open_file(editor.client, tmp_path / "repo" / "src" / "cache.py", SOURCE)
    texts = {
        1: "warm the cache on start",
        3: "drop the retries",
        4: "fix the query",
        5: "ünïcode 🚀 summary",
        6: "the page title",
    }
    lines = SOURCE.splitlines()
    for number, line in enumerate(lines):
        actions = await editor.actions(uri, number)
        if number not in texts:
            assert actions == [], line
            continue
        [action] = actions
        assert action["title"] == TITLE and action["kind"] == "quickfix"
        assert action["command"]["title"] == TITLE
        assert action["command"]["command"] == CREATE_ISSUE_FROM_COMMENT
        args = argument(action)
        text = texts[number]
        start = len(line[: line.index(text)].encode("utf-16-le")) // 2
        assert args == {
            "uri": uri,
            "line": number,
            "startCharacter": start,
            "endCharacter": start + len(text.encode("utf-16-le")) // 2,
            "text": text,
            "path": "src/cache.py",
            "instanceId": instance_id,
            "projectKey": "ISB",  # the document names ISB three times, WEB once
        }
    # An editor asking for other kinds of action (a refactoring menu) gets none.
    assert await editor.actions(uri, 1, only=["refactor"]) == []
    assert len(await editor.actions(uri, 1, only=["quickfix"])) == 1


async def test_running_it_creates_the_issue_and_names_it_in_the_todo(
    editor: Editor, jira: JiraSimulator, tmp_path: Path
) -> None:
    await connect(editor.client, jira)
    uri = open_file(editor.client, tmp_path / "repo" / "src" / "cache.py", SOURCE)
    [action] = await editor.actions(uri, 1)
    before = len(jira.issues)

    result = await editor.run([argument(action)])

    assert len(jira.issues) == before + 1
    created = jira.issues[-1]
    assert result["issue"]["key"] == created.key and created.key.startswith("ISB-")
    assert created.summary == "warm the cache on start"
    assert created.description == "warm the cache on start\n\nFrom src/cache.py:2"
    assert created.issuetype_id == "3"  # Task
    assert result["edited"] is True
    [edit] = editor.edits
    assert edit.edit.document_changes is not None
    [document_edit] = edit.edit.document_changes
    assert isinstance(document_edit, lsp.TextDocumentEdit)
    assert document_edit.text_document.uri == uri and document_edit.text_document.version == 1
    [text_edit] = document_edit.edits
    assert isinstance(text_edit, lsp.TextEdit)
    assert text_edit.new_text == created.key
    line = SOURCE.splitlines()[1]
    start = line.index("warm")
    assert text_edit.range == lsp.Range(
        start=lsp.Position(line=1, character=start),
        end=lsp.Position(line=1, character=len(line)),
    )


async def test_without_a_project_it_asks_which(
    editor: Editor, jira: JiraSimulator, tmp_path: Path
) -> None:
    await connect(editor.client, jira)
    uri = open_file(editor.client, tmp_path / "repo" / "notes.sh", "# FIXME rotate the logs\n")
    [action] = await editor.actions(uri, 0)
    args = argument(action)
    assert "projectKey" not in args  # no key in the document: the agent cannot tell
    editor.pick = "OPS"

    result = await editor.run([args])

    [question] = editor.questions
    titles = [a.title for a in question.actions or []]
    assert [t.split(" ")[0] for t in titles] == ["ISB", "WEB", "OPS", "DOC"]
    assert "rotate the logs" in question.message
    assert result["issue"]["key"].startswith("OPS-")
    assert jira.issues[-1].issuetype_id == "3"


async def test_dismissing_the_question_creates_nothing(
    editor: Editor, jira: JiraSimulator, tmp_path: Path
) -> None:
    await connect(editor.client, jira)
    uri = open_file(editor.client, tmp_path / "repo" / "notes.sh", "# TODO: later\n")
    [action] = await editor.actions(uri, 0)
    before = len(jira.issues)
    with pytest.raises(JsonRpcException) as caught:
        await editor.run([argument(action)])
    assert caught.value.code == -32602
    assert len(jira.issues) == before and editor.edits == []


async def test_a_type_that_needs_more_fields_is_refused_naming_the_field(
    editor: Editor, jira: JiraSimulator, tmp_path: Path
) -> None:
    jira.add_project("SUP", "Support", issue_types=["Bug"])  # Bug needs a Severity
    await connect(editor.client, jira)
    uri = open_file(editor.client, tmp_path / "repo" / "a.py", "# TODO: SUP-1 again\n")
    [action] = await editor.actions(uri, 0)
    args = {**argument(action), "projectKey": "SUP"}
    jira.request_log.clear()

    with pytest.raises(JsonRpcException) as caught:
        await editor.run([args])

    assert caught.value.code == -32602
    data = plain(caught.value.data)
    assert data["field"] == "fields.customfield_10010"
    assert "Severity" in caught.value.message
    assert "Create Issue form" in data["hint"]
    assert not [r for r in jira.request_log if r.method == "POST" and r.path.endswith("/issue")]
    assert editor.edits == []


async def run_after_a_change(
    editor: Editor, jira: JiraSimulator, folder: Path, end: tuple[int, int], text: str
) -> Any:
    """Run the action of `// TODO: cache misses` after the line changed (version 2):
    the text from the line's start to `end` replaced by `text`."""
    await connect(editor.client, jira)
    uri = open_file(editor.client, folder / "a.ts", "// TODO: cache misses\n", "ts")
    [action] = await editor.actions(uri, 0)
    editor.pick = "ISB"
    change(editor.client, uri, 2, (0, 0), end, text)
    return await editor.run([argument(action)])


async def test_a_changed_line_is_edited_where_the_text_is_now(
    editor: Editor, jira: JiraSimulator, tmp_path: Path
) -> None:
    result = await run_after_a_change(editor, jira, tmp_path / "repo", (0, 0), "let a = 1; ")

    assert result["edited"] is True
    [edit] = editor.edits
    [document_edit] = edit.edit.document_changes or []
    assert isinstance(document_edit, lsp.TextDocumentEdit)
    assert document_edit.text_document.version == 2
    now = "let a = 1; // TODO: cache misses"
    start = lsp.Position(line=0, character=now.index("cache"))
    assert document_edit.edits[0].range.start == start


async def test_a_line_without_the_text_any_more_is_not_edited(
    editor: Editor, jira: JiraSimulator, tmp_path: Path
) -> None:
    result = await run_after_a_change(editor, jira, tmp_path / "repo", (1, 0), "// done\n")

    assert result["issue"]["key"].startswith("ISB-")  # made all the same
    assert result["edited"] is False and editor.edits == []


async def test_an_edit_the_editor_refuses_says_edited_false(
    editor: Editor, jira: JiraSimulator, tmp_path: Path
) -> None:
    await connect(editor.client, jira)
    uri = open_file(editor.client, tmp_path / "repo" / "b.py", "# ISB-1\n# TODO: refused\n")
    [action] = await editor.actions(uri, 1)
    editor.apply = False
    result = await editor.run([argument(action)])
    assert result["edited"] is False and len(editor.edits) == 1


GOOD = {"uri": "file:///a", "line": 0, "startCharacter": 0, "endCharacter": 1, "text": "x"}


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ([], "arguments"),
        (["text"], "arguments[0]"),
        ([{k: v for k, v in GOOD.items() if k != "uri"} | {"path": "a"}], "arguments[0].uri"),
        ([GOOD | {"uri": 5, "path": "a"}], "arguments[0].uri"),
        ([GOOD], "arguments[0].path"),
        ([GOOD | {"line": -1, "path": "a"}], "arguments[0].line"),
        ([GOOD | {"text": " ", "path": "a"}], "arguments[0].text"),
    ],
)
async def test_bad_arguments_are_invalid_params_naming_the_field(
    editor: Editor, jira: JiraSimulator, arguments: list[Any], field: str
) -> None:
    await connect(editor.client, jira)
    with pytest.raises(JsonRpcException) as caught:
        await editor.run(arguments)
    assert caught.value.code == -32602
    assert plain(caught.value.data)["field"] == field
    assert "Traceback" not in str(caught.value.data)


async def test_nothing_is_offered_while_nothing_is_connected(
    editor: Editor, tmp_path: Path
) -> None:
    uri = open_file(editor.client, tmp_path / "repo" / "a.py", "# TODO: no tracker yet\n")
    assert await editor.actions(uri, 0) == []


async def test_nothing_is_offered_with_issue_keys_disabled(
    home: Path, jira: JiraSimulator, tmp_path: Path
) -> None:
    async with editor_session(home, tmp_path / "repo", issue_keys=False) as client:
        await connect(client, jira)
        uri = open_file(client, tmp_path / "repo" / "a.py", "# TODO: disabled\n")
        assert await Editor(client).actions(uri, 0) == []
