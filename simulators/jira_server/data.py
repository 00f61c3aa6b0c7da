"""The simulated Jira's content: users, projects, workflow constants and issues.

Seeding uses ``random.Random(seed)`` and a fixed clock so that two simulators with the
same seed hold byte-identical data, which keeps test expectations stable.
"""

from __future__ import annotations

import base64
import functools
import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from .changes import Tracked

JIRA_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.000%z"


@functools.lru_cache(maxsize=8192)
def jira_time(moment: datetime) -> str:
    """Jira's wire format: ``2024-03-05T14:22:01.000+0000`` (no colon in the offset).

    Cached: strftime was most of a search's cost, and a slow simulator would make the
    client benchmarks measure the simulator instead of the client.
    """
    return moment.astimezone(UTC).strftime(JIRA_TIME_FORMAT)


@dataclass(frozen=True)
class StatusCategory:
    id: int
    key: str
    name: str
    color_name: str


@dataclass(frozen=True)
class Status:
    id: str
    name: str
    category: str
    description: str = ""


@dataclass(frozen=True)
class NamedItem:
    """Issue types, priorities and resolutions share this shape."""

    id: str
    name: str
    description: str = ""
    # Priorities: position in the scheme, 1 = Highest; used for ORDER BY priority.
    sequence: int = 0


STATUS_CATEGORIES: dict[str, StatusCategory] = {
    "new": StatusCategory(2, "new", "To Do", "blue-gray"),
    "indeterminate": StatusCategory(4, "indeterminate", "In Progress", "yellow"),
    "done": StatusCategory(3, "done", "Done", "green"),
}

STATUSES: list[Status] = [
    Status("1", "Open", "new", "The issue is open and ready for the assignee to start work on it."),
    Status("10000", "To Do", "new"),
    Status("3", "In Progress", "indeterminate", "This issue is being actively worked on."),
    Status("10001", "In Review", "indeterminate"),
    Status("10002", "Done", "done"),
    Status("6", "Closed", "done", "The issue is considered finished."),
]

ISSUE_TYPES: list[NamedItem] = [
    NamedItem("1", "Bug", "A problem which impairs or prevents the functions of the product."),
    NamedItem("3", "Task", "A task that needs to be done."),
    NamedItem("10001", "Story", "A user story."),
    NamedItem("4", "Improvement", "An improvement or enhancement to an existing feature."),
]

PRIORITIES: list[NamedItem] = [
    NamedItem("1", "Highest", sequence=1),
    NamedItem("2", "High", sequence=2),
    NamedItem("3", "Medium", sequence=3),
    NamedItem("4", "Low", sequence=4),
    NamedItem("5", "Lowest", sequence=5),
]

RESOLUTIONS: list[NamedItem] = [
    NamedItem("1", "Fixed", "A fix for this issue is checked into the tree and tested."),
    NamedItem("2", "Won't Fix", "The problem described is an issue which will never be fixed."),
    NamedItem("3", "Duplicate", "The problem is a duplicate of an existing issue."),
    NamedItem("10000", "Done", "Work has been completed on this issue."),
]


@dataclass
class User(Tracked):
    name: str
    key: str
    display_name: str
    email: str
    password: str
    pat: str
    active: bool = True
    time_zone: str = "Europe/Berlin"
    admin: bool = False


@dataclass
class PersonalAccessToken:
    id: int
    name: str
    user_name: str
    token: str
    created: datetime
    expiring: datetime | None
    revoked: bool = False


@dataclass
class Project(Tracked):
    id: str
    key: str
    name: str
    lead: str
    status_ids: list[str]
    description: str = ""
    # Its issue type scheme (type ids, in order) where it is not the default one.
    issue_type_ids: list[str] | None = None


@dataclass
class Comment(Tracked):
    id: str
    author: str
    body: str
    created: datetime
    updated: datetime


