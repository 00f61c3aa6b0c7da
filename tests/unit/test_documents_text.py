"""Open documents as lines: LSP's line breaks, position encodings, incremental edits."""

import random

import pytest

from agent.documents.text import Encoding, Splice, TextDocument, split_lines, to_index, to_units


def test_lines_split_at_lsp_breaks_only() -> None:
    text = "a\r\nb\rc\nd\x0ce\u2028f\x85g"
    assert split_lines(text) == ["a\r\n", "b\r", "c\n", "d\x0ce\u2028f\x85g"]
    assert split_lines("") == [""]
    assert split_lines("x\n") == ["x\n", ""]


@pytest.mark.parametrize(
    ("encoding", "units", "index"),
    # "aé😀x": é is 1 UTF-16 unit and 2 UTF-8 bytes, 😀 2 units and 4 bytes.
    [
        ("utf-16", 2, 2),
        ("utf-16", 4, 3),
        ("utf-16", 5, 4),
        ("utf-8", 3, 2),
        ("utf-8", 7, 3),
        ("utf-32", 3, 3),
    ],
)
def test_columns_in_each_encoding(encoding: Encoding, units: int, index: int) -> None:
    assert to_index("aé😀x", units, encoding) == index
    assert to_units("aé😀x", index, encoding) == units


def test_a_column_inside_a_surrogate_pair_is_before_it() -> None:
    assert to_index("a😀x", 2, "utf-16") == 1


def test_a_column_past_the_end_is_the_end_of_the_line() -> None:
    assert to_index("abc\n", 99, "utf-16") == 3
    assert to_index("aé\r\n", 99, "utf-16") == 2


def edit(text: str, start: tuple[int, int], end: tuple[int, int], new: str) -> TextDocument:
    document = TextDocument.open("file:///x", "plaintext", 1, text)
    document.apply(start, end, new)
    return document


def test_an_edit_inside_a_line_touches_that_line_only() -> None:
    document = TextDocument.open("file:///x", "plaintext", 1, "one\ntwo\nthree\n")
    splice = document.apply((1, 1), (1, 2), "W")
    assert document.text == "one\ntWo\nthree\n"
    assert splice == Splice(1, 1, 1)


def test_multi_line_edits() -> None:
    document = TextDocument.open("file:///x", "plaintext", 1, "one\ntwo\nthree\nfour")
    assert document.apply((0, 2), (2, 3), "X\nY") == Splice(0, 3, 2)
    assert document.text == "onX\nYee\nfour"
    assert document.apply((2, 4), (2, 4), "\nfive\n") == Splice(2, 1, 3)
    assert document.text == "onX\nYee\nfour\nfive\n"
    assert document.apply((0, 0), (4, 0), "") == Splice(0, 5, 1)
    assert document.text == ""


def test_a_cr_and_a_new_lf_become_one_break() -> None:
    assert edit("a\rb", (1, 0), (1, 1), "\n").lines == ["a\r\n", ""]
    assert edit("a\rX\nb", (1, 0), (1, 1), "").lines == ["a\r\n", "b"]


def test_utf16_columns_on_non_ascii_lines() -> None:
    document = edit("😀 CORE-1\nnext", (0, 3), (0, 3), "x")
    assert document.text == "😀 xCORE-1\nnext"


def test_a_change_without_a_range_replaces_the_text() -> None:
    document = TextDocument.open("file:///x", "plaintext", 1, "a\nb\nc")
    assert document.replace_all("z") == Splice(0, 3, 1)
    assert document.lines == ["z"]


def _offset(text: str, line: int, column: int) -> int:
    """A reference: the str offset of an LSP position (UTF-16 columns), the slow way."""
    lines = split_lines(text)
    line = min(line, len(lines) - 1)
    offset = sum(len(x) for x in lines[:line])
    body = lines[line].rstrip("\r\n")
    units = 0
    for index, char in enumerate(body):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > column:
            return offset + index
    return offset + len(body)


def test_random_edits_match_a_whole_text_reference() -> None:
    rng = random.Random(16)
    alphabet = ["a", "B", " ", "\n", "\r\n", "\r", "é", "😀", "CORE-1", "#"]
    text = "".join(rng.choice(alphabet) for _ in range(60))
    document = TextDocument.open("file:///x", "plaintext", 1, text)
    for _ in range(400):
        lines = split_lines(text)
        start_line = rng.randrange(len(lines))
        end_line = rng.randrange(start_line, min(len(lines), start_line + 3))
        start = (start_line, rng.randrange(0, 8))
        end = (end_line, rng.randrange(0, 8))
        a, b = _offset(text, *start), _offset(text, *end)
        if b < a:
            continue
        new = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 4)))
        text = text[:a] + new + text[b:]
        document.apply(start, end, new)
        assert document.text == text
        assert document.lines == split_lines(text)
