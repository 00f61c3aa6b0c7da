"""Atlassian Document Format <-> text (agent.providers.jira_cloud.adf)."""

from typing import Any

import pytest

from agent.providers.jira_cloud import adf
from simulators.jira_cloud.data import rich_description


def doc(*content: Any) -> dict[str, Any]:
    return {"version": 1, "type": "doc", "content": list(content)}


def para(*inline: Any) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(inline)}


def text(value: str, *marks: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": value}
    if marks:
        node["marks"] = list(marks)
    return node


def test_a_rich_document_reads_as_text() -> None:
    assert adf.to_text(rich_description("Fix login")) == (
        "## Context\n\n"
        "Fix login — see the runbook (https://example.com/runbook).\nImportant\n\n"
        "- first step\n- second step\n\n"
        "```python\nprint('hi')\n```\n\n"
        "@Bob Builder please check 😄"
    )


def test_lists_quotes_rules_tables_and_inline_nodes() -> None:
    ordered = {
        "type": "orderedList",
        "attrs": {"order": 3},
        "content": [
            {"type": "listItem", "content": [para(text("three"))]},
            {"type": "listItem", "content": [para(text("four")), para(text("more"))]},
        ],
    }
    quote = {"type": "blockquote", "content": [para(text("quoted"))]}
    table = {
        "type": "table",
        "content": [
            {
                "type": "tableRow",
                "content": [
                    {"type": "tableHeader", "content": [para(text("a"))]},
                    {"type": "tableCell", "content": [para(text("b"))]},
                ],
            }
        ],
    }
    inline = para(
        {"type": "date", "attrs": {"timestamp": "1767225600000"}},
        text(" "),
        {"type": "status", "attrs": {"text": "BLOCKED", "color": "red"}},
        text(" "),
        {"type": "inlineCard", "attrs": {"url": "https://example.com/x"}},
        text(" ", {"type": "strong"}),
        text("https://e.com", {"type": "link", "attrs": {"href": "https://e.com"}}),
    )
    panel = {"type": "panel", "attrs": {"panelType": "info"}, "content": [para(text("note"))]}
    media = {"type": "mediaSingle", "content": [{"type": "media", "attrs": {"alt": "shot.png"}}]}
    assert adf.to_text(doc(ordered, quote, {"type": "rule"}, table, inline, panel, media)) == (
        "3. three\n4. four\n   more\n\n> quoted\n\n---\n\na | b\n\n"
        "2026-01-01 [BLOCKED] https://example.com/x https://e.com\n\nnote\n\n[shot.png]"
    )


@pytest.mark.parametrize(
    "value", [None, 42, [], {"type": "doc"}, {"type": "doc", "content": "x"}, doc({"x": 1})]
)
def test_what_is_not_adf_reads_as_nothing(value: Any) -> None:
    assert adf.to_text(value) == ""


def test_a_string_stays_itself() -> None:
    assert adf.to_text("already text") == "already text"


def test_deep_nesting_is_cut_not_a_crash() -> None:
    node: dict[str, Any] = para(text("deep"))
    for _ in range(5000):
        node = {"type": "blockquote", "content": [node]}
    assert isinstance(adf.to_text(doc(node)), str)


def test_text_becomes_paragraphs_and_hard_breaks() -> None:
    assert adf.from_text("one\ntwo\n\n\nthree\r\n") == doc(
        para(text("one"), {"type": "hardBreak"}, text("two")), para(text("three"))
    )


@pytest.mark.parametrize("value", ["plain", "a\nb", "a\n\nb\nc", "ünïcode — ok 😄"])
def test_round_trip(value: str) -> None:
    assert adf.to_text(adf.from_text(value)) == value
