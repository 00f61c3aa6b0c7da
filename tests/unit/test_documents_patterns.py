"""What looks like an issue key in text (whether it is one is the resolver's call)."""

import pytest

from agent.documents.index import scan


def found(line: str) -> list[str]:
    return [c.text for c in scan(line)]


@pytest.mark.parametrize(
    ("line", "keys"),
    [
        ("Fixes CORE-12.", ["CORE-12"]),
        ("CORE-12-login", ["CORE-12"]),  # a branch name
        ("feature/CORE-12-login", ["CORE-12"]),
        ("(CORE-12, WEB_2-7)", ["CORE-12", "WEB_2-7"]),
        ("UTF-8 and SHA-256", ["UTF-8", "SHA-256"]),  # candidates; never resolved as keys
        ("CORE-012", []),  # a leading zero
        ("CORE-0", []),
        ("xCORE-12", []),
        ("x-CORE-12", []),
        ("CORE-12a", []),
        ("core-12", []),
        ("1CORE-2", []),
        ("éCORE-12", []),  # a word character before it
        ("«CORE-12»", ["CORE-12"]),
    ],
)
def test_project_keys(line: str, keys: list[str]) -> None:
    assert found(line) == keys


@pytest.mark.parametrize(
    ("line", "keys"),
    [
        ("see octo-org/widgets#12", ["octo-org/widgets#12"]),
        ("group/sub/project#7.", ["group/sub/project#7"]),
        ("https://github.com/a/b#12", []),
        ("https://github.com/a/b/issues/12#issuecomment-1", []),
        ("a/b#012", []),
        ("a/b#12x", []),
        ("(owner/repo#3)", ["owner/repo#3"]),
    ],
)
def test_repository_refs(line: str, keys: list[str]) -> None:
    assert found(line) == keys


@pytest.mark.parametrize(
    ("line", "keys"),
    [
        ("fixes #12", ["#12"]),
        ("#12: the first", ["#12"]),
        ("&#12; is an entity", []),
        ("x#12", []),
        ("##12", []),
        ("page.html#12", []),
        ("#012", []),
        ("color: #123abc", []),
    ],
)
def test_short_refs(line: str, keys: list[str]) -> None:
    assert found(line) == keys


def test_columns_are_string_indices() -> None:
    [candidate] = scan("éé CORE-4")
    assert (candidate.start, candidate.end, candidate.prefix, candidate.number) == (
        3,
        9,
        "CORE",
        "4",
    )


def test_a_project_key_inside_a_repository_path_is_part_of_the_path() -> None:
    assert found("org/CORE-1#2") == ["org/CORE-1#2"]
