"""An open document as a list of lines, changed by LSP's incremental edits.

Lines are split at LSP's line breaks only (`\r\n`, `\r`, `\n`; `str.splitlines` also
splits at form feeds, U+2028 and others, which editors count as characters). Each
line keeps its break, so a change touches only the lines it spans: the list is
spliced, and columns (in the negotiated position encoding, UTF-16 by default) are
converted on the touched lines alone, with a fast path for ASCII lines.
"""

import re
from typing import Literal

import attrs

# What `initialize` negotiated (pygls chooses it from the client's capabilities).
Encoding = Literal["utf-8", "utf-16", "utf-32"]


def encoding_named(value: object) -> Encoding:
    """The encoding of an LSP `PositionEncodingKind` (an enum or its string)."""
    name = str(getattr(value, "value", value) or "")
    if name == "utf-8":
        return "utf-8"
    return "utf-32" if name == "utf-32" else "utf-16"


_BREAK = re.compile(r"(\r\n|\r|\n)")


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its break; the last one (maybe "") has none."""
    parts = _BREAK.split(text)
    lines = [parts[i] + parts[i + 1] for i in range(0, len(parts) - 1, 2)]
    lines.append(parts[-1])
    return lines


def content(line: str) -> str:
    """A line without its break."""
    if line.endswith("\r\n"):
        return line[:-2]
    if line.endswith(("\n", "\r")):
        return line[:-1]
    return line


def to_index(line: str, units: int, encoding: Encoding) -> int:
    """The str index of a column given in `encoding` code units, clamped to the line
    (LSP: a character past the end means the end of the line)."""
    text = content(line)
    if units <= 0:
        return 0
    if encoding == "utf-32" or text.isascii():
        return min(units, len(text))
    counted = 0
    for index, char in enumerate(text):
        counted += _width(char, encoding)
        if counted > units:
            return index
        if counted == units:
            return index + 1
    return len(text)


def to_units(line: str, index: int, encoding: Encoding) -> int:
    """The column in `encoding` code units of str index `index` of the line."""
    if encoding == "utf-32" or line.isascii():
        return index
    return sum(_width(char, encoding) for char in line[:index])


def _width(char: str, encoding: Encoding) -> int:
    point = ord(char)
    if encoding == "utf-16":
        return 2 if point > 0xFFFF else 1
    return 1 if point < 0x80 else 2 if point < 0x800 else 3 if point < 0x10000 else 4


@attrs.frozen
class Splice:
    """Lines [start, start + removed) were replaced by `inserted` new lines."""

    start: int
    removed: int
    inserted: int


@attrs.define
class TextDocument:
    uri: str
    language_id: str
    version: int
    lines: list[str]
    encoding: Encoding = "utf-16"

    @classmethod
    def open(
        cls, uri: str, language_id: str, version: int, text: str, encoding: Encoding = "utf-16"
    ) -> "TextDocument":
        return cls(uri, language_id, version, split_lines(text), encoding)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def line(self, number: int) -> str:
        """A line without its break ("" past the end)."""
        return content(self.lines[number]) if 0 <= number < len(self.lines) else ""

    def replace_all(self, text: str) -> Splice:
        removed = len(self.lines)
        self.lines = split_lines(text)
        return Splice(0, removed, len(self.lines))

    def apply(self, start: tuple[int, int], end: tuple[int, int], text: str) -> Splice:
        """Replace the range from `start` to `end` ((line, column in code units)) with
        `text`; only the lines the range spans are read and rewritten."""
        last = len(self.lines) - 1
        first_line, first_index = self._locate(start, last)
        end_line, end_index = self._locate(end, last)
        if (end_line, end_index) < (first_line, first_index):
            first_line, first_index, end_line, end_index = (
                end_line,
                end_index,
                first_line,
                first_index,
            )
        head = self.lines[first_line][:first_index]
        # The end line's rest, its break included.
        tail = self.lines[end_line][end_index:]
        new = head + text + tail
        if new.startswith("\n") and first_line > 0 and self.lines[first_line - 1].endswith("\r"):
            # A `\r` ending the line before and this `\n` are one break now.
            first_line -= 1
            new = self.lines[first_line] + new
        pieces = split_lines(new)
        if end_line < last:
            pieces.pop()  # "" after the kept break: the next line goes on as it was
        self.lines[first_line : end_line + 1] = pieces
        return Splice(first_line, end_line + 1 - first_line, len(pieces))

    def _locate(self, position: tuple[int, int], last: int) -> tuple[int, int]:
        line, units = position
        if line < 0:
            return 0, 0
        if line > last:
            return last, len(content(self.lines[last]))
        return line, to_index(self.lines[line], units, self.encoding)
