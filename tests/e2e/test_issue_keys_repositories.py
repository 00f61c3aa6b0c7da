"""Repository-style keys (`owner/repo#12`, and `#12` in a checkout of the repository)
over real stdio against the GitHub Enterprise simulator: links without a request,
`#12` only where the document's git remote is a repository of the instance, and hovers
from one GraphQL lookup for the document's refs."""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from git_repo import git, needs_git, new_repository
from issue_keys_flows import hover_text, links, lsp_agent, open_document
from pytest_lsp import LanguageClient

from simulators.github import GitHubSimulator

pytestmark = needs_git

TEXT = "# see #1 and acme/gadgets#2, not &#3; nor https://x.example/acme/widgets#4\n"


@pytest.fixture
def enterprise() -> Iterator[GitHubSimulator]:
    with GitHubSimulator(enterprise=True) as sim:
        yield sim


async def connect_github(client: LanguageClient, github: GitHubSimulator) -> None:
    result = await client.protocol.send_request_async(
        "issuebridge/providers/configure",
        {
            "providerId": "github",
            "authMethod": "token",
            "fields": {"baseUrl": github.api_url, "token": github.user("alice").token},
        },
    )
    assert result.instance.state == "connected"


def a_file(folder: Path, name: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEXT)
    return path.as_uri()


async def test_refs_link_in_a_checkout_and_outside_it(
    home: Path, tmp_path: Path, enterprise: GitHubSimulator
) -> None:
    checkout = new_repository(tmp_path / "widgets")
    git(checkout, "remote", "add", "origin", f"{enterprise.base_url}/acme/widgets.git")
    inside = a_file(checkout, "src/app.py")
    outside = a_file(tmp_path / "elsewhere", "notes.md")
    web = enterprise.base_url
    async with lsp_agent(home) as (client, _):
        open_document(client, inside, TEXT)
        open_document(client, outside, TEXT)
        await connect_github(client, enterprise)
        before = len(enterprise.request_log)
        assert await links(client, inside) == [
            (0, 6, 8, f"{web}/acme/widgets/issues/1"),
            (0, 13, 27, f"{web}/acme/gadgets/issues/2"),
        ]
        # Outside the checkout `#1` names no repository; `owner/repo#2` still does.
        assert await links(client, outside) == [(0, 13, 27, f"{web}/acme/gadgets/issues/2")]
        assert enterprise.request_log[before:] == []  # links ask the tracker nothing


async def test_hovers_on_refs_come_from_one_graphql_lookup(
    home: Path, tmp_path: Path, enterprise: GitHubSimulator
) -> None:
    checkout = new_repository(tmp_path / "widgets")
    # The scp-like form of an ssh remote: the host without the web port.
    host = urlsplit(enterprise.base_url).hostname
    git(checkout, "remote", "add", "origin", f"git@{host}:acme/widgets.git")
    uri = a_file(checkout, "src/app.py")
    first = enterprise.data.find("acme/widgets", 1)
    second = enterprise.data.find("acme/gadgets", 2)
    assert first is not None and second is not None
    async with lsp_agent(home) as (client, _):
        open_document(client, uri, TEXT)
        await connect_github(client, enterprise)
        before = len(enterprise.request_log)
        shown = await hover_text(client, uri, 0, 7)
        assert shown is not None
        assert "acme/widgets#1" in shown.splitlines()[0]
        assert first.title in shown
        other = await hover_text(client, uri, 0, 20)
        assert other is not None
        if second.pull_request:
            assert "no such issue" in other  # a pull request is not an issue
        else:
            assert second.title in other
        sent = [(r.method, r.path) for r in enterprise.request_log[before:]]
        assert sent.count(("POST", "/api/graphql")) == 1, sent
        assert await hover_text(client, uri, 0, 40) is None  # `&#3;` is no ref