@dataclass
class Issue(Tracked):
    id: int
    key: str
    project_key: str
    summary: str
    issuetype_id: str
    status_id: str
    created: datetime
    updated: datetime
    description: str | None = None
    resolution_id: str | None = None
    resolutiondate: datetime | None = None
    priority_id: str | None = "3"
    assignee: str | None = None
    reporter: str | None = None
    labels: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    # Values of fields the model above has no attribute for (custom fields, due date,
    # environment), by field id, as the issue's JSON shows them.
    extra_fields: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def number(self) -> int:
        # Sorting by key asks for this thousands of times per search; keys never change.
        return int(self.key.rsplit("-", 1)[1])


def status_by_id(status_id: str) -> Status:
    return next(s for s in STATUSES if s.id == status_id)


def item_by_id(items: list[NamedItem], item_id: str) -> NamedItem:
    return next(i for i in items if i.id == item_id)


# The clock the seed data is written against; fixed so seeds are reproducible.
SEED_NOW = datetime(2024, 7, 1, 9, 0, 0, tzinfo=UTC)

_SEED_USERS = [
    # name, display name, key. admin keeps a pre-8.0 style key equal to its name;
    # users created on 8.x+ get JIRAUSER keys, so clients must not confuse key and name.
    ("admin", "Jira Administrator", "admin"),
    ("alice", "Alice Anderson", "JIRAUSER10100"),
    ("bob", "Bob Brown", "JIRAUSER10101"),
    ("carol", "Carol Chen", "JIRAUSER10102"),
    ("dave", "Dave Duarte", "JIRAUSER10103"),
    # Non-ASCII display name: byte lengths differ from character lengths in framing.
    ("zoe", "Zoë Ünal", "JIRAUSER10104"),
]

_SEED_PROJECTS = [
    ("10000", "ISB", "IssueBridge", "alice", ["10000", "3", "10001", "10002"]),
    ("10001", "WEB", "Web Platform", "bob", ["10000", "3", "10002"]),
    ("10002", "OPS", "Operations", "carol", ["1", "3", "6"]),
    ("10003", "DOC", "Documentation Übersetzung", "zoe", ["10000", "3", "10001", "10002"]),
]

_VERBS = ["Fix", "Investigate", "Add", "Remove", "Refactor", "Document", "Improve", "Speed up"]
_OBJECTS = [
    "login redirect loop",
    "search pagination",
    "OAuth token refresh",
    "CSV export",
    "dark mode colours",
    "webhook retries",
    "naïve café menu encoding",
    "Übersetzung der Hilfe",
    "日本語 issue titles",
    "release checklist",
    "disk usage alert",
    "build cache",
    "“smart quotes” in summaries",
    "emoji 🚀 in comments",
]
_CONTEXTS = [
    "",
    " on Windows",
    " for admins",
    " in the REST API",
    " after upgrade",
    " (regression)",
]
_LABELS = ["backend", "frontend", "ux", "tech-debt", "security", "customer", "performance", "docs"]


