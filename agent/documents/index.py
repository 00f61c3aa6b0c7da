"""The key candidates of each line of a document, kept in step with its text.

A change rescans only the lines it touched (`Splice`); the rest of the list is
spliced, never rescanned, so a keystroke costs the same in a 100-line file and in a
10,000-line one. Whether a candidate is a key is decided later (`resolver`), from
the connected instances, which may change without the text changing.
"""

import itertools
from collections.abc import Iterator
from typing import Literal, NamedTuple

from agent.documents import patterns
from agent.documents.text import Splice, TextDocument, content

Kind = Literal["project", "repository", "short"]


class Candidate(NamedTuple):
    """Something shaped like a key on one line; columns are str indices. (A tuple: a
    10,000-line file may hold as many, and a tuple is made several times faster.)"""

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
        if "/" in line:
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


def _projects(line: Line) -> Line:
    if not line:
        return _NONE
    kept = tuple(c for c in line if c.kind == "project")
    return kept if len(kept) != len(line) else line


class KeyIndex:
    """Each line's candidates (`lines`), and their project-style ones alone
    (`project_lines`): while no repository tracker is connected, `#12`-like text,
    common in code, costs a request nothing."""

    def __init__(self, document: TextDocument) -> None:
        self.lines: list[Line] = [scan(content(line)) for line in document.lines]
        self.project_lines: list[Line] = [_projects(line) for line in self.lines]

    def update(self, document: TextDocument, splice: Splice) -> None:
        """Rescan the lines a change replaced; splice the list (no other line is read)."""
        end = splice.start + splice.inserted
        scanned = [scan(content(line)) for line in document.lines[splice.start : end]]
        replaced = slice(splice.start, splice.start + splice.removed)
        self.lines[replaced] = scanned
        self.project_lines[replaced] = [_projects(line) for line in scanned]

    def on_line(self, number: int) -> Line:
        return self.lines[number] if 0 <= number < len(self.lines) else _NONE

    def at(self, number: int, index: int) -> Candidate | None:
        """The candidate covering str index `index` of a line (its end included)."""
        return next((c for c in self.on_line(number) if c.start <= index <= c.end), None)

    def all(self, refs: bool = True) -> Iterator[tuple[int, Candidate]]:
        """(line, candidate) in document order; without `refs`, project keys only."""
        lines = self.lines if refs else self.project_lines
        # `compress` skips the lines without candidates (most of them) in C.
        for number in itertools.compress(range(len(lines)), lines):
            for candidate in lines[number]:
                yield number, candidate
