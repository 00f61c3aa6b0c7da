"""The JQL of Jira Server's completion searches: quoted, escaped, and never a 400
whatever the user typed after the dash (checked with the simulator's JQL parser)."""

from datetime import UTC, datetime

import pytest

from agent.providers.jira_server.suggest import (
    digits_first,
    jql_string,
    mine_jql,
    search_jql,
    text_query,
)
from simulators.jira_server import jql
from simulators.jira_server.data import Store

HOSTILE = [
    'say "hi"',
    "back\\slash\\",
    "(login) [form] {x} ^2 ~fuzzy *star ?q",
    "a+b-c&&d||e!f:g/h",
    "AND OR NOT",
    "' single",
    "日本語 titles",
    '\\"',
]


def test_a_jql_string_escapes_backslashes_then_quotes() -> None:
    assert jql_string('a "b" \\c') == '"a \\"b\\" \\\\c"'
    tokens = jql.tokenize(f"summary ~ {jql_string(chr(92) + chr(34) + 'x')}")
    assert tokens[2].kind == "string" and tokens[2].text == '\\"x'


def test_the_text_query_is_words_lower_cased_the_last_a_prefix() -> None:
    assert text_query("Fix LOGIN") == "fix login*"
    assert text_query("(login) AND [form]") == "login and form*"
    assert text_query("  ") is None
    assert text_query('+-&|!(){}[]^~*?\\:"/') is None


def test_digits_or_nothing_after_the_dash_searches_recent_issues() -> None:
    assert search_jql("ISB", "") == 'project = "ISB" ORDER BY updated DESC'
    assert search_jql("ISB", "12") == 'project = "ISB" ORDER BY updated DESC'
    assert search_jql("ISB", "cache") == 'project = "ISB" AND text ~ "cache*" ORDER BY updated DESC'


@pytest.mark.parametrize("text", HOSTILE)
def test_no_typed_text_makes_a_query_jira_refuses(text: str) -> None:
    store = Store()
    store.seed(7, 40)
    ctx = jql.Context(store, store.user("alice"), datetime.now(UTC))
    for query in (mine_jql("ISB"), search_jql("ISB", text)):
        jql.search(query, ctx)  # raises JqlError for anything Jira answers 400


def test_a_reserved_word_as_project_key_is_quoted() -> None:
    assert mine_jql("DO").startswith('project = "DO" AND')


def test_keys_starting_with_the_digits_come_first_in_their_order() -> None:
    issues = [{"key": k} for k in ["ISB-3", "ISB-12", "ISB-7", "ISB-120", "ISB-21"]]
    assert [i["key"] for i in digits_first(issues, "ISB", "12")] == [
        "ISB-12",
        "ISB-120",
        "ISB-3",
        "ISB-7",
        "ISB-21",
    ]
