"""Hovers on issue keys (textDocument/hover) over real stdio against the Jira
simulator: the issue in a few lines, one batched search for the keys of the
document, a cache, and one-line notes for a missing issue or a failed lookup."""

import asyncio
import re
from pathlib import Path

from issue_keys_flows import connect, hover_text, links, lsp_agent, open_document, searches

from simulators.jira_server import Issue, JiraSimulator
from simulators.jira_server.data import ISSUE_TYPES, PRIORITIES, item_by_id, status_by_id

URI = "file:///work/src/main.py"


def plain_issue(jira: JiraSimulator) -> Issue:
    """An assigned issue whose title needs no markdown escaping."""
    return next(
        i
        for i in jira.issues
        if i.assignee and i.priority_id and re.fullmatch(r"[A-Za-z ]+", i.summary)
    )


async def test_a_hover_shows_the_issue(home: Path, jira: JiraSimulator) -> None:
    issue = plain_issue(jira)
    async with lsp_agent(home) as (client, _):
        await connect(client, jira)
        open_document(client, URI, f"# Fixes {issue.key} for good\n")
        assert await hover_text(client, URI, 0, 3) is None  # not on a key
        text = await hover_text(client, URI, 0, 9 + len(issue.key) // 2)
    assert text is not None
    lines = text.split("\n\n")
    url = f"{jira.base_url}/browse/{issue.key}"
    assert lines[0] == f"**[{issue.key}]({url})** {issue.summary}"
    status = status_by_id(issue.status_id).name
    kind = item_by_id(ISSUE_TYPES, issue.issuetype_id).name
    assert issue.priority_id is not None and issue.assignee is not None
    priority = item_by_id(PRIORITIES, issue.priority_id).name
    assert lines[1] == f"{status} · {kind} · {priority}"
    who = jira.user(issue.assignee).display_name
    assert lines[2] == f"Assignee: {who} · Updated: {issue.updated.date().isoformat()}"


async def test_one_search_for_the_keys_of_a_document_then_the_cache(
    home: Path, jira: JiraSimulator
) -> None:
    keys = [i.key for i in jira.issues[:30]]
    text = "".join(f"line {n}: see {key}\n" for n, key in enumerate(keys))
    text += "and ISB-9999, which does not exist\n"
    async with lsp_agent(home) as (client, _):
        await connect(client, jira)
        open_document(client, URI, text)
        assert len(await links(client, URI)) == 31
        before = len(searches(jira))
        # Five hovers at once while the search is slow: they share one lookup.
        jira.faults.slow_response(1.0, match="/rest/api/2/search")
        column = len("line 0: see ") + 1
        texts = await asyncio.gather(
            *(hover_text(client, URI, n, column + (n >= 10)) for n in (0, 3, 7, 12, 29))
        )
        sent = searches(jira)[before:]
        assert len(sent) == 1
        for n, hovered in zip((0, 3, 7, 12, 29), texts, strict=True):
            assert hovered is not None and hovered.startswith(f"**[{keys[n]}](")
        # Later hovers, on these keys or on others of the document, ask nothing.
        more = [await hover_text(client, URI, n, column + (n >= 10)) for n in (0, 15, 28)]
        assert all(m and m.startswith("**[") for m in more)
        missing = await hover_text(client, URI, 30, 6)
        assert len(searches(jira)) == before + 1
    host = jira.base_url.split("://", 1)[1]
    assert missing == f"ISB-9999: no such issue on {host}, or you may not see it."
    # One search of every key, without validation (a deleted key must not fail it).
    body = sent[0].body.decode()
    assert all(key in body for key in [*keys, "ISB-9999"])
    assert '"validateQuery": false' in body or '"validateQuery":false' in body


async def test_a_failed_lookup_is_a_one_line_note(home: Path, jira: JiraSimulator) -> None:
    token = jira.user("alice").pat
    async with lsp_agent(home) as (client, _):
        await connect(client, jira)
        open_document(client, URI, "ISB-1 and ISB-2\n")
        assert len(await links(client, URI)) == 2  # the project keys are read by now
        jira.faults.html_502(times=10, match="/rest/api/2/search")
        failed = await hover_text(client, URI, 0, 2)
        jira.faults.clear()
        # Not kept: the next hover looks it up again, and finds it.
        found = await hover_text(client, URI, 0, 2)
        jira.stop()
        kept = await hover_text(client, URI, 0, 12)
    assert failed is not None and failed.startswith("ISB-1: could not look it up: ")
    assert "\n" not in failed and failed.endswith(".")
    assert "Traceback" not in failed and token not in failed
    assert found is not None and found.startswith("**[ISB-1](")
    # ISB-2 was looked up with ISB-1: it comes from the cache, the server down or not.
    assert kept is not None and kept.startswith("**[ISB-2](")


async def test_an_unreachable_server_is_a_one_line_note(home: Path, jira: JiraSimulator) -> None:
    token = jira.user("alice").pat
    async with lsp_agent(home) as (client, _):
        await connect(client, jira)
        open_document(client, URI, "ISB-1\n")
        assert len(await links(client, URI)) == 1
        jira.stop()
        note = await hover_text(client, URI, 0, 2)
    assert note is not None and note.startswith("ISB-1: could not look it up: ")
    assert "\n" not in note and "Traceback" not in note and token not in note


async def test_no_hover_while_disabled(home: Path, jira: JiraSimulator) -> None:
    async with lsp_agent(home, {"issueKeys": {"enabled": False}}) as (client, _):
        await connect(client, jira)
        open_document(client, URI, "ISB-1\n")
        assert await hover_text(client, URI, 0, 2) is None
    assert searches(jira) == []


async def test_many_keys_are_searched_in_chunks(home: Path, jira: JiraSimulator) -> None:
    # 150 keys: a chunk of 100 (two pages at this simulator's cap of 50) and one of 50.
    keys = [i.key for i in jira.issues[:150]]
    async with lsp_agent(home) as (client, _):
        await connect(client, jira)
        open_document(client, URI, "".join(f"{key}\n" for key in keys))
        assert len(await links(client, URI)) == 150
        first = await hover_text(client, URI, 0, 1)
        sent = searches(jira)
        hovered = [await hover_text(client, URI, n, 1) for n in range(0, 150, 7)]
        assert len(searches(jira)) == len(sent)  # all of them from the cache
    assert first is not None and first.startswith(f"**[{keys[0]}](")
    assert all(h is not None and h.startswith("**[") for h in hovered)
    assert len(sent) == 3
    asked = [re.findall(r"[A-Z]+-\d+", r.body.decode()) for r in sent]
    assert max(len(a) for a in asked) <= 100
    assert set().union(*map(set, asked)) == set(keys)


async def test_a_server_refusing_a_missing_key_is_asked_again_without_it(
    home: Path, jira: JiraSimulator
) -> None:
    jira.config.honour_validate_query = False  # it fails the search on ISB-9999 anyway
    async with lsp_agent(home) as (client, _):
        await connect(client, jira)
        open_document(client, URI, "ISB-1 ISB-9999 ISB-2\n")
        assert len(await links(client, URI)) == 3
        found = await hover_text(client, URI, 0, 1)
        missing = await hover_text(client, URI, 0, 8)
    assert found is not None and found.startswith("**[ISB-1](")
    assert missing is not None and "no such issue" in missing
    sent = searches(jira)
    assert [r.status for r in sent] == [400, 200]
    assert "ISB-9999" not in sent[1].body.decode()
