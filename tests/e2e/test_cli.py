"""The terminal client spawns the agent and speaks the same protocol."""

import re
import subprocess
import sys
from pathlib import Path

from jira_flows import expected_open_issues
from wire import agent_env

from simulators.jira_server import JiraSimulator


def issuebridge(
    home: Path, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=agent_env(home, **env),
        timeout=60,
    )


def found(pattern: str, text: str, flags: int = 0) -> str:
    """The first group of `pattern` in `text`, which must match."""
    match = re.search(pattern, text, flags)
    assert match, f"{pattern!r} not in {text!r}"
    return match.group(1)


def generate_key(home: Path) -> tuple[str, str, str]:
    """`issuebridge keys generate`: the key id, the public key PEM, and all it printed."""
    run = issuebridge(home, "keys", "generate")
    assert run.returncode == 0, run.stderr
    key_id = found(r"Key id: (key-[0-9a-f]+)", run.stdout)
    end = "-----END PUBLIC KEY-----"
    start = run.stdout.index("-----BEGIN PUBLIC KEY-----")
    return key_id, run.stdout[start : run.stdout.index(end) + len(end)], run.stdout


def test_providers_lists_jira_server_and_its_forms(home: Path) -> None:
    run = issuebridge(home, "providers")
    assert run.returncode == 0, run.stderr
    assert "Jira Server / Data Center (jira-server)" in run.stdout
    assert "token (secret, required)" in run.stdout
    assert "consumerKey (text, required)" in run.stdout
    assert "instances: none configured" in run.stdout


def test_configure_from_stdin_then_list_issues(home: Path, jira: JiraSimulator) -> None:
    token = jira.user("alice").pat
    run = issuebridge(
        home,
        "configure",
        "jira-server",
        "--base-url",
        jira.base_url,
        "--token-stdin",
        stdin=token + "\n",
    )
    assert run.returncode == 0, run.stderr
    assert "connected as Alice Anderson" in run.stdout
    assert token not in run.stdout + run.stderr

    run = issuebridge(home, "issues")
    assert run.returncode == 0, run.stderr
    expected = expected_open_issues(jira, "alice")
    assert f"{len(expected)} issues" in run.stdout
    listed = re.findall(r"^([A-Z]+-\d+) ", run.stdout, re.M)
    assert listed == expected

    run = issuebridge(home, "issues", "--jql", "project = OPS ORDER BY key ASC", "--limit", "7")
    assert run.returncode == 0, run.stderr
    assert re.findall(r"^(OPS-\d+) ", run.stdout, re.M) == [f"OPS-{n}" for n in range(1, 8)]


def test_token_from_the_environment_and_errors_with_hints(home: Path, jira: JiraSimulator) -> None:
    run = issuebridge(
        home,
        "configure",
        "jira-server",
        "--base-url",
        jira.base_url,
        ISSUEBRIDGE_TOKEN="bad-token-000000000000000000000",
    )
    assert run.returncode == 1
    assert "error: Jira rejected the personal access token" in run.stderr
    assert "hint:" in run.stderr
    run = issuebridge(home, "issues")
    assert run.returncode != 0 and "nothing configured yet" in run.stderr


def test_disconnect_forget(home: Path, jira: JiraSimulator) -> None:
    issuebridge(
        home,
        "configure",
        "jira-server",
        "--base-url",
        jira.base_url,
        ISSUEBRIDGE_TOKEN=jira.user("bob").pat,
    )
    run = issuebridge(home, "disconnect", "--forget")
    assert run.returncode == 0 and "Forgot" in run.stdout
    assert "instances: none configured" in issuebridge(home, "providers").stdout


