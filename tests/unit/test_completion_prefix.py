"""What before the cursor is the start of an issue key: the cheap test every `-` and
`#` typed in any file goes through."""

import pytest

from agent.documents.completion import Partial, partial_key


@pytest.mark.parametrize(
    ("before", "partial"),
    [
        ("see CORE-", Partial("project", "CORE", "", 4)),
        ("see CORE-lo", Partial("project", "CORE", "lo", 4)),
        ("(CORE-12", Partial("project", "CORE", "12", 1)),
        ("日本 CORE-x", Partial("project", "CORE", "x", 3)),
        ("UTF-", Partial("project", "UTF", "", 0)),  # the resolver's call: no project
        ("fix owner/repo#1", Partial("repository", "owner/repo", "1", 4)),
        ("group/sub/proj#", Partial("repository", "group/sub/proj", "", 0)),
        ("Fixes #", Partial("bare", "", "", 6)),
        ("   Fixes #12", Partial("bare", "", "12", 9)),
    ],
)
def test_partial_keys(before: str, partial: Partial) -> None:
    assert partial_key(before) == partial


@pytest.mark.parametrize(
    "before",
    ["", "x-", "see core-", "a.CORE-", "x-CORE-", "CORE-12 ", "#", "# heading", "  # x", "x#1"],
)
def test_not_the_start_of_a_key(before: str) -> None:
    assert partial_key(before) is None


def test_only_the_end_of_a_long_line_is_read() -> None:
    assert partial_key("x" * 100_000 + " CORE-") == Partial("project", "CORE", "", 100_001)
