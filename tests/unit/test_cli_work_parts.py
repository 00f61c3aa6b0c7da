"""The pure parts of the terminal's issue commands: field values as people type them,
transition and user names, the detail view, and git branches (with the real `git`
in a temporary repository)."""

import io
from pathlib import Path
from typing import Any

import pytest
from git_repo import git, needs_git, new_repository

from agent.cli import gitbranch, render_issue
from agent.cli.fields import (
    FieldInputError,
    field_namer,
    find_field,
    parse_assignment,
    parse_value,
)
from agent.cli.matching import Ambiguous, NoMatch, match_transition, match_user

COMPONENT: dict[str, Any] = {
    "name": "customfield_10010",
    "label": "Component",
    "kind": "select",
    "required": True,
    "allowedValues": [{"id": "20001", "label": "Backend"}, {"id": "20002", "label": "UI"}],
}
PLATFORMS = {**COMPONENT, "name": "customfield_10011", "label": "Platforms", "kind": "multiSelect"}
LABELS = {"name": "labels", "label": "Labels", "kind": "labels", "required": False}
DUE = {"name": "duedate", "label": "Due date", "kind": "date", "required": False}
POINTS = {"name": "customfield_10020", "label": "Story points", "kind": "number", "required": False}
SUMMARY = {"name": "summary", "label": "Summary", "kind": "text", "required": True}
DESCRIPTION = {"name": "description", "label": "Description", "kind": "multilineText"}
FORM = [SUMMARY, COMPONENT, PLATFORMS, LABELS, DUE, POINTS, DESCRIPTION]


# --- field values -----------------------------------------------------------------


def test_a_select_by_label_in_any_case_by_id_or_by_its_number_in_a_prompt() -> None:
    assert parse_value(COMPONENT, "backend") == "20001"
    assert parse_value(COMPONENT, " UI ") == "20002"
    assert parse_value(COMPONENT, "20002") == "20002"
    assert parse_value(COMPONENT, "2", numbered=True) == "20002"
    with pytest.raises(FieldInputError, match=r"Component \(customfield_10010\).*Backend, UI"):
        parse_value(COMPONENT, "2")  # a bare number is a position only in a numbered prompt


def test_a_multi_select_and_labels_are_comma_separated() -> None:
    assert parse_value(PLATFORMS, "ui, Backend") == ["20002", "20001"]
    assert parse_value(PLATFORMS, "1,2", numbered=True) == ["20001", "20002"]
    assert parse_value(LABELS, "login, ui,,") == ["login", "ui"]
    with pytest.raises(FieldInputError, match="cannot contain spaces"):
        parse_value(LABELS, "dark mode")


def test_dates_and_numbers() -> None:
    assert parse_value(DUE, "2025-01-31") == "2025-01-31"
    for wrong in ("31.01.2025", "2025-02-30", "2025-1-3"):
        with pytest.raises(FieldInputError, match="YYYY-MM-DD"):
            parse_value(DUE, wrong)
    assert parse_value(POINTS, "3") == 3
    assert parse_value(POINTS, "2.5") == 2.5
    for wrong in ("three", "nan", "inf"):
        with pytest.raises(FieldInputError, match="not a number"):
            parse_value(POINTS, wrong)


def test_text_is_trimmed_but_a_multiline_description_is_kept_as_written() -> None:
    assert parse_value(SUMMARY, "  Fix it ") == "Fix it"
    assert parse_value(DESCRIPTION, "line 1\n  line 2\n") == "line 1\n  line 2\n"


def test_field_flags_name_a_field_by_name_or_label() -> None:
    assert parse_assignment("Component=UI") == ("Component", "UI")
    assert parse_assignment("summary=a=b") == ("summary", "a=b")
    with pytest.raises(FieldInputError, match="NAME=VALUE"):
        parse_assignment("Component")
    assert find_field(FORM, "component") is COMPONENT
    assert find_field(FORM, "CUSTOMFIELD_10011") is PLATFORMS
    assert find_field(FORM, "nope") is None


def test_field_errors_are_shown_beside_the_labels() -> None:
    name = field_namer(FORM)
    assert name("customfield_10010") == "Component (customfield_10010)"
    assert name("labels") == "Labels"
    assert name("environment") == "environment"  # not in the form: as Jira named it


# --- names ------------------------------------------------------------------------

TRANSITIONS = [
    {"id": "11", "name": "Start Progress", "to": {"name": "In Progress", "category": "x"}},
    {"id": "21", "name": "Resolve", "to": {"name": "Done", "category": "done"}},
    {"id": "31", "name": "Close", "to": {"name": "Done", "category": "done"}},
]


