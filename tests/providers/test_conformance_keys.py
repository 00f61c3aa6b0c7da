"""The conformance suite for issue keys in documents: what every provider with a
`key_style` answers alike (`issue_url`, `key_prefixes`, `lookup_issues`,
`suggest_issues`), against its simulator on 127.0.0.1.

These are the session's own methods (the documents layer calls them in process), so
the tests open a session the way the agent does: the harness's form through the
provider's `parse_configuration`, real HTTP to the simulator, nothing mocked. The
requests a lookup makes are counted in the simulator's request log.
"""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from providers.harness import ProviderHarness

from agent.errors import UnsupportedServer
from agent.providers.base import Credentials, InstanceConfig, TrackerProvider, TrackerSession
from agent.providers.registry import discover
from agent.settings import Settings
from protocol.types import HttpSettings


@attrs.frozen
class Keyed:
    provider: TrackerProvider
    instance: InstanceConfig
    session: TrackerSession


@pytest.fixture
async def keyed(harness: ProviderHarness, tmp_path: Path) -> AsyncIterator[Keyed]:
    provider = discover().get(harness.provider_id)
    if provider.key_style is None:
        pytest.skip(f"{harness.provider_id} shows no issue keys in documents (no key_style)")
    parsed = provider.parse_configuration(harness.auth_method, harness.fields(harness.user))
    instance = InstanceConfig(parsed.base_url, parsed.auth_method, parsed.settings)
    settings = Settings(storage_dir=tmp_path, http=HttpSettings(timeout_seconds=20))
    session = provider.open_session(instance, Credentials(dict(parsed.secrets)), settings)
    try:
        await session.lookup_issues([])  # no keys: no request, or a refusal
    except UnsupportedServer as exc:
        # A provider whose key methods have not landed on this branch yet (Jira Server's
        # come from another branch).
        await session.aclose()
        pytest.skip(f"{harness.provider_id}: {exc}")
    try:
        yield Keyed(provider, instance, session)
    finally:
        await session.aclose()


async def suggest(keyed: Keyed, project: str, text: str, limit: int) -> list[dict[str, Any]]:
    try:
        return await keyed.session.suggest_issues(project, text, limit)
    except UnsupportedServer as exc:  # lands on another branch than the lookup (Jira Server)
        pytest.skip(str(exc))


def in_project(key: str, project: str) -> bool:
    return key.startswith(f"{project}-") or key.startswith(f"{project}#")


def keys_of(issues: list[dict[str, Any]]) -> list[str]:
    return [issue["key"] for issue in issues]


def well_shaped(issue: dict[str, Any]) -> None:
    for name in ("id", "key", "title", "url", "updatedAt"):
        assert isinstance(issue.get(name), str) and issue[name], (name, issue)
    assert issue["status"]["category"] in ("todo", "inProgress", "done"), issue
    assert issue["project"]["key"], issue


async def test_a_lookup_finds_several_keys_in_few_requests_and_leaves_out_a_missing_one(
    harness: ProviderHarness, keyed: Keyed
) -> None:
    existing = harness.existing_keys()
    assert len(existing) >= 3, existing
    wanted = [*existing[:2], harness.missing_key(), *existing[2:], existing[0]]
    before = harness.api_requests()
    found = await keyed.session.lookup_issues(wanted)
    made = harness.api_requests() - before
    assert sorted(keys_of(found)) == sorted(existing), (keys_of(found), existing)
    for issue in found:
        well_shaped(issue)
    bound = harness.lookup_request_bound(wanted)
    assert 1 <= made <= bound, f"{made} requests for {len(wanted)} keys (documented: {bound})"


async def test_a_lookup_of_only_missing_keys_is_empty_not_an_error(
    harness: ProviderHarness, keyed: Keyed
) -> None:
    assert await keyed.session.lookup_issues([harness.missing_key()]) == []
    assert await keyed.session.lookup_issues([]) == []


async def test_issue_url_is_the_page_the_tracker_gives_without_a_request(
    harness: ProviderHarness, keyed: Keyed
) -> None:
    found = await keyed.session.lookup_issues(harness.existing_keys())
    assert found
    before = harness.api_requests()
    for issue in found:
        assert keyed.provider.issue_url(keyed.instance, issue["key"]) == issue["url"], issue
    assert harness.api_requests() == before


async def test_key_prefixes_are_the_project_keys_read_once(
    harness: ProviderHarness, keyed: Keyed
) -> None:
    expected = harness.project_keys()
    if keyed.provider.key_style != "project" or expected is None:
        pytest.skip("keys of this provider are repository-style: no prefixes")
    harness.set_page_size(1)  # several pages of projects
    assert await keyed.session.key_prefixes() == expected
    before = harness.api_requests()
    assert await keyed.session.key_prefixes() == expected
    assert harness.api_requests() == before, "key_prefixes is cached for the session"


async def test_suggestions_put_my_open_issues_of_the_project_first(
    harness: ProviderHarness, keyed: Keyed
) -> None:
    project = harness.suggest_project()
    mine = [k for k in harness.expected_open_keys(harness.user) if in_project(k, project)]
    assert mine, "the harness's project needs open issues of the user"
    limit = len(mine) + 2  # every harness's project has a few more issues
    suggested = await suggest(keyed, project, "", limit)
    keys = keys_of(suggested)
    assert len(keys) == len(set(keys)), keys
    assert keys[: len(mine)] == mine, (keys, mine)
    assert len(keys) == limit, "recent issues of the project follow the user's"
    assert all(in_project(k, project) for k in keys), keys
    for issue in suggested:
        well_shaped(issue)
    few = await suggest(keyed, project, "", 2)
    assert keys_of(few) == mine[:2]


async def test_suggestions_for_a_text_come_from_the_trackers_search(
    harness: ProviderHarness, keyed: Keyed
) -> None:
    project, text = harness.suggest_project(), harness.suggest_text()
    suggested = await suggest(keyed, project, text, 50)
    keys = keys_of(suggested)
    assert keys, f"the text search for {text!r} found nothing in {project}"
    assert len(keys) == len(set(keys)), keys
    assert all(in_project(k, project) for k in keys), keys
    mine = [harness.mine_and_open(k) for k in keys]
    assert mine == sorted(mine, reverse=True), f"the user's open issues come first: {keys}"
    assert any(not m for m in mine), "other issues the search finds follow"
    # A query syntax's special characters are never sent as syntax.
    odd = await suggest(keyed, project, f'{text} ") OR #: {{', 50)
    assert all(in_project(k, project) for k in keys_of(odd))
