"""The simulator's seeded, deterministic data: users with accountIds and API tokens,
projects, a workflow, issues with ADF descriptions and comments."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# Jira Cloud's three status categories: keys `new`, `indeterminate`, `done`.
STATUSES: dict[str, tuple[str, str, int]] = {
    # name: (id, category key, category id)
    "To Do": ("10000", "new", 2),
    "In Progress": ("3", "indeterminate", 4),
    "In Review": ("10001", "indeterminate", 4),
    "Done": ("10002", "done", 3),
}
CATEGORY_NAMES = {"new": "To Do", "indeterminate": "In Progress", "done": "Done"}
# Transition id -> (name, target status), offered from every status but its target.
TRANSITIONS: dict[str, tuple[str, str]] = {
    "11": ("To Do", "To Do"),
    "21": ("Start progress", "In Progress"),
    "31": ("Review", "In Review"),
    "41": ("Done", "Done"),
}
PROJECTS = {"CORE": ("10000", "Core Platform"), "WEB": ("10001", "Web Client")}
TYPES = ["Task", "Bug", "Story"]
PRIORITIES = ["Highest", "High", "Medium", "Low", "Lowest"]
EPOCH = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def account_id(name: str) -> str:
    """A Cloud-style accountId (`712020:` + a UUID-like hex), stable per name."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    return f"712020:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


@dataclass
class CloudUser:
    name: str  # only for the simulator's admin API: Cloud users have no name
    display_name: str
    email: str
    api_token: str
    account_id: str = ""

    def __post_init__(self) -> None:
        self.account_id = self.account_id or account_id(self.name)


@dataclass
class CloudComment:
    id: str
    author: str  # accountId
    body: dict[str, Any]  # ADF
    created: datetime


@dataclass
class CloudIssue:
    id: str
    key: str
    project: str
    summary: str
    issue_type: str
    priority: str
    status: str
    assignee: str | None  # accountId
    reporter: str
    created: datetime
    updated: datetime
    description: dict[str, Any] | None = None
    labels: list[str] = field(default_factory=list)
    comments: list[CloudComment] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return STATUSES[self.status][1] == "done"


def adf(*paragraphs: str) -> dict[str, Any]:
    """Plain paragraphs as an ADF document."""
    return {
        "version": 1,
        "type": "doc",
        "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": p}] if p else []}
            for p in paragraphs
        ],
    }


def rich_description(summary: str) -> dict[str, Any]:
    """A description using more of ADF: a heading, marks, a list, a code block, a mention."""
    return {
        "version": 1,
        "type": "doc",
        "content": [
            {
                "type": "heading",
                "attrs": {"level": 2},
                "content": [{"type": "text", "text": "Context"}],
            },
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": summary + " — see "},
                    {
                        "type": "text",
                        "text": "the runbook",
                        "marks": [
                            {"type": "link", "attrs": {"href": "https://example.com/runbook"}}
                        ],
                    },
                    {"type": "text", "text": "."},
                    {"type": "hardBreak"},
                    {"type": "text", "text": "Important", "marks": [{"type": "strong"}]},
                ],
            },
            {
                "type": "bulletList",
                "content": [
                    {
                        "type": "listItem",
                        "content": [
                            {
                                "type": "paragraph",
                                "content": [{"type": "text", "text": "first step"}],
                            }
                        ],
                    },
                    {
                        "type": "listItem",
                        "content": [
                            {
                                "type": "paragraph",
                                "content": [{"type": "text", "text": "second step"}],
                            }
                        ],
                    },
                ],
            },
            {
                "type": "codeBlock",
                "attrs": {"language": "python"},
                "content": [{"type": "text", "text": "print('hi')"}],
            },
            {
                "type": "paragraph",
                "content": [
                    {"type": "mention", "attrs": {"id": account_id("bob"), "text": "@Bob Builder"}},
                    {"type": "text", "text": " please check "},
                    {"type": "emoji", "attrs": {"shortName": ":smile:", "text": "😄"}},
                ],
            },
        ],
    }


def seed_users() -> list[CloudUser]:
    return [
        CloudUser(
            "alice", "Alice Anders", "alice@example.com", "ATATT3xFfGF0alice0token0000000000"
        ),
        CloudUser("bob", "Bob Builder", "bob@example.com", "ATATT3xFfGF0bob0token000000000000"),
    ]


def seed_issues(users: list[CloudUser], seed: int = 1) -> list[CloudIssue]:
    """Deterministic issues: alice has 37 open (more than three pages of 10), some done;
    bob has some; a few unassigned. Every `updated` differs."""
    rng = random.Random(seed)
    alice, bob = users[0].account_id, users[1].account_id
    plan: list[tuple[str | None, str]] = (
        [(alice, "To Do")] * 20
        + [(alice, "In Progress")] * 12
        + [(alice, "In Review")] * 5
        + [(alice, "Done")] * 8
        + [(bob, "To Do")] * 6
        + [(bob, "Done")] * 3
        + [(None, "To Do")] * 6
    )
    rng.shuffle(plan)
    counters = dict.fromkeys(PROJECTS, 0)
    issues: list[CloudIssue] = []
    for index, (assignee, status) in enumerate(plan):
        project = "CORE" if index % 3 else "WEB"
        counters[project] += 1
        key = f"{project}-{counters[project]}"
        created = EPOCH + timedelta(hours=index * 5)
        updated = created + timedelta(minutes=rng.randrange(1, 60 * 24 * 20))
        verb = rng.choice(["Fix", "Add", "Refactor", "Document"])
        topic = rng.choice(["login", "search", "cache", "export", "billing"])
        summary = f"{verb} {topic} {index}"
        issue = CloudIssue(
            id=str(10000 + index),
            key=key,
            project=project,
            summary=summary,
            issue_type=TYPES[index % len(TYPES)],
            priority=PRIORITIES[index % len(PRIORITIES)],
            status=status,
            assignee=assignee,
            reporter=bob if index % 2 else alice,
            created=created,
            updated=updated,
            description=rich_description(summary) if index % 4 == 0 else adf(f"About: {summary}."),
            labels=["backend"] if project == "CORE" else ["frontend"],
        )
        for n in range(index % 3):
            issue.comments.append(
                CloudComment(
                    id=str(20000 + index * 10 + n),
                    author=bob if n % 2 == 0 else alice,
                    body=adf(f"Comment {n + 1} on {key}.", "Second paragraph."),
                    created=created + timedelta(hours=n + 1),
                )
            )
        issues.append(issue)
    return issues


def jira_time(value: datetime) -> str:
    """Jira's timestamp form: `2026-11-01T09:00:00.000+0000`."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"