def test_a_transition_by_its_name_or_the_status_it_leads_to() -> None:
    assert match_transition(TRANSITIONS, "start progress", "ISB-1")["id"] == "11"
    assert match_transition(TRANSITIONS, "IN PROGRESS", "ISB-1")["id"] == "11"
    assert match_transition(TRANSITIONS, "close", "ISB-1")["id"] == "31"  # name before status
    assert match_transition(TRANSITIONS, "21", "ISB-1")["id"] == "21"
    with pytest.raises(Ambiguous, match=r"Resolve \(→ Done\), Close \(→ Done\)"):
        match_transition(TRANSITIONS, "done", "ISB-1")
    with pytest.raises(NoMatch, match=r"ISB-1 offers no transition 'Reopen'; it offers: Start"):
        match_transition(TRANSITIONS, "Reopen", "ISB-1")
    with pytest.raises(NoMatch, match="offers no transitions now"):
        match_transition([], "Done", "ISB-1")


def test_a_user_among_those_the_search_found() -> None:
    alice = {"name": "alice", "displayName": "Alice Anderson"}
    alina = {"name": "alina", "displayName": "Alina Ahn"}
    assert match_user([alice], "Anderson", "ISB-1") is alice
    assert match_user([alice, alina], "ALICE", "ISB-1") is alice  # an exact name wins
    with pytest.raises(Ambiguous, match=r"Alice Anderson \(alice\), Alina Ahn \(alina\)"):
        match_user([alice, alina], "al", "ISB-1")
    with pytest.raises(NoMatch, match="no user 'zed' can be assigned ISB-1"):
        match_user([], "zed", "ISB-1")


# --- the detail view ----------------------------------------------------------------


def test_the_detail_view() -> None:
    issue = {
        "key": "ISB-7",
        "title": "Fix the login",
        "url": "http://jira/browse/ISB-7",
        "status": {"name": "Open", "category": "todo"},
        "project": {"key": "ISB", "name": "IssueBridge"},
        "type": "Bug",
        "priority": None,
        "assignee": None,
        "reporter": {"name": "bob", "displayName": "Bob Brown"},
        "labels": ["login", "ui"],
        "createdAt": "2024-07-01T09:00:00.000+0000",
        "updatedAt": "2024-07-02T10:30:00.000+0000",
        "description": "It loops.\n\nEvery time.",
        "comments": [
            {
                "id": "1",
                "author": {"name": "carol", "displayName": "Carol Chen"},
                "body": "Seen it.",
                "createdAt": "2024-07-02T10:30:00.000+0000",
            }
        ],
        "transitions": TRANSITIONS[:1],
    }
    out = io.StringIO()
    render_issue.detail(issue, out)
    text = out.getvalue()
    for line in (
        "ISB-7  Fix the login\n  http://jira/browse/ISB-7\n",
        "Status:    Open\n",
        "Priority:  -\n",
        "Assignee:  Unassigned\n",
        "Reporter:  Bob Brown (bob)\n",
        "Labels:    login, ui\n",
        "Created:   2024-07-01 09:00\n",
        "Description:\n  It loops.\n\n  Every time.\n",
        "Comments (1):\n  Carol Chen (carol), 2024-07-02 10:30:\n    Seen it.\n",
        "Transitions:\n  Start Progress (→ In Progress)\n  (issuebridge transition ISB-7 NAME)\n",
    ):
        assert line in text
    assert render_issue.status_line(issue) == "ISB-7 Open, unassigned: Fix the login"


# --- git branches -------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return new_repository(tmp_path / "repo")


@needs_git
def test_a_new_branch_is_created_and_an_existing_one_checked_out(repo: Path) -> None:
    state = gitbranch.inspect(repo / ".")
    assert state.current_branch == "main" and state.changed == []
    assert gitbranch.switch(state, "ISB-7-fix-the-login") == gitbranch.Switched(
        "ISB-7-fix-the-login", created=True
    )
    assert git(repo, "branch", "--show-current") == "ISB-7-fix-the-login"
    again = gitbranch.switch(gitbranch.inspect(repo), "ISB-7-fix-the-login")
    assert again.already_there
    git(repo, "checkout", "-q", "main")
    back = gitbranch.switch(gitbranch.inspect(repo), "ISB-7-fix-the-login")
    assert back == gitbranch.Switched("ISB-7-fix-the-login", created=False)
    assert git(repo, "branch", "--show-current") == "ISB-7-fix-the-login"


@needs_git
def test_uncommitted_changes_are_refused_unless_forced(repo: Path) -> None:
    (repo / "README").write_text("changed\n")
    (repo / "untracked.txt").write_text("new\n")  # untracked files do not count
    state = gitbranch.inspect(repo)
    assert state.changed == ["README"]
    with pytest.raises(gitbranch.GitError, match=r"uncommitted changes \(README\).*--force"):
        gitbranch.refuse_dirty(state, force=False)
    gitbranch.refuse_dirty(state, force=True)
    gitbranch.switch(state, "ISB-8-x")
    assert (repo / "README").read_text() == "changed\n"  # carried along, not discarded


@needs_git
def test_not_a_repository_and_a_bad_branch_name(tmp_path: Path, repo: Path) -> None:
    with pytest.raises(gitbranch.GitError, match="not in a git repository"):
        gitbranch.inspect(tmp_path)
    with pytest.raises(gitbranch.GitError, match="not a valid git branch name"):
        gitbranch.switch(gitbranch.inspect(repo), "ISB-9..x")
