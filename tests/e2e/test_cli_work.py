"""Working on issues from the terminal: show, transition, comment, assign and start
(with --git in a real temporary repository), the CLI as a subprocess driving the
agent against the simulator."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from git_repo import git, needs_git, new_repository
from test_cli import issuebridge
from test_cli_new_user import Lines
from wire import agent_env

from simulators.jira_server import JiraSimulator


def configured(home: Path, jira: JiraSimulator, user: str = "alice") -> None:
    run = issuebridge(
        home,
        *("configure", "jira-server", "--base-url", jira.base_url),
        ISSUEBRIDGE_TOKEN=jira.user(user).pat,
    )
    assert run.returncode == 0, run.stderr


def status_of(jira: JiraSimulator, key: str) -> str:
    from simulators.jira_server.data import status_by_id

    issue = next(i for i in jira.issues if i.key == key)
    return status_by_id(issue.status_id).name


def assignee_of(jira: JiraSimulator, key: str) -> str | None:
    return next(i for i in jira.issues if i.key == key).assignee


def spawn_in_terminal(
    home: Path, *args: str, cwd: Path | None = None
) -> tuple[subprocess.Popen[str], Lines]:
    """`issuebridge ARGS` with stdin a terminal (a pty), its stdout read as it comes."""
    import os

    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "agent.cli", *args],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=agent_env(home),
        cwd=cwd,
    )
    os.close(slave)
    process.stdin = os.fdopen(master, "w")
    assert process.stdout is not None
    return process, Lines(process.stdout)


def answer(process: subprocess.Popen[str], text: str) -> None:
    assert process.stdin is not None
    process.stdin.write(text + "\n")
    process.stdin.flush()


def ended(process: subprocess.Popen[str], lines: Lines) -> tuple[int, str, str]:
    assert process.stdin is not None and process.stderr is not None
    out = lines.rest()
    err = process.stderr.read()
    process.stdin.close()
    return process.wait(timeout=60), out, err


# --- show ---------------------------------------------------------------------------


def test_show_an_issue_with_its_comments_and_transitions(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    issue = jira.add_issue(
        "ISB",
        "Login loops after the redirect",
        issuetype="Bug",
        status="To Do",
        assignee="bob",
        reporter="carol",
        priority="High",
        labels=["login", "ui"],
        description="Open the page.\nIt loops.",
        created="2024-06-01T08:30:00+00:00",
    )
    run = issuebridge(home, "comment", issue.key, "Seen it on Firefox too.")
    assert run.returncode == 0, run.stderr

    run = issuebridge(home, "show", issue.key)
    assert run.returncode == 0, run.stderr
    for text in (
        f"{issue.key}  Login loops after the redirect\n  {jira.base_url}/browse/{issue.key}",
        "Status:    To Do\n",
        "Type:      Bug\n",
        "Priority:  High\n",
        "Assignee:  Bob Brown (bob)\n",
        "Reporter:  Carol Chen (carol)\n",
        "Labels:    login, ui\n",
        "Created:   2024-06-01 ",
        "Description:\n  Open the page.\n  It loops.\n",
        "Comments (1):\n  Alice Anderson (alice), ",
        "    Seen it on Firefox too.\n",
        "Transitions:\n  Start Progress (→ In Progress)\n",
    ):
        assert text in run.stdout

    run = issuebridge(home, "show", issue.key, "--json")
    assert run.returncode == 0, run.stderr
    detail = json.loads(run.stdout)["issue"]
    assert detail["key"] == issue.key and detail["labels"] == ["login", "ui"]
    assert detail["comments"][0]["body"] == "Seen it on Firefox too."


def test_show_an_unknown_issue(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    run = issuebridge(home, "show", "ISB-99999")
    assert run.returncode == 1
    assert run.stderr.startswith("error: ") and "ISB-99999" in run.stderr
    run = issuebridge(home, "--json", "show", "ISB-99999")
    assert run.returncode == 1 and run.stdout == ""
    assert json.loads(run.stderr)["error"]["code"] == -32004


# --- transition ---------------------------------------------------------------------


def test_transition_by_name_or_target_status_in_any_case(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    key = jira.add_issue("ISB", "Move me", status="To Do").key
    run = issuebridge(home, "transition", key, "start progress")
    assert run.returncode == 0, run.stderr
    assert f"{key}: To Do → In Progress (Start Progress)" in run.stdout
    assert status_of(jira, key) == "In Progress"

    run = issuebridge(home, "transition", key, "in review", "--comment", "Ready for eyes.")
    assert run.returncode == 0, run.stderr
    assert "→ In Review (Request Review), with a comment" in run.stdout
    assert status_of(jira, key) == "In Review"
    assert [c.body for c in next(i for i in jira.issues if i.key == key).comments] == [
        "Ready for eyes."
    ]

    run = issuebridge(home, "--json", "transition", key, "DONE")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["issue"]["status"]["name"] == "Done"


def test_a_transition_the_issue_does_not_offer_names_those_it_does(
    home: Path, jira: JiraSimulator
) -> None:
    configured(home, jira)
    key = jira.add_issue("ISB", "Stay", status="To Do").key
    run = issuebridge(home, "transition", key, "Reopen Issue")
    assert run.returncode == 1
    assert f"{key} offers no transition 'Reopen Issue'; it offers: Start Progress" in run.stderr
    assert status_of(jira, key) == "To Do"


def test_transition_without_a_name_lists_them_and_reads_the_choice(
    home: Path, jira: JiraSimulator
) -> None:
    configured(home, jira)
    key = jira.add_issue("ISB", "Pick one", status="To Do").key
    run = issuebridge(home, "transition", key, stdin="")  # nothing to read: say what to pass
    assert run.returncode == 2
    assert "1) Start Progress (→ In Progress)" in run.stdout
    assert f"`issuebridge transition {key} NAME`" in run.stderr

    run = issuebridge(home, "transition", key, stdin="1\n")  # piped: one answer per line
    assert run.returncode == 0, run.stderr
    assert status_of(jira, key) == "In Progress"

    process, lines = spawn_in_terminal(home, "transition", key)
    lines.wait_for("Number:")
    answer(process, "9")  # a wrong answer in a terminal is explained and asked again
    lines.wait_for("'9' is not one of 1-")
    answer(process, "resolve issue")
    returncode, out, err = ended(process, lines)
    assert returncode == 0, err
    assert "In Progress → Done (Resolve Issue)" in out


# --- comment --------------------------------------------------------------------------


def test_comment_as_an_argument_with_m_or_on_stdin(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    key = jira.add_issue("ISB", "Talk about me").key
    assert issuebridge(home, "comment", key, "first").returncode == 0
    assert issuebridge(home, "comment", key, "-m", "*second*").returncode == 0
    run = issuebridge(home, "comment", key, stdin="third\non two lines\n")
    assert run.returncode == 0, run.stderr
    assert f"Commented on {key} (comment " in run.stdout
    run = issuebridge(home, "--json", "comment", key, "fourth")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["comment"]["author"]["name"] == "alice"
    bodies = [c.body for c in next(i for i in jira.issues if i.key == key).comments]
    assert bodies == ["first", "*second*", "third\non two lines", "fourth"]

    run = issuebridge(home, "comment", key, stdin="  \n")
    assert run.returncode == 2 and "the comment is empty" in run.stderr
    run = issuebridge(home, "comment", key, "a", "-m", "b")
    assert run.returncode == 2 and "not both" in run.stderr


# --- assign ---------------------------------------------------------------------------


def test_assign_to_a_user_me_and_none(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    key = jira.add_issue("ISB", "Whose is it", assignee=None).key
    run = issuebridge(home, "assign", key, "Brown")  # Jira searches display names too
    assert run.returncode == 0, run.stderr
    assert f"{key} " in run.stdout and "assigned to Bob Brown (bob)" in run.stdout
    assert assignee_of(jira, key) == "bob"

    run = issuebridge(home, "assign", key, "me")
    assert run.returncode == 0, run.stderr
    assert assignee_of(jira, key) == "alice"

    run = issuebridge(home, "--json", "assign", key, "none")
    assert run.returncode == 0, run.stderr
    assert "assignee" not in json.loads(run.stdout)["issue"]
    assert assignee_of(jira, key) is None


def test_assign_with_several_or_no_matches(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    key = jira.add_issue("ISB", "Whose is it", assignee="dave").key
    run = issuebridge(home, "assign", key, "a", stdin="")  # Jira matches name prefixes
    assert run.returncode == 1
    assert "'a' matches several users" in run.stderr
    assert "Alice Anderson (alice)" in run.stderr and "Jira Administrator (admin)" in run.stderr
    run = issuebridge(home, "assign", key, "nobody-by-that-name", stdin="")
    assert run.returncode == 1
    assert f"no user 'nobody-by-that-name' can be assigned {key}" in run.stderr
    assert assignee_of(jira, key) == "dave"

    process, lines = spawn_in_terminal(home, "assign", key, "a")
    text = lines.wait_for("Number:")
    number = next(line.split(")")[0].strip() for line in text.splitlines() if "(admin)" in line)
    answer(process, number)
    returncode, out, err = ended(process, lines)
    assert returncode == 0, err
    assert "assigned to Jira Administrator (admin)" in out
    assert assignee_of(jira, key) == "admin"


# --- start ----------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return new_repository(tmp_path / "repo")


def test_start_prints_the_branch_name(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    key = jira.add_issue("ISB", "Speed up the CSV export!", status="To Do", assignee=None).key
    run = issuebridge(home, "start", key)
    assert run.returncode == 0, run.stderr
    assert f"{key} In Progress, assigned to Alice Anderson (alice)" in run.stdout
    assert f"Branch: {key}-speed-up-the-csv-export" in run.stdout
    assert status_of(jira, key) == "In Progress" and assignee_of(jira, key) == "alice"


def test_start_with_a_named_transition(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    key = jira.add_issue("ISB", "Under review", status="In Review", assignee="bob").key
    run = issuebridge(home, "start", key, "--transition", "back to work")
    assert run.returncode == 0, run.stderr
    assert status_of(jira, key) == "In Progress" and assignee_of(jira, key) == "alice"
    run = issuebridge(home, "start", key, "--transition", "Reopen Issue")
    assert run.returncode == 1 and "offers no transition 'Reopen Issue'" in run.stderr


@needs_git
def test_start_with_git_creates_and_checks_out_the_branch(
    home: Path, jira: JiraSimulator, repo: Path
) -> None:
    configured(home, jira)
    key = jira.add_issue("ISB", "Fix the login redirect", status="To Do").key
    branch = f"{key}-fix-the-login-redirect"
    run = issuebridge(home, "--workspace", str(repo), "start", key, "--git")
    assert run.returncode == 0, run.stderr
    assert f"Switched to a new branch {branch}" in run.stdout
    assert git(repo, "branch", "--show-current") == branch

    git(repo, "checkout", "-q", "main")  # the branch exists: it is checked out again
    run = issuebridge(home, "--json", "--workspace", str(repo), "start", key, "--git")
    assert run.returncode == 0, run.stderr
    started = json.loads(run.stdout)
    assert started["branchName"] == branch
    assert started["git"] == {"repository": str(repo), "branch": branch, "created": False}
    assert git(repo, "branch", "--show-current") == branch


@needs_git
def test_start_with_git_refuses_uncommitted_changes_before_touching_jira(
    home: Path, jira: JiraSimulator, repo: Path
) -> None:
    configured(home, jira)
    key = jira.add_issue("ISB", "Careful now", status="To Do", assignee="bob").key
    (repo / "README").write_text("edited\n")
    run = issuebridge(home, "--workspace", str(repo), "start", key, "--git")
    assert run.returncode == 1
    assert "uncommitted changes (README)" in run.stderr and "--force" in run.stderr
    assert git(repo, "branch", "--show-current") == "main"
    assert status_of(jira, key) == "To Do" and assignee_of(jira, key) == "bob"

    run = issuebridge(home, "--workspace", str(repo), "start", key, "--git", "--force")
    assert run.returncode == 0, run.stderr
    assert git(repo, "branch", "--show-current") == f"{key}-careful-now"
    assert (repo / "README").read_text() == "edited\n"  # taken along, never discarded
    assert status_of(jira, key) == "In Progress" and assignee_of(jira, key) == "alice"


@needs_git
def test_start_with_git_outside_a_repository(
    home: Path, jira: JiraSimulator, tmp_path: Path
) -> None:
    configured(home, jira)
    key = jira.add_issue("ISB", "Nowhere", status="To Do").key
    elsewhere = tmp_path / "plain"
    elsewhere.mkdir()
    run = issuebridge(home, "--workspace", str(elsewhere), "start", key, "--git")
    assert run.returncode == 1 and "not in a git repository" in run.stderr
    assert status_of(jira, key) == "To Do"
