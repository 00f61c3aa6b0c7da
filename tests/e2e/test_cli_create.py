"""`issuebridge create` against the simulator's create metadata: a Bug needs the
custom single-select Severity, a Story the multi-select Platforms. Flags, piped
answers, a terminal (a pty), and refusals beside the fields."""

import json
import re
from pathlib import Path

from test_cli import issuebridge
from test_cli_work import answer, configured, ended, spawn_in_terminal

from simulators.jira_server import JiraSimulator
from simulators.jira_server.data import Issue


def created_key(jira: JiraSimulator, stdout: str) -> str:
    match = re.search(r"^Created ([A-Z]+-\d+): ", stdout, re.M)
    assert match, stdout
    key = match.group(1)
    assert f"  {jira.base_url}/browse/{key}" in stdout
    return key


def posted_creates(jira: JiraSimulator) -> int:
    return sum(
        1 for r in jira.request_log if r.method == "POST" and r.path.endswith("/rest/api/2/issue")
    )


def stored(jira: JiraSimulator, key: str) -> Issue:
    return next(i for i in jira.issues if i.key == key)


def test_create_with_flags_for_every_field(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    run = issuebridge(
        home,
        *("create", "--project", "ISB", "--type", "Bug", "--summary", "Crash on save"),
        *("--field", "severity=s2 - major", "--field", "labels=crash,save"),
        *("--field", "Due Date=2025-01-31", "--field", "priority=High"),
        stdin="",
    )
    assert run.returncode == 0, run.stderr
    key = created_key(jira, run.stdout)
    issue = stored(jira, key)
    assert issue.summary == "Crash on save"
    assert issue.labels == ["crash", "save"]

    run = issuebridge(home, "--json", "show", key)
    detail = json.loads(run.stdout)["issue"]
    assert (detail["type"], detail["priority"]) == ("Bug", "High")


def test_create_a_story_with_its_required_multi_select(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    run = issuebridge(
        home,
        *("--json", "create", "--project", "ISB", "--type", "story"),
        *("--summary", "Ship on every desktop", "--field", "Platforms=linux, macOS"),
        stdin="",
    )
    assert run.returncode == 0, run.stderr
    issue = json.loads(run.stdout)["issue"]
    assert issue["type"] == "Story" and issue["title"] == "Ship on every desktop"


def test_a_missing_required_field_is_refused_without_a_create(
    home: Path, jira: JiraSimulator
) -> None:
    configured(home, jira)
    before = len(jira.issues)
    run = issuebridge(
        home, "create", "--project", "ISB", "--type", "Bug", "--summary", "No severity", stdin=""
    )
    assert run.returncode == 2
    assert "Severity*" in run.stdout and "1) S1 - Critical" in run.stdout  # the prompt
    assert "pass --field customfield_10010=" in run.stderr
    assert len(jira.issues) == before and posted_creates(jira) == 0


def test_values_that_do_not_fit_their_fields(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    base = ("create", "--project", "ISB", "--type", "Bug", "--summary", "x")
    run = issuebridge(home, *base, "--field", "Severity=S9", stdin="")
    assert run.returncode == 2
    assert "'S9' is not one of its values: S1 - Critical, S2 - Major" in run.stderr
    run = issuebridge(home, *base, "--field", "duedate=31.01.2025", stdin="")
    assert run.returncode == 2 and "write it as YYYY-MM-DD" in run.stderr
    run = issuebridge(home, *base, "--field", "Flavour=vanilla", stdin="")
    assert run.returncode == 2
    assert "the form has no field 'Flavour'; its fields: Summary, " in run.stderr
    assert posted_creates(jira) == 0


def test_jira_refusals_are_shown_beside_their_fields(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    run = issuebridge(
        home,
        *("create", "--project", "ISB", "--type", "Bug", "--summary", "x" * 300),
        *("--field", "Severity=S3 - Minor"),
        stdin="",
    )
    assert run.returncode == 1
    assert run.stderr.startswith("error: ")
    assert "\n  Summary: Summary must be less than 255 characters." in run.stderr
    assert posted_creates(jira) == 1

    run = issuebridge(
        home,
        *("--json", "create", "--project", "ISB", "--type", "Bug", "--summary", "x" * 300),
        *("--field", "Severity=S3 - Minor"),
        stdin="",
    )
    assert run.returncode == 1 and run.stdout == ""
    error = json.loads(run.stderr)["error"]
    assert error["code"] == -32602 and "summary" in error["data"]["fieldErrors"]


def test_create_from_piped_answers(home: Path, jira: JiraSimulator) -> None:
    """From a pipe only what is needed is asked: project, type, the required fields."""
    configured(home, jira)
    run = issuebridge(home, "create", stdin="isb\nBug\nPiped in\n2\n")
    assert run.returncode == 0, run.stderr
    assert "ISB  IssueBridge" in run.stdout and "Severity*" in run.stdout
    assert "Priority" not in run.stdout  # optional: not asked from a pipe
    key = created_key(jira, run.stdout)
    assert stored(jira, key).summary == "Piped in"

    run = issuebridge(home, "--json", "create", stdin="WEB\nTask\nPiped for a script\n")
    assert run.returncode == 0, run.stderr
    assert "Summary*:" in run.stderr  # prompts on stderr, the result alone on stdout
    assert json.loads(run.stdout)["issue"]["key"].startswith("WEB-")


def test_create_in_a_terminal_asks_every_field(home: Path, jira: JiraSimulator) -> None:
    configured(home, jira)
    process, lines = spawn_in_terminal(home, "create", "--project", "ISB", "--type", "Bug")
    answers = {
        "Summary*": ["Typed in a terminal"],
        "Labels": ["two, words"],
        "Severity*": ["", "1"],  # required: an empty answer is asked again
        "Due Date": ["tomorrow", "2025-02-01"],  # explained, then asked again
    }
    asked: list[str] = []
    while True:
        text = lines.wait_until(
            lambda t: t.endswith(": ") or "Created " in t, "a prompt or the new key"
        )
        if "Created " in text:
            break
        question = text.rstrip().splitlines()[-1].strip()
        asked.append(question)
        label = next((name for name in answers if question.startswith(name)), None)
        answer(process, answers[label].pop(0) if label and answers[label] else "")
        lines.text += "\n"  # it stays the last thing printed until the next: mark it answered
    returncode, out, err = ended(process, lines)
    assert returncode == 0, err
    assert "Severity (customfield_10010) is required" in out
    assert "'tomorrow' is not a date; write it as YYYY-MM-DD" in out
    assert any(q.startswith("Priority (") for q in asked)  # optional ones are asked too
    key = created_key(jira, out)
    issue = stored(jira, key)
    assert issue.summary == "Typed in a terminal"
    assert issue.labels == ["two", "words"]


def test_a_type_whose_required_field_no_form_can_enter(home: Path, jira: JiraSimulator) -> None:
    """Operations' Improvement requires a cascading select: the agent says so, naming
    the field, and nothing is asked or sent."""
    configured(home, jira)
    run = issuebridge(
        home, "create", "--project", "OPS", "--type", "Improvement", "--summary", "x", stdin=""
    )
    assert run.returncode == 1, run.stdout
    assert run.stderr.startswith("error: ")
    assert "\n  customfield_10014: " in run.stderr and "Customer Site" in run.stderr
    assert posted_creates(jira) == 0
