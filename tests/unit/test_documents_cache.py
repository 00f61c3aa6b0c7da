"""The hover cache: issues and "not found" kept a while, lookups in flight shared,
failures never kept."""

import asyncio

from agent.documents.cache import Found, IssueCache


async def test_a_lookup_fills_the_cache_with_issues_and_not_found() -> None:
    cache = IssueCache()
    lookup: asyncio.Future[dict[str, Found]] = asyncio.get_running_loop().create_future()
    keys = [("jira", "ISB-1"), ("jira", "ISB-9")]
    cache.start(keys, lookup)
    assert cache.pending(("jira", "ISB-1")) is lookup
    assert cache.get(("jira", "ISB-1")) == (False, None)
    lookup.set_result({"ISB-1": {"key": "ISB-1"}, "ISB-9": None})
    await asyncio.sleep(0)  # the done callback
    assert cache.pending(("jira", "ISB-1")) is None
    assert cache.get(("jira", "ISB-1")) == (True, {"key": "ISB-1"})
    assert cache.get(("jira", "ISB-9")) == (True, None)  # "not found" is kept too


async def test_a_failed_lookup_is_not_kept() -> None:
    cache = IssueCache()
    lookup: asyncio.Future[dict[str, Found]] = asyncio.get_running_loop().create_future()
    cache.start([("jira", "ISB-1")], lookup)
    lookup.set_exception(OSError("down"))
    await asyncio.sleep(0)
    assert cache.pending(("jira", "ISB-1")) is None
    assert cache.get(("jira", "ISB-1")) == (False, None)


def test_entries_expire() -> None:
    cache = IssueCache(lifetime=-1.0)  # already past its lifetime when read
    cache.put(("jira", "ISB-1"), {"key": "ISB-1"})
    assert cache.get(("jira", "ISB-1")) == (False, None)
    fresh = IssueCache()
    fresh.put(("jira", "ISB-1"), None)
    assert fresh.get(("jira", "ISB-1")) == (True, None)
    fresh.clear()
    assert fresh.get(("jira", "ISB-1")) == (False, None)
