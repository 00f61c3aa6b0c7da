"""The key index follows the text, rescanning only the lines a change touched."""

import random

import pytest

from agent.documents import index as index_module
from agent.documents.index import KeyIndex, scan
from agent.documents.text import TextDocument, content


def keys_by_line(document: TextDocument) -> list[list[str]]:
    return [[c.text for c in scan(content(line))] for line in document.lines]


def indexed(keys: KeyIndex) -> list[list[str]]:
    return [[c.text for c in line] for line in keys.lines]


def test_an_edit_rescans_only_the_lines_it_touched(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [f"line {n} CORE-{n + 1}\n" for n in range(10_000)]
    document = TextDocument.open("file:///big", "plaintext", 1, "".join(lines))
    keys = KeyIndex(document)
    scanned: list[str] = []
    real = index_module.scan

    def counting(line: str) -> index_module.Line:
        scanned.append(line)
        return real(line)

    monkeypatch.setattr(index_module, "scan", counting)
    keys.update(document, document.apply((5000, 0), (5001, 4), "WEB-9 x\nnew"))
    monkeypatch.undo()
    assert len(scanned) == 2
    assert indexed(keys) == keys_by_line(document)
    assert [c.text for c in keys.on_line(5000)] == ["WEB-9"]


def test_random_edits_keep_the_index_in_step() -> None:
    rng = random.Random(7)
    pieces = ["CORE-1", " ", "\n", "é", "#4", "a/b#5", "-", "2", "X", "\r\n"]
    document = TextDocument.open("file:///x", "plaintext", 1, "CORE-1 x\nWEB-2\n")
    keys = KeyIndex(document)
    for _ in range(500):
        last = len(document.lines) - 1
        start_line = rng.randrange(last + 1)
        end_line = rng.randrange(start_line, min(last, start_line + 2) + 1)
        start = (start_line, rng.randrange(0, 6))
        end = (end_line, rng.randrange(0, 6))
        if end < start:
            continue
        new = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 4)))
        keys.update(document, document.apply(start, end, new))
        assert indexed(keys) == keys_by_line(document)


def test_the_candidate_at_a_column() -> None:
    document = TextDocument.open("file:///x", "plaintext", 1, "see CORE-12 now")
    keys = KeyIndex(document)
    assert keys.at(0, 3) is None
    at_start, at_end = keys.at(0, 4), keys.at(0, 11)
    assert at_start is not None and at_start.text == "CORE-12"
    assert at_end == at_start
    assert keys.at(0, 12) is None
    assert keys.at(5, 0) is None
