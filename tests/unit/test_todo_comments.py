"""Which lines offer "Create issue from this comment", and which text they carry."""

from pathlib import Path

import pytest

from agent.documents.actions import find_todo, project_of, relative_path

CASES = [
    ("// TODO: fix cache", "fix cache"),
    ("# FIXME fix it  ", "fix it"),
    ("-- TODO(alice): x y", "x y"),
    ("/* TODO: block */", "block"),
    ("<!-- TODO: html -->", "html"),
    ("; TODO semicolon", "semicolon"),
    ("   * TODO - star", "star"),
    ("x = 1 // TODO: ünïcode 🚀 done", "ünïcode 🚀 done"),
    ("TODO: a commit message line", "a commit message line"),
]


@pytest.mark.parametrize(("line", "text"), CASES)
def test_the_text_after_the_marker_in_every_comment_style(line: str, text: str) -> None:
    todo = find_todo(3, line)
    assert todo is not None and todo.line == 3
    assert todo.text == text and line[todo.start : todo.end] == text


@pytest.mark.parametrize(
    "line",
    ["// TODO", "// TODO:  ", "// TODO: CORE-13", "# FIXME owner/repo#4", "TODOS: no", "todo: x"],
)
def test_no_marker_no_text_or_only_a_key_offers_nothing(line: str) -> None:
    assert find_todo(0, line) is None


def test_project_of_a_key_of_either_style() -> None:
    assert project_of("CORE-12") == "CORE"
    assert project_of("group/sub/project#7") == "group/sub/project"


def test_the_path_is_relative_to_the_deepest_workspace_folder_holding_it(tmp_path: Path) -> None:
    outer, inner = tmp_path / "ws", tmp_path / "ws" / "lib"
    uri = (inner / "src" / "a b.py").as_uri()
    assert relative_path(uri, [outer, inner]) == "src/a b.py"
    assert relative_path(uri, [tmp_path / "other"]) == str(inner / "src" / "a b.py")
    assert relative_path("untitled:Untitled-1", [outer]) == "untitled:Untitled-1"
