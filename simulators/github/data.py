"""The simulator's seeded, deterministic data: users with their tokens, repositories,
issues and pull requests (GitHub lists both through its issues endpoints), comments.

"alice" has more open issues assigned than three pages of ten, some closed ones and some
pull requests assigned as well; "bob" has a few; "carol" only reports. Timestamps are
fixed, one hour apart, so the order of "newest update first" is known in advance.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)


def github_time(moment: datetime) -> str:
    """GitHub's timestamps: ISO 8601 in UTC, whole seconds, `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class User:
    id: int
    login: str
    name: str
    token: str

    def simple(self, base_url: str, web_url: str) -> dict[str, object]:
        """GitHub's "simple user" object, as issues and comments embed it."""
        return {
            "login": self.login,
            "id": self.id,
            "node_id": f"U_{self.id}",
            "avatar_url": f"{web_url}/avatars/{self.login}",
            "url": f"{base_url}/users/{self.login}",
            "html_url": f"{web_url}/{self.login}",
            "type": "User",
            "site_admin": False,
        }


@dataclass
class Comment:
    id: int
    author: str
    body: str
    created: datetime


@dataclass
class Issue:
    id: int
    repo: str  # owner/name
    number: int
    title: str
    author: str
    created: datetime
    updated: datetime
    body: str | None = None
    state: str = "open"
    state_reason: str | None = None
    assignees: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    pull_request: bool = False
    comments: list[Comment] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.repo}#{self.number}"


REPOSITORIES = ("acme/widgets", "acme/gadgets", "alice/dotfiles")
LABELS = ("bug", "enhancement", "documentation", "good first issue")


def token_for(login: str, seed: int) -> str:
    """A classic personal access token's shape: `ghp_` and 36 characters."""
    digest = hashlib.sha256(f"{seed}:{login}".encode()).hexdigest()
    return "ghp_" + digest[:36]


class GitHubData:
    """Everything the simulator holds, behind one lock (handlers run in threads)."""

    def __init__(self, seed: int = 1, alice_open: int = 45) -> None:
        self.lock = threading.RLock()
        self.seed = seed
        self.users: dict[str, User] = {}
        self.issues: list[Issue] = []
        self._next_id = 1000
        self._next_comment = 5000
        self._numbers: dict[str, int] = {}
        self.clock = EPOCH
        for login, name in (("alice", "Alice Liddell"), ("bob", "Bob Builder"), ("carol", "")):
            self.add_user(login, name)
        self._seed(alice_open)

    # --- building -----------------------------------------------------------------

    def add_user(self, login: str, name: str = "", token: str | None = None) -> User:
        with self.lock:
            user = User(
                id=len(self.users) + 1,
                login=login,
                name=name,
                token=token or token_for(login, self.seed),
            )
            self.users[login] = user
            return user

    def _tick(self) -> datetime:
        self.clock += timedelta(hours=1)
        return self.clock

    def add_issue(
        self,
        repo: str,
        title: str,
        author: str = "carol",
        assignees: list[str] | None = None,
        state: str = "open",
        pull_request: bool = False,
        labels: list[str] | None = None,
        body: str | None = None,
    ) -> Issue:
        with self.lock:
            number = self._numbers.get(repo, 0) + 1
            self._numbers[repo] = number
            self._next_id += 1
            moment = self._tick()
            issue = Issue(
                id=self._next_id,
                repo=repo,
                number=number,
                title=title,
                author=author,
                created=moment,
                updated=moment,
                body=body,
                state=state,
                state_reason="completed" if state == "closed" else None,
                assignees=list(assignees or []),
                labels=list(labels or []),
                pull_request=pull_request,
            )
            self.issues.append(issue)
            return issue

    def _seed(self, alice_open: int) -> None:
        # Interleaved so that pages mix repositories, pull requests and other users.
        for n in range(alice_open):
            repo = REPOSITORIES[n % len(REPOSITORIES)]
            labels = [LABELS[n % len(LABELS)]] if n % 2 == 0 else []
            body = f"Steps to reproduce problem {n + 1}.\n\nExpected: it works." if n % 3 else None
            self.add_issue(
                repo, f"Widget problem {n + 1}", "carol", ["alice"], labels=labels, body=body
            )
            if n % 9 == 4:
                self.add_issue(
                    repo, f"Fix widget problem {n + 1}", "alice", ["alice"], pull_request=True
                )
            if n % 7 == 3:
                self.add_issue(repo, f"Old problem {n + 1}", "carol", ["alice"], state="closed")
            if n % 6 == 1:
                self.add_issue(repo, f"Bob's task {n + 1}", "alice", ["bob"])
            if n % 10 == 5:
                self.add_issue(repo, f"Unassigned idea {n + 1}")
        # A pair assigned to both, and a comment thread on alice's newest issue.
        self.add_issue("acme/widgets", "Pairing on the release", "bob", ["bob", "alice"])
        first = self.issues[0]
        self.add_comment(first, "bob", "I can reproduce this on 2.1.", touch=False)
        self.add_comment(first, "alice", "Looking into it.", touch=False)

    # --- reading and changing -----------------------------------------------------

    def revoke(self, login: str) -> bool:
        """The user revoked their token: GitHub answers 401 Bad credentials to it now."""
        with self.lock:
            user = self.users.get(login)
            if user is None:
                return False
            user.token = token_for(f"{login}:revoked:{user.token}", self.seed)
            return True

    def user_by_token(self, token: str) -> User | None:
        with self.lock:
            return next((u for u in self.users.values() if u.token == token), None)

    def find(self, repo: str, number: int) -> Issue | None:
        with self.lock:
            return next(
                (i for i in self.issues if i.repo.lower() == repo.lower() and i.number == number),
                None,
            )

    def repo_exists(self, repo: str) -> bool:
        with self.lock:
            return any(i.repo.lower() == repo.lower() for i in self.issues)

    def touch(self, issue: Issue) -> None:
        with self.lock:
            issue.updated = self._tick()

    def add_comment(self, issue: Issue, author: str, body: str, touch: bool = True) -> Comment:
        with self.lock:
            self._next_comment += 1
            moment = self._tick()
            comment = Comment(self._next_comment, author, body, moment)
            issue.comments.append(comment)
            if touch:
                issue.updated = moment
            return comment

    def open_assigned(self, login: str) -> list[Issue]:
        """The default fetch's answer without pull requests, newest update first."""
        with self.lock:
            mine = [
                i
                for i in self.issues
                if login in i.assignees and i.state == "open" and not i.pull_request
            ]
        return sorted(mine, key=lambda i: (i.updated, i.id), reverse=True)
