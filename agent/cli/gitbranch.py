"""`issuebridge start --git`: the issue's branch in the git repository here, made with
the `git` command.

Checked before the agent is asked to start work, so that a refusal changes nothing
in Jira either: a git repository, and no uncommitted changes to tracked files unless
`--force` (which carries them to the branch, as `git checkout` does; nothing is ever
discarded). Then the branch is created from HEAD, or checked out when it exists.
"""

import shutil
import subprocess
from pathlib import Path

import attrs


class GitError(Exception):
    """A refusal or a failure of git; the message says what to do."""


@attrs.frozen
class Repository:
    root: Path
    current_branch: str | None  # None on a detached HEAD
    changed: list[str]  # tracked paths with uncommitted changes


@attrs.frozen
class Switched:
    branch: str
    created: bool
    already_there: bool = False


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


def inspect(folder: Path) -> Repository:
    """The repository `folder` is in; GitError when git is missing or it is none."""
    if shutil.which("git") is None:
        raise GitError("--git needs the `git` command, which is not installed (or not on PATH)")
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise GitError(
            f"{folder} is not in a git repository; run `issuebridge start` inside one, "
            "or leave out --git"
        )
    root = Path(top.stdout.strip())
    head = _git(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    if status.returncode != 0:
        raise GitError(f"`git status` failed: {status.stderr.strip()}")
    changed = [line[3:] for line in status.stdout.splitlines() if line.strip()]
    return Repository(root, head.stdout.strip() if head.returncode == 0 else None, changed)


def refuse_dirty(repo: Repository, force: bool) -> None:
    if not repo.changed or force:
        return
    shown = ", ".join(repo.changed[:3]) + (" …" if len(repo.changed) > 3 else "")
    raise GitError(
        f"the working tree of {repo.root} has uncommitted changes ({shown}); commit or "
        "stash them first, or pass --force to take them along to the new branch"
    )


def valid_branch_name(repo: Repository, name: str) -> bool:
    return _git(repo.root, "check-ref-format", "--branch", name).returncode == 0


def branch_exists(repo: Repository, name: str) -> bool:
    return _git(repo.root, "rev-parse", "--verify", "--quiet", f"refs/heads/{name}").returncode == 0


def switch(repo: Repository, name: str) -> Switched:
    """Check out `name`, creating it from HEAD when it does not exist."""
    if not valid_branch_name(repo, name):
        raise GitError(
            f"{name!r} is not a valid git branch name; change the issues.branchTemplate setting"
        )
    if repo.current_branch == name:
        return Switched(name, created=False, already_there=True)
    exists = branch_exists(repo, name)
    args = ["checkout", name] if exists else ["checkout", "-b", name]
    done = _git(repo.root, *args)
    if done.returncode != 0:
        raise GitError(
            f"`git {' '.join(args)}` failed: {done.stderr.strip()}; resolve that in "
            f"{repo.root} and run `git {' '.join(args)}` yourself"
        )
    return Switched(name, created=not exists)
