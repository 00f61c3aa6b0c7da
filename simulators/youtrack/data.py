"""The simulator's seeded, deterministic data: users with permanent tokens, projects,
the State bundle (with `isResolved`), issues with custom fields, and comments.

Entities are kept as YouTrack's full JSON (every attribute, `$type` included); the
REST layer projects them onto what a request's `fields=` asks for.
"""

from __future__ import annotations

import base64
import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

# 2026-01-05T09:00:00Z in milliseconds: YouTrack's timestamps are Unix epoch ms.
EPOCH_MS = 1_767_603_600_000
HOUR_MS = 3_600_000

# The default State bundle of a new YouTrack project, in workflow order.
STATES: list[tuple[str, bool]] = [
    ("Submitted", False),
    ("Open", False),
    ("In Progress", False),
    ("To be discussed", False),
    ("Reopened", False),
    ("Fixed", True),
    ("Verified", True),
    ("Won't fix", True),
    ("Duplicate", True),
]
UNRESOLVED = [name for name, resolved in STATES if not resolved]
RESOLVED = [name for name, resolved in STATES if resolved]
PRIORITIES = ["Show-stopper", "Critical", "Major", "Normal", "Minor"]
TYPES = ["Bug", "Feature", "Task", "Cosmetics"]


@dataclass
class User:
    login: str
    full_name: str
    email: str
    token: str
    ring_id: str
    entity_id: str
    banned: bool = False

    def json(self) -> dict[str, Any]:
        return {
            "$type": "User",
            "id": self.entity_id,
            "login": self.login,
            "fullName": self.full_name,
            "name": self.full_name,
            "email": self.email,
            "ringId": self.ring_id,
            "banned": self.banned,
            "guest": False,
        }


@dataclass
class Project:
    short_name: str
    name: str
    entity_id: str

    def json(self) -> dict[str, Any]:
        return {
            "$type": "Project",
            "id": self.entity_id,
            "shortName": self.short_name,
            "name": self.name,
        }


@dataclass
class Comment:
    entity_id: str
    author: str
    text: str
    created: int


@dataclass
class Issue:
    entity_id: str
    project: str
    number: int
    summary: str
    description: str
    state: str
    priority: str
    type: str
    assignee: str | None
    reporter: str
    created: int
    updated: int
    tags: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def id_readable(self) -> str:
        return f"{self.project}-{self.number}"

    @property
    def resolved(self) -> bool:
        return dict(STATES)[self.state]


def permanent_token(login: str, full_name: str, seed: str) -> str:
    """A token shaped like YouTrack's: `perm:` base64(login) `.` base64(name) `.` random."""

    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode().rstrip("=")

    secret = hashlib.sha256(f"{seed}:{login}".encode()).hexdigest()[:30]
    return f"perm:{b64(login)}.{b64(full_name)}.{secret}"


