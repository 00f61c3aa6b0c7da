"""The simulated workflow: which transitions each status offers, and where they lead.

Modelled on Jira's own default workflows (the classic "jira" workflow and Jira
Software's simplified one): transitions have names of their own ("Start Progress",
"Stop Progress", "Resolve Issue"), never just the name of the status they lead to, and
ids that stay the same whatever status the issue is in, as a workflow's transition ids
do. A project uses only the steps whose statuses it has: ISB and DOC also pass through
"In Review"; OPS starts in "Open" and ends in "Closed".
"""

from __future__ import annotations

from dataclasses import dataclass

from .data import STATUSES, Project, status_by_id

# Roles a project's statuses play; each project has one status per role it uses.
START, PROGRESS, REVIEW, DONE = "start", "progress", "review", "done"


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    sources: tuple[str, ...]  # roles the transition is offered from
    target: str  # the role it leads to


STEPS: list[Step] = [
    Step("11", "Start Progress", (START,), PROGRESS),
    Step("21", "Stop Progress", (PROGRESS,), START),
    Step("31", "Request Review", (PROGRESS,), REVIEW),
    Step("41", "Back to Work", (REVIEW,), PROGRESS),
    Step("51", "Resolve Issue", (PROGRESS, REVIEW), DONE),
    Step("61", "Close Issue", (START,), DONE),
    Step("71", "Reopen Issue", (DONE,), START),
]


def roles(status_ids: list[str]) -> dict[str, str]:
    """Role -> status id for a project's statuses (first of each kind wins)."""
    found: dict[str, str] = {}
    for sid in status_ids:
        status = status_by_id(sid)
        if status.category == "new":
            role = START
        elif status.category == "done":
            role = DONE
        else:
            role = PROGRESS if sid == "3" else REVIEW
        found.setdefault(role, sid)
    return found


def role_of(status_id: str, by_role: dict[str, str]) -> str:
    """The role of a status; one the project does not list plays its category's role."""
    found = next((role for role, sid in by_role.items() if sid == status_id), None)
    return found or roles([status_id]).popitem()[0]


def offered(project: Project | None, status_id: str) -> list[tuple[Step, str]]:
    """(step, target status id) for each transition an issue in `status_id` offers."""
    by_role = roles(project.status_ids if project else [s.id for s in STATUSES])
    role = role_of(status_id, by_role)
    return [
        (step, by_role[step.target])
        for step in STEPS
        if role in step.sources and step.target in by_role
    ]


def step_by_id(transition_id: str) -> Step | None:
    return next((s for s in STEPS if s.id == transition_id), None)
