"""`issuebridge keys FILE`: the issue keys in a file, through the agent's documentLink
and hover (the terminal client spawns the agent and speaks LSP to it over stdio)."""

import json
from pathlib import Path

from test_cli import issuebridge
from test_cli_work import configured

from simulators.jira_server import JiraSimulator
from simulators.jira_server.data import Issue, status_by_id


def two_issues(jira: JiraSimulator) -> tuple[Issue, Issue]:
    by_project: dict[str, Issue] = {}
    for issue in jira.issues:
        by_project.setdefault(issue.project_key, issue)
    assert len(by_project) >= 2, "the simulator seeds two projects"
    first, second = list(by_project.values())[:2]
    return first, second


def test_each_key_with_its_title_status_and_address(
    home: Path, jira: JiraSimulator, tmp_path: Path
) -> None:
    configured(home, jira)
    one, other = two_issues(jira)
    missing = f"{one.project_key}-999999"
    file = tmp_path / "notes.py"
    file.write_text(
        "# nothing here: UTF-8 and SHA-256 are not keys\n"
        f"x = 1  # ünïcode 🚀 {one.key} then {other.key}\r\n"
        f"# gone: {missing}\n",
        encoding="utf-8",
    )
    run = issuebridge(home, "keys", str(file))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    column = len("x = 1  # ünïcode 🚀 ") + 1  # characters, not UTF-16 units nor bytes
    expected = [
        f"2:{column} {one.key}  {one.summary}  [{status_by_id(one.status_id).name}]  "
        f"{jira.base_url}/browse/{one.key}",
        f"2:{column + len(one.key) + len(' then ')} {other.key}  {other.summary}  "
        f"[{status_by_id(other.status_id).name}]  {jira.base_url}/browse/{other.key}",
    ]
    assert lines[:2] == expected, run.stdout
    assert len(lines) == 3, run.stdout
    assert lines[2].startswith(f"3:9 {missing}  ({missing}: no such issue"), lines[2]
    assert lines[2].endswith(f"  {jira.base_url}/browse/{missing}"), lines[2]


def test_json_has_each_key_with_its_hover(home: Path, jira: JiraSimulator, tmp_path: Path) -> None:
    configured(home, jira)
    one, _ = two_issues(jira)
    file = tmp_path / "COMMIT_EDITMSG"
    file.write_text(f"Fix the login form\n\nCloses {one.key}.\n", encoding="utf-8")
    run = issuebridge(home, "--json", "keys", str(file))
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["file"] == str(file)
    assert result["uri"] == file.resolve().as_uri()
    [key] = result["keys"]
    assert key["line"] == 3 and key["column"] == len("Closes ") + 1
    assert key["key"] == one.key and key["title"] == one.summary
    assert key["status"] == status_by_id(one.status_id).name
    assert key["url"] == f"{jira.base_url}/browse/{one.key}"
    assert key["note"] is None
    assert key["range"]["start"] == {"line": 2, "character": len("Closes ")}
    assert one.summary in key["hover"]["value"]


def test_a_file_without_keys_says_so_on_stderr(
    home: Path, jira: JiraSimulator, tmp_path: Path
) -> None:
    configured(home, jira)
    file = tmp_path / "plain.txt"
    file.write_text("UTF-8, SHA-256 and ISO-8601 are no issues\n", encoding="utf-8")
    run = issuebridge(home, "keys", str(file))
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert f"no issue keys of a connected tracker in {file}" in run.stderr


def test_nothing_connected_is_an_error_naming_the_next_step(home: Path, tmp_path: Path) -> None:
    file = tmp_path / "notes.md"
    file.write_text("See CORE-1.\n", encoding="utf-8")
    run = issuebridge(home, "keys", str(file))
    assert run.returncode == 1
    assert run.stdout == ""
    assert "error: nothing is connected" in run.stderr
    assert "issuebridge configure" in run.stderr
    as_json = issuebridge(home, "keys", str(file), "--json")
    assert as_json.returncode == 1 and as_json.stdout == ""
    assert "nothing is connected" in json.loads(as_json.stderr)["error"]["message"]


def test_an_unreadable_file_is_a_usage_error(home: Path, tmp_path: Path) -> None:
    run = issuebridge(home, "keys", str(tmp_path / "absent.txt"))
    assert run.returncode == 2
    assert "cannot read" in run.stderr and "absent.txt" in run.stderr
    binary = tmp_path / "image.bin"
    binary.write_bytes(b"\xff\xfe\x00CORE-1")
    run = issuebridge(home, "keys", str(binary))
    assert run.returncode == 2 and "is not UTF-8 text" in run.stderr


def test_keys_generate_is_still_the_key_pair(home: Path) -> None:
    run = issuebridge(home, "keys", "generate", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