def test_demo_shows_configure_and_every_issue(home: Path) -> None:
    run = issuebridge(home, "demo")
    assert run.returncode == 0, run.stderr
    for marker in (
        "[1] A Jira Server simulator",
        "[3] Configure",
        "connected as Alice Anderson",
        "[4] Fetch",
        "[oauth2] needsAuthorization",
        "[oauth2] connected as Carol Chen",
        "[13] Fetch carol's open issues with the OAuth 2.0 access token",
    ):
        assert marker in run.stdout
    with JiraSimulator() as same_seed:
        expected = len(expected_open_issues(same_seed, "alice"))
        first = same_seed.issues[0]
    assert f"{expected} issues" in run.stdout
    # Last, a document's keys: two links (UTF-8 is none) and a hover with the title.
    keys = run.stdout.split("[14] Issue keys in a document", 1)[1]
    assert keys.count("    link ") == 2
    assert f"/browse/{first.key}" in keys and "UTF-8 ->" not in keys
    assert f"hover on {first.key}: {first.summary} [" in keys
    assert not any(home.iterdir())  # the demo keeps its own throw-away storage


def test_oauth_from_the_terminal_with_an_out_of_band_code(home: Path, jira: JiraSimulator) -> None:
    import httpx

    jira.oauth_auto_approve = "carol"
    key_id, public_pem, printed = generate_key(home)
    assert "PRIVATE" not in printed
    jira.add_oauth_consumer("cli-consumer", public_pem)

    run = issuebridge(
        home,
        "configure",
        "jira-server",
        "--oauth",
        "--base-url",
        jira.base_url,
        "--consumer-key",
        "cli-consumer",
        "--key-id",
        key_id,
    )
    assert run.returncode == 0, run.stderr
    assert "needsAuthorization" in run.stdout

    process = subprocess.Popen(
        [sys.executable, "-m", "agent.cli", "authorize", "--oob"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=agent_env(home),
    )
    assert process.stdout is not None and process.stdin is not None
    url = ""
    for line in process.stdout:
        if "/plugins/servlet/oauth/authorize" in line:
            url = line.strip()
            break
    page = httpx.get(url, follow_redirects=True, timeout=10).text
    code = found(r"<code[^>]*>([^<]+)</code>", page)
    out, err = process.communicate(code + "\n", timeout=60)
    assert process.returncode == 0, err
    assert "connected as Carol Chen" in out

    run = issuebridge(home, "issues", "--limit", "3")
    assert run.returncode == 0, run.stderr
    assert "3 issues" in run.stdout


def test_team_share_and_unlock_from_the_terminal(tmp_path: Path, jira: JiraSimulator) -> None:
    admin, mate, project = tmp_path / "admin", tmp_path / "mate", tmp_path / "project"
    for folder in (admin, mate, project):
        folder.mkdir()
    key_id, public_pem, _ = generate_key(admin)
    jira.add_oauth_consumer("team-consumer", public_pem)
    issuebridge(
        admin,
        "configure",
        "jira-server",
        "--oauth",
        "--base-url",
        jira.base_url,
        "--consumer-key",
        "team-consumer",
        "--key-id",
        key_id,
    )

    run = issuebridge(admin, "--workspace", str(project), "team", "share")
    assert run.returncode == 0, run.stderr
    passphrase = found(r"^\s+([A-Z2-9]{5}(?:-[A-Z2-9]{5})+)$", run.stdout, re.M)
    assert (project / ".issuebridge" / "team.json").exists()

    run = issuebridge(mate, "--workspace", str(project), "providers")
    assert "(team)" in run.stdout and "needsAuthorization" in run.stdout
    run = issuebridge(
        mate,
        "--workspace",
        str(project),
        "team",
        "unlock",
        "--passphrase-stdin",
        stdin=passphrase + "\n",
    )
    assert run.returncode == 0, run.stderr
    assert "needsAuthorization (Jira" in run.stdout or "needsAuthorization" in run.stdout
    run = issuebridge(
        mate, "--workspace", str(project), "team", "unlock", "--passphrase-stdin", stdin="nope\n"
    )
    assert run.returncode == 1 and "does not unlock" in run.stderr
