"""A document's git checkout and its remotes, read from the checkout's config file."""

import os
import time
from pathlib import Path

from agent.documents.index import scan
from agent.documents.repositories import Checkouts, find_config, parse_remotes
from agent.documents.resolver import Connected, Resolver, _Snapshot
from agent.providers.base import (
    Credentials,
    InstanceConfig,
    ParsedConfiguration,
    ServerCheck,
    TrackerProvider,
    TrackerSession,
)
from agent.settings import Settings
from protocol.types import AuthMethod

CONFIG = """[core]
\trepositoryformatversion = 0
[remote "upstream"]
\turl = https://github.com/octo-org/widgets.git
\tfetch = +refs/heads/*:refs/remotes/upstream/*
[remote "origin"]
\turl = git@gitlab.example.com:group/sub/project.git
[branch "main"]
\tremote = origin
\turl = not-a-remote
"""


def checkout(root: Path, config: str = CONFIG) -> Path:
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text(config)
    (root / "src" / "deep").mkdir(parents=True)
    return root


def test_remotes_come_from_the_config_origin_first() -> None:
    assert parse_remotes(CONFIG) == [
        "git@gitlab.example.com:group/sub/project.git",
        "https://github.com/octo-org/widgets.git",
    ]


def test_a_document_deep_in_a_checkout_finds_its_remotes(tmp_path: Path) -> None:
    root = checkout(tmp_path / "repo")
    document = root / "src" / "deep" / "main.py"
    remotes = Checkouts().remotes(document.as_uri())
    assert remotes[0] == "git@gitlab.example.com:group/sub/project.git"


def test_a_gitdir_file_points_to_the_config(tmp_path: Path) -> None:
    # A worktree: `.git` is a file naming its git dir, whose `commondir` has the config.
    main = checkout(tmp_path / "main")
    worktree_dir = main / ".git" / "worktrees" / "wt"
    worktree_dir.mkdir(parents=True)
    (worktree_dir / "commondir").write_text("../..\n")
    tree = tmp_path / "wt"
    tree.mkdir()
    (tree / ".git").write_text(f"gitdir: {worktree_dir}\n")
    found = find_config(tree)
    assert found is not None and found.resolve() == (main / ".git" / "config").resolve()
    # A submodule's relative gitdir.
    module = tmp_path / "module"
    module.mkdir()
    (module / ".git").write_text("gitdir: ../main/.git\n")
    found = find_config(module)
    assert found is not None and found.resolve() == (main / ".git" / "config").resolve()


def test_other_schemes_have_no_remotes() -> None:
    assert Checkouts().remotes("untitled:Untitled-1") == []


def test_the_remotes_are_read_again_when_the_config_changes(tmp_path: Path) -> None:
    root = checkout(tmp_path / "repo")
    checkouts = Checkouts()
    uri = (root / "README.md").as_uri()
    assert len(checkouts.remotes(uri)) == 2
    config = root / ".git" / "config"
    config.write_text('[remote "origin"]\n\turl = https://github.com/a/b\n')
    stat = config.stat()
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert checkouts.remotes(uri) == ["https://github.com/a/b"]


class _Repositories(TrackerProvider):
    """A repository-style tracker at example.com: `https://example.com/<owner>/<repo>`."""

    id = "stub"
    name = "Stub"
    key_style = "repository"

    def auth_methods(self) -> list[AuthMethod]:
        return []

    def parse_configuration(self, auth_method: str, fields: dict[str, str]) -> ParsedConfiguration:
        raise NotImplementedError

    async def check(
        self, parsed: ParsedConfiguration, credentials: Credentials, settings: Settings
    ) -> ServerCheck:
        raise NotImplementedError

    def open_session(
        self, instance: InstanceConfig, credentials: Credentials, settings: Settings
    ) -> TrackerSession:
        raise NotImplementedError

    def repository_of_remote(self, instance: InstanceConfig, remote_url: str) -> str | None:
        prefix = f"{instance.base_url}/"
        if not remote_url.startswith(prefix):
            return None
        return remote_url[len(prefix) :].removesuffix(".git")

    def issue_url(self, instance: InstanceConfig, key: str) -> str:
        repository, _, number = key.partition("#")
        return f"{instance.base_url}/{repository}/issues/{number}"


def _connected(base_url: str) -> Connected:
    return Connected(base_url, _Repositories(), InstanceConfig(base_url, "token"), base_url)


async def test_refs_resolve_through_the_checkout_remote(tmp_path: Path) -> None:
    config = '[remote "origin"]\n\turl = https://two.example/team/app.git\n'
    root = checkout(tmp_path / "repo", config)
    resolver = Resolver(None, None, lambda: True)  # type: ignore[arg-type]
    one, two = _connected("https://one.example"), _connected("https://two.example")
    resolver._snapshot = _Snapshot((one, two), time.monotonic(), 300.0)
    inside = (root / "src" / "main.py").as_uri()
    lines = [scan("fixes #4 and other/lib#5"), scan("#6")]
    candidates = [(n, c) for n, line in enumerate(lines) for c in line]

    found = await resolver.resolve(inside, candidates)
    assert [(t.instance.instance_id, t.key, t.url) for _, _, t in found] == [
        ("https://two.example", "team/app#4", "https://two.example/team/app/issues/4"),
        # `owner/repo#12` goes to the instance the checkout maps to.
        ("https://two.example", "other/lib#5", "https://two.example/other/lib/issues/5"),
        ("https://two.example", "team/app#6", "https://two.example/team/app/issues/6"),
    ]
    # Outside a checkout: `#4` is nothing, `owner/repo#5` goes to the first instance.
    outside = (tmp_path / "elsewhere.txt").as_uri()
    found = await resolver.resolve(outside, candidates)
    assert [(t.instance.instance_id, t.key) for _, _, t in found] == [
        ("https://one.example", "other/lib#5")
    ]
