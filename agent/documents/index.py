"""The key candidates of each line of a document, kept in step with its text.

A change rescans only the lines it touched (`Splice`); the rest of the list is
spliced, never rescanned, so a keystroke costs the same in a 100-line file and in a
10,000-line one. Whether a candidate is a key is decided later (`resolver`), from
the connected instances, which may change without the text changing.
"""

from collections.abc import Iterator
from typing import Literal

import attrs

from agent.documents import patterns
from agent.documents.text import Splice, TextDocument, content

Kind = Literal["project", "repository", "short"]


@attrs.frozen
class Candidate:
    """Something shaped like a key on one line; columns are str indices."""

    kind: Kind
    start: int
    end: int
    # The project key (`CORE`), the repository (`owner/repo`), or "" for `#12`.
    prefix: str
    number: str

    @property
    def text(self) -> str:
        if self.kind == "project":
            return f"{self.prefix}-{self.number}"
        return f"{self.prefix}#{self.number}"


Line = tuple[Candidate, ...]
_NONE: Line = ()


def scan(line: str) -> Line:
    """The candidates of one line, left to right."""
    dash, hash_ = "-" in line, "#" in line
    if not dash and not hash_:
        return _NONE
    found: list[Candidate] = []
    if dash:
        for m in patterns.PROJECT_KEY.finditer(line):
            found.append(Candidate("project", m.start(), m.end(), m[1], m[2]))
    if hash_:
        for m in patterns.REPOSITORY_REF.finditer(line):
            found.append(Candidate("repository", m.start(), m.end(), m[1], m[2]))
        for m in patterns.SHORT_REF.finditer(line):
            found.append(Candidate("short", m.start(), m.end(), "", m[1]))
    if not found:
        return _NONE
    found.sort(key=lambda c: c.start)
    # A project key inside a repository path (`org/CORE-1#2`) is part of the path.
    kept: list[Candidate] = []
    for candidate in found:
        if kept and candidate.start < kept[-1].end:
            if candidate.end - candidate.start > kept[-1].end - kept[-1].start:
                kept[-1] = candidate
            continue
        kept.append(candidate)
    return tuple(kept)


class KeyIndex:
    def __init__(self, document: TextDocument) -> None:
        self.lines: list[Line] = [scan(content(line)) for line in document.lines]

    def update(self, document: TextDocument, splice: Splice) -> None:
        """Rescan the lines a change replaced; splice the list (no other line is read)."""
        end = splice.start + splice.inserted
        self.lines[splice.start : splice.start + splice.removed] = [
            scan(content(line)) for line in document.lines[splice.start : end]
        ]

    def on_line(self, number: int) -> Line:
        return self.lines[number] if 0 <= number < len(self.lines) else _NONE

    def at(self, number: int, index: int) -> Candidate | None:
        """The candidate covering str index `index` of a line (its end included)."""
        return next((c for c in self.on_line(number) if c.start <= index <= c.end), None)

    def all(self) -> Iterator[tuple[int, Candidate]]:
        for number, line in enumerate(self.lines):
            for candidate in line:
                yield number, candidate
