"""The on-disk last results: one per query, bounded per instance, never trusted blindly."""

import os
from pathlib import Path

import pytest

from agent.store import last_results
from agent.store.last_results import Kept, LastResults


def issue(n: int) -> dict[str, object]:
    return {"key": f"ISB-{n}", "title": f"Issue {n} ✓", "status": {"name": "Open"}}


def save(store: LastResults, query: str | None, n: int = 3, at: float | None = None) -> Path:
    kept = Kept([issue(i) for i in range(n)], n, "2024-03-05T14:22:01Z")
    store.save("jira-server-abc", query, "alice", kept)
    path = store.path("jira-server-abc", query)
    if at is not None:  # the file system's clock is coarse: say when it was fetched
        os.utime(path, (at, at))
    return path


def test_a_result_is_kept_per_query_and_read_back(tmp_path: Path) -> None:
    store = LastResults(tmp_path)
    save(store, None, 5)
    save(store, "project = WEB", 2)
    default = store.load("jira-server-abc", None, "alice")
    assert default == Kept([issue(i) for i in range(5)], 5, "2024-03-05T14:22:01Z")
    assert store.load("jira-server-abc", "  project = WEB ", "alice") is not None  # stripped
    assert store.load("jira-server-abc", "", "alice") == default  # empty: the default query
    assert store.load("jira-server-abc", "project = OPS", "alice") is None


def test_a_result_kept_for_another_user_or_instance_is_not_answered(tmp_path: Path) -> None:
    store = LastResults(tmp_path)
    save(store, None)
    assert store.load("jira-server-abc", None, "bob") is None
    assert not store.path("jira-server-abc", None).exists()  # unusable: removed
    save(store, None)
    other = store.path("jira-server-other", None)
    other.parent.mkdir(mode=0o700)
    other.write_bytes(store.path("jira-server-abc", None).read_bytes())  # copied over
    assert store.load("jira-server-other", None, "alice") is None


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b"[]", b'{"version": 2}', b"\xff\xfe", b'{"version": 1, "issues": "x"}'],
)
def test_an_unreadable_file_is_ignored_and_removed(tmp_path: Path, content: bytes) -> None:
    store = LastResults(tmp_path)
    path = save(store, None)
    path.write_bytes(content)
    assert store.load("jira-server-abc", None, "alice") is None
    assert not path.exists()


def test_at_most_max_queries_per_instance_the_least_recent_go_first(tmp_path: Path) -> None:
    store = LastResults(tmp_path)
    paths = [save(store, f"key = ISB-{n}", 1, at=1_000_000 + n) for n in range(25)]
    remaining = sorted(p for p in paths if p.exists())
    assert remaining == sorted(paths[-last_results.MAX_QUERIES :])
    assert store.load("jira-server-abc", "key = ISB-0", "alice") is None
    assert store.load("jira-server-abc", "key = ISB-24", "alice") is not None


def test_at_most_max_bytes_per_instance_but_always_the_newest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LastResults(tmp_path)
    first = save(store, "a", 50, at=1_000_000)
    monkeypatch.setattr(last_results, "MAX_BYTES", first.stat().st_size + 10)
    second = save(store, "b", 50, at=1_000_001)
    assert second.exists() and not first.exists()
    big = save(store, "c", 500, at=1_000_002)  # alone over the bound: still kept
    assert big.exists() and not second.exists()


def test_forget_removes_the_instance_only(tmp_path: Path) -> None:
    store = LastResults(tmp_path)
    save(store, None)
    store.save("jira-server-other", None, "alice", Kept([], 0, "2024-03-05T14:22:01Z"))
    store.forget("jira-server-abc")
    assert not store.instance_dir("jira-server-abc").exists()
    assert store.load("jira-server-other", None, "alice") == Kept([], 0, "2024-03-05T14:22:01Z")


def test_an_instance_id_that_is_no_safe_file_name_is_hashed(tmp_path: Path) -> None:
    store = LastResults(tmp_path)
    directory = store.instance_dir("../../etc")
    assert directory.parent == tmp_path / "last-results"
    assert ".." not in directory.name