class Store(Tracked):
    """All mutable state behind one lock; request threads share it.

    It and the issues, comments, users and projects in it count their own changes
    (`changes.Tracked`), which is what keeps the search cache honest.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users: list[User] = []
        self.pats: list[PersonalAccessToken] = []
        self.projects: list[Project] = []
        self.issues: list[Issue] = []
        self._next_issue_id = 10000
        self._next_comment_id = 10000
        self._next_pat_id = 1
        self._next_user_id = 10200
        self._rng = random.Random(0)

    # -- users and tokens -------------------------------------------------

    def user(self, name: str | None) -> User | None:
        if name is None:
            return None
        lowered = name.lower()
        with self.lock:
            return next((u for u in self.users if u.name.lower() == lowered), None)

    def find_user(self, value: str) -> User | None:
        """Resolve a user the way JQL and assign do: name, key, email or display name."""
        lowered = value.lower()
        with self.lock:
            for attr in ("name", "key", "email", "display_name"):
                for user in self.users:
                    if str(getattr(user, attr)).lower() == lowered:
                        return user
        return None

    def add_user(
        self,
        name: str,
        display_name: str | None = None,
        email: str | None = None,
        password: str | None = None,
        key: str | None = None,
        admin: bool = False,
    ) -> User:
        with self.lock:
            if self.user(name) is not None:
                raise ValueError(f"user {name!r} exists")
            if key is None:
                key = f"JIRAUSER{self._next_user_id}"
                self._next_user_id += 1
            user = User(
                name=name,
                key=key,
                display_name=display_name or name,
                email=email or f"{name}@example.com",
                password=password if password is not None else name,
                pat="",
                admin=admin,
            )
            self.users.append(user)
            user.pat = self.create_pat(name, "seeded")
            return user

    def _token_text(self, pat_id: int) -> str:
        # Real Jira PATs are base64 of "<12-digit id>:<random>", 44 characters long.
        secret = bytes(self._rng.getrandbits(8) for _ in range(20))
        return base64.b64encode(f"{pat_id:012d}:".encode() + secret).decode("ascii")

    def create_pat(self, user_name: str, name: str, days: int | None = None) -> str:
        with self.lock:
            user = self.user(user_name)
            if user is None:
                raise KeyError(user_name)
            pat_id = self._next_pat_id
            self._next_pat_id += 1
            token = self._token_text(pat_id)
            now = datetime.now(UTC)
            expiring = now + timedelta(days=days) if days else None
            self.pats.append(PersonalAccessToken(pat_id, name, user.name, token, now, expiring))
            return token

    def pat(self, token: str) -> PersonalAccessToken | None:
        with self.lock:
            return next((p for p in self.pats if p.token == token), None)

    def revoke_pat(self, token: str) -> bool:
        with self.lock:
            record = self.pat(token)
            if record is None:
                return False
            record.revoked = True
            return True

    # -- projects ---------------------------------------------------------

    def project(self, value: str) -> Project | None:
        lowered = value.lower()
        with self.lock:
            for project in self.projects:
                if lowered in (project.key.lower(), project.id, project.name.lower()):
                    return project
        return None

    def add_project(
        self, key: str, name: str, lead: str = "alice", issue_types: list[str] | None = None
    ) -> Project:
        """A project with the default workflow; `issue_types` (names) is its issue type
        scheme, every type when None."""
        with self.lock:
            if self.project(key) is not None:
                raise ValueError(f"project {key!r} exists")
            type_ids = [_find_named(ISSUE_TYPES, t).id for t in issue_types or []] or None
            pid = str(1 + max((int(p.id) for p in self.projects), default=9999))
            project = Project(pid, key, name, lead, list(_SEED_PROJECTS[0][4]), "", type_ids)
            self.projects.append(project)
            return project

    # -- issues -----------------------------------------------------------

    def issue(self, id_or_key: str) -> Issue | None:
        with self.lock:
            for issue in self.issues:
                if id_or_key.upper() == issue.key or id_or_key == str(issue.id):
                    return issue
        return None

    def add_issue(
        self,
        project_key: str,
        summary: str,
        *,
        issuetype: str = "Task",
        status: str | None = None,
        assignee: str | None = None,
        reporter: str | None = None,
        priority: str | None = "Medium",
        resolution: str | None = None,
        labels: list[str] | None = None,
        description: str | None = None,
        created: datetime | None = None,
        updated: datetime | None = None,
        extra_fields: dict[str, Any] | None = None,
    ) -> Issue:
        """Add an issue; names are resolved like Jira's UI would (case-insensitive)."""
        with self.lock:
            project = self.project(project_key)
            if project is None:
                raise KeyError(f"no project {project_key!r}")
            status_obj = _find_named_status(status or status_by_id(project.status_ids[0]).name)
            itype = _find_named(ISSUE_TYPES, issuetype)
            prio = _find_named(PRIORITIES, priority) if priority else None
            if assignee is not None and self.user(assignee) is None:
                raise KeyError(f"no user {assignee!r}")
            res_id: str | None = None
            if resolution is not None:
                res_id = _find_named(RESOLUTIONS, resolution).id
            elif status_obj.category == "done":
                res_id = "10000"
            now = datetime.now(UTC).replace(microsecond=0)
            created_at = created or now
            updated_at = updated or created_at
            number = 1 + max(
                (i.number for i in self.issues if i.project_key == project.key), default=0
            )
            issue = Issue(
                id=self._next_issue_id,
                key=f"{project.key}-{number}",
                project_key=project.key,
                summary=summary,
                issuetype_id=itype.id,
                status_id=status_obj.id,
                created=created_at,
                updated=updated_at,
                description=description,
                resolution_id=res_id,
                resolutiondate=updated_at if res_id else None,
                priority_id=prio.id if prio else None,
                assignee=_name_or_none(self.user(assignee)),
                reporter=_name_or_none(self.user(reporter)),
                labels=list(labels or []),
                extra_fields=dict(extra_fields or {}),
            )
            self._next_issue_id += 1
            self.issues.append(issue)
            return issue

    def add_comment(self, issue: Issue, author: str, body: str) -> Comment:
        with self.lock:
            now = datetime.now(UTC).replace(microsecond=0)
            comment = Comment(str(self._next_comment_id), author, body, now, now)
            self._next_comment_id += 1
            issue.comments.append(comment)
            issue.updated = now
            return comment

    def clear_issues(self) -> None:
        with self.lock:
            self.issues.clear()

    # -- seeding ----------------------------------------------------------

    def seed(self, seed: int, issue_count: int) -> None:
        rng = random.Random(seed)
        self._rng = random.Random(seed + 1)
        with self.lock:
            for name, display, key in _SEED_USERS:
                self.add_user(name, display, f"{name}@example.com", name, key, name == "admin")
            for pid, key, pname, lead, status_ids in _SEED_PROJECTS:
                self.projects.append(Project(pid, key, pname, lead, status_ids))
            for index in range(issue_count):
                self._seed_issue(rng, index)

    def _seed_issue(self, rng: random.Random, index: int) -> None:
        project = (
            self.projects[index % len(self.projects)] if index < 8 else rng.choice(self.projects)
        )
        category = rng.choices(["new", "indeterminate", "done"], [40, 35, 25])[0]
        status_id = rng.choice(
            [s for s in project.status_ids if status_by_id(s).category == category]
        )
        people = ["bob", "carol", "dave", "zoe", "admin"]
        if category == "done":
            assignee: str | None = rng.choice(["alice", *people, None])
        else:
            # alice carries most open work, so a ">130 unresolved" page-cap test works.
            roll = rng.random()
            assignee = "alice" if roll < 0.7 else (None if roll < 0.78 else rng.choice(people))
        created = SEED_NOW - timedelta(seconds=rng.randint(2 * 86400, 200 * 86400))
        headroom = int((SEED_NOW - created).total_seconds())
        updated = created + timedelta(seconds=rng.randint(0, min(60 * 86400, headroom)))
        resolution_id = None
        if category == "done":
            resolution_id = rng.choice(RESOLUTIONS).id
        summary = f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)}{rng.choice(_CONTEXTS)}"
        description = None if rng.random() < 0.3 else f"Steps to reproduce for: {summary}."
        number = 1 + sum(1 for i in self.issues if i.project_key == project.key)
        issue = Issue(
            id=self._next_issue_id,
            key=f"{project.key}-{number}",
            project_key=project.key,
            summary=summary,
            issuetype_id=rng.choice(ISSUE_TYPES).id,
            status_id=status_id,
            created=created,
            updated=updated,
            description=description,
            resolution_id=resolution_id,
            resolutiondate=updated if resolution_id else None,
            priority_id=rng.choice(PRIORITIES).id,
            assignee=assignee,
            reporter=rng.choice(["alice", *people]),
            labels=rng.sample(_LABELS, rng.randint(0, 2)),
        )
        self._next_issue_id += 1
        self.issues.append(issue)


def _name_or_none(user: User | None) -> str | None:
    return user.name if user else None


def _find_named(items: list[NamedItem], value: str) -> NamedItem:
    lowered = value.lower()
    for item in items:
        if lowered in (item.id, item.name.lower()):
            return item
    raise KeyError(value)


def _find_named_status(value: str) -> Status:
    lowered = value.lower()
    for status in STATUSES:
        if lowered in (status.id, status.name.lower()):
            return status
    raise KeyError(value)
