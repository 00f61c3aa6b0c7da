"""The simulator's seeded data: users with personal access tokens, projects in groups,
issues (with `iid`s per project, assignees, labels, notes). Deterministic: the same
seed gives the same data, so tests can work out what a list must answer."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)


def timestamp(moment: datetime) -> str:
    """GitLab's form: `2026-01-05T09:00:00.000Z`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class User:
    id: int
    username: str
    name: str
    token: str
    # The token's scopes: `api` reads and writes, `read_api` only reads, `read_user`
    # only reads the user itself.
    scopes: tuple[str, ...] = ("api",)

    def json(self, base_url: str) -> dict[str, object]:
        return {
            "id": self.id,
            "username": self.username,
            "name": self.name,
            "state": "active",
            "locked": False,
            "avatar_url": f"{base_url}/uploads/-/system/user/avatar/{self.id}/avatar.png",
            "web_url": f"{base_url}/{self.username}",
        }


@dataclass
class Project:
    id: int
    path_with_namespace: str
    name: str
    members: list[str] = field(default_factory=list)
    # A project whose issues feature is off answers 403 to its issue lists and issues.
    issues_enabled: bool = True

    @property
    def name_with_namespace(self) -> str:
        group = self.path_with_namespace.rpartition("/")[0]
        return f"{group.replace('/', ' / ')} / {self.name}"

    def json(self, base_url: str) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "name_with_namespace": self.name_with_namespace,
            "path": self.path_with_namespace.rpartition("/")[2],
            "path_with_namespace": self.path_with_namespace,
            "web_url": f"{base_url}/{self.path_with_namespace}",
            "issues_enabled": self.issues_enabled,
        }


@dataclass
class Note:
    id: int
    author: str
    body: str
    created_at: datetime
    system: bool = False


@dataclass
class Issue:
    id: int
    iid: int
    project: Project
    title: str
    author: str
    created_at: datetime
    updated_at: datetime
    state: str = "opened"  # or "closed"
    assignees: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    description: str | None = None
    closed_at: datetime | None = None
    notes: list[Note] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return f"{self.project.path_with_namespace}#{self.iid}"


PROJECTS = [
    ("acme/backend", "Backend"),
    ("acme/frontend", "Frontend"),
    ("acme/platform/infra", "Infra"),
    ("tools/cli", "CLI"),
]
USERS = [
    ("alice", "Alice Archer"),
    ("bob", "Bob Baker"),
    ("carol", "Carol Chen"),
]
WORDS = [
    "login",
    "redirect",
    "cache",
    "timeout",
    "webhook",
    "pipeline",
    "runner",
    "token",
    "export",
    "import",
    "search",
    "badge",
    "label",
    "milestone",
    "avatar",
    "mirror",
    "registry",
    "package",
    "wiki",
    "snippet",
]
LABELS = ["bug", "feature", "backend", "ux", "docs", "priority::high"]


class Store:
    """Everything the simulator holds; one lock for all changes (requests run in
    threads)."""

    def __init__(self, seed: int = 1, alice_open: int = 45) -> None:
        self.lock = threading.RLock()
        self.users = [
            User(i + 1, name, display, f"glpat-{name}-{seed:02d}Xk9fQ2mT7vR4sW8a")
            for i, (name, display) in enumerate(USERS)
        ]
        self.projects = [
            Project(100 + i, path, name, [u for u, _ in USERS])
            for i, (path, name) in enumerate(PROJECTS)
        ]
        self.issues: list[Issue] = []
        self._next_issue_id = 5000
        self._next_note_id = 90000
        self.clock = EPOCH
        self._seed(random.Random(seed), alice_open)

    # --- seeding ---------------------------------------------------------------------

    def _seed(self, rng: random.Random, alice_open: int) -> None:
        plan: list[tuple[list[str], str]] = []
        plan += [(["alice"], "opened")] * alice_open
        plan += [(["alice"], "closed")] * 8
        plan += [(["bob"], "opened")] * 12 + [(["bob"], "closed")] * 3
        plan += [(["alice", "bob"], "opened")] * 3
        plan += [([], "opened")] * 6
        rng.shuffle(plan)
        for n, (assignees, state) in enumerate(plan):
            project = self.projects[rng.randrange(len(self.projects))]
            created = EPOCH + timedelta(hours=n * 3)
            updated = created + timedelta(minutes=rng.randrange(1, 60 * 24 * 30))
            title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {n}"
            issue = self.add_issue(
                project,
                title,
                author=rng.choice(["alice", "bob", "carol"]),
                assignees=assignees,
                labels=rng.sample(LABELS, rng.randrange(0, 3)),
                description=f"Seeded issue {n}." if n % 4 else None,
                created_at=created,
                updated_at=updated,
            )
            if state == "closed":
                issue.state, issue.closed_at = "closed", updated
            for c in range(n % 3):
                issue.notes.append(
                    Note(self._note_id(), ["bob", "carol"][c % 2], f"Note {c} on {n}", updated)
                )

    def _note_id(self) -> int:
        self._next_note_id += 1
        return self._next_note_id

    def tick(self) -> datetime:
        """A moment later than every one so far (what a change stamps)."""
        latest = max([self.clock, *(i.updated_at for i in self.issues)])
        self.clock = latest + timedelta(seconds=1)
        return self.clock

    # --- lookups and changes -----------------------------------------------------------

    def user(self, username: str) -> User:
        return next(u for u in self.users if u.username == username)

    def user_by_token(self, token: str) -> User | None:
        return next((u for u in self.users if u.token == token), None)

    def add_user(
        self, username: str, name: str, token: str, scopes: tuple[str, ...] = ("api",)
    ) -> User:
        with self.lock:
            user = User(len(self.users) + 1, username, name, token, scopes)
            self.users.append(user)
            for project in self.projects:
                project.members.append(username)
            return user

    def project(self, ident: str) -> Project | None:
        """By numeric id or by its path with namespace (URL-decoded)."""
        for project in self.projects:
            if ident == str(project.id) or ident == project.path_with_namespace:
                return project
        return None

    def issue(self, project: Project, iid: int) -> Issue | None:
        return next((i for i in self.issues if i.project is project and i.iid == iid), None)

    def add_issue(
        self,
        project: Project,
        title: str,
        *,
        author: str = "carol",
        assignees: list[str] | None = None,
        labels: list[str] | None = None,
        description: str | None = None,
        created_at: datetime | None = None,
        updated_at: datetime | None = None,
    ) -> Issue:
        with self.lock:
            self._next_issue_id += 1
            iid = 1 + max((i.iid for i in self.issues if i.project is project), default=0)
            created = created_at or self.tick()
            issue = Issue(
                id=self._next_issue_id,
                iid=iid,
                project=project,
                title=title,
                author=author,
                created_at=created,
                updated_at=updated_at or created,
                assignees=list(assignees or []),
                labels=list(labels or []),
                description=description,
            )
            self.issues.append(issue)
            return issue

    def add_note(self, issue: Issue, author: str, body: str, system: bool = False) -> Note:
        with self.lock:
            note = Note(self._note_id(), author, body, self.tick(), system)
            issue.notes.append(note)
            issue.updated_at = note.created_at
            return note