class Store:
    def __init__(self, seed: int = 1, issue_count: int = 80) -> None:
        rng = random.Random(seed)
        self.users: dict[str, User] = {}
        self.revoked: set[str] = set()
        for index, (login, name) in enumerate(
            [("alice", "Alice Able"), ("bob", "Bob Baker"), ("carol", "Carol Cole")]
        ):
            self.add_user(login, name, seed=str(seed), index=index)
        self.projects = {
            "DEMO": Project("DEMO", "Demo project", "0-0"),
            "CORE": Project("CORE", "Core platform", "0-1"),
        }
        self.issues: dict[str, Issue] = {}
        self._next_entity = 0
        self._next_comment = 0
        numbers = {"DEMO": 0, "CORE": 0}
        logins = list(self.users)
        for index in range(issue_count):
            project = "DEMO" if index % 3 else "CORE"
            numbers[project] += 1
            # alice has most of the open assigned issues; some are resolved, some unassigned.
            roll = rng.random()
            assignee = "alice" if roll < 0.6 else "bob" if roll < 0.85 else None
            state = rng.choice(RESOLVED) if rng.random() < 0.2 else rng.choice(UNRESOLVED)
            created = EPOCH_MS + index * HOUR_MS
            # Distinct update times: "newest update first" has one answer.
            updated = created + rng.randrange(1, 400) * HOUR_MS + index
            issue = self.add_issue(
                project,
                numbers[project],
                summary=f"{rng.choice(['Fix', 'Add', 'Improve', 'Remove'])} "
                f"{rng.choice(['login', 'search', 'export', 'import', 'cache', 'sync'])} "
                f"{rng.choice(['flow', 'page', 'timeout', 'settings', 'report'])} {index + 1}",
                description=f"Steps to reproduce issue {index + 1}.",
                state=state,
                priority=rng.choice(PRIORITIES),
                issue_type=rng.choice(TYPES),
                assignee=assignee,
                reporter=rng.choice(logins),
                created=created,
                updated=updated,
                tags=["backend"] if index % 5 == 0 else [],
            )
            if index % 4 == 0:
                self.add_comment(issue, "bob", f"Seen on build {100 + index}.", created + 1000)
                self.add_comment(issue, "alice", "Looking into it.", created + 2000)

    def add_user(
        self, login: str, full_name: str, seed: str = "1", index: int | None = None
    ) -> User:
        number = len(self.users) if index is None else index
        user = User(
            login=login,
            full_name=full_name,
            email=f"{login}@example.com",
            token=permanent_token(login, full_name, seed),
            ring_id=hashlib.md5(login.encode()).hexdigest()[:8],
            entity_id=f"1-{number + 1}",
        )
        self.users[login] = user
        return user

    def add_issue(
        self,
        project: str,
        number: int,
        *,
        summary: str,
        description: str,
        state: str,
        priority: str,
        issue_type: str,
        assignee: str | None,
        reporter: str,
        created: int,
        updated: int,
        tags: list[str] | None = None,
    ) -> Issue:
        self._next_entity += 1
        issue = Issue(
            entity_id=f"2-{self._next_entity}",
            project=project,
            number=number,
            summary=summary,
            description=description,
            state=state,
            priority=priority,
            type=issue_type,
            assignee=assignee,
            reporter=reporter,
            created=created,
            updated=updated,
            tags=list(tags or []),
        )
        self.issues[issue.id_readable] = issue
        return issue

    def add_comment(self, issue: Issue, author: str, text: str, created: int) -> Comment:
        self._next_comment += 1
        comment = Comment(f"4-{self._next_comment}", author, text, created)
        issue.comments.append(comment)
        return comment

    def revoke(self, login: str) -> None:
        """The user revoked the token: it is refused from now on."""
        self.revoked.add(self.users[login].token)

    def user_by_token(self, token: str) -> User | None:
        if token in self.revoked:
            return None
        return next((u for u in self.users.values() if u.token == token and not u.banned), None)

    def find(self, ident: str) -> Issue | None:
        """An issue by its readable id (`DEMO-12`, any case) or its entity id (`2-12`)."""
        found = self.issues.get(ident.upper())
        if found is not None:
            return found
        return next((i for i in self.issues.values() if i.entity_id == ident), None)

    def touch(self) -> int:
        """An update time after every other one."""
        return max((i.updated for i in self.issues.values()), default=EPOCH_MS) + 1000

    # --- full JSON of an issue (YouTrack's entity with every attribute) -------------

    def issue_json(self, issue: Issue) -> dict[str, Any]:
        user = self.user_json
        return {
            "$type": "Issue",
            "id": issue.entity_id,
            "idReadable": issue.id_readable,
            "numberInProject": issue.number,
            "summary": issue.summary,
            "description": issue.description,
            "created": issue.created,
            "updated": issue.updated,
            "resolved": issue.updated if issue.resolved else None,
            "project": self.projects[issue.project].json(),
            "reporter": user(issue.reporter),
            "tags": [{"$type": "Tag", "id": f"6-{n}", "name": n} for n in issue.tags],
            "customFields": [
                {
                    "$type": "StateIssueCustomField",
                    "id": "92-1",
                    "name": "State",
                    "value": state_json(issue.state),
                    "projectCustomField": {
                        "$type": "StateProjectCustomField",
                        "id": "93-1",
                        "field": {"$type": "CustomField", "id": "58-1", "name": "State"},
                        "bundle": {
                            "$type": "StateBundle",
                            "id": "67-1",
                            "values": [state_json(name) for name, _ in STATES],
                        },
                    },
                },
                {
                    "$type": "SingleEnumIssueCustomField",
                    "id": "92-2",
                    "name": "Priority",
                    "value": {"$type": "EnumBundleElement", "id": "69-1", "name": issue.priority},
                },
                {
                    "$type": "SingleEnumIssueCustomField",
                    "id": "92-3",
                    "name": "Type",
                    "value": {"$type": "EnumBundleElement", "id": "70-1", "name": issue.type},
                },
                {
                    "$type": "SingleUserIssueCustomField",
                    "id": "92-4",
                    "name": "Assignee",
                    "value": user(issue.assignee) if issue.assignee else None,
                },
            ],
            "comments": [self.comment_json(c) for c in issue.comments],
        }

    def comment_json(self, comment: Comment) -> dict[str, Any]:
        return {
            "$type": "IssueComment",
            "id": comment.entity_id,
            "text": comment.text,
            "created": comment.created,
            "updated": None,
            "author": self.user_json(comment.author),
            "deleted": False,
        }

    def user_json(self, login: str | None) -> dict[str, Any] | None:
        user = self.users.get(login) if login else None
        return user.json() if user else None


def state_json(name: str) -> dict[str, Any]:
    index = [n for n, _ in STATES].index(name)
    return {
        "$type": "StateBundleElement",
        "id": f"68-{index}",
        "name": name,
        "isResolved": dict(STATES)[name],
        "ordinal": index,
    }
