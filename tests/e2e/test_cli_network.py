"""The terminal client's network settings reach the agent: its config file, the flags
over it, and `configure`'s per-instance settings and secrets."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_cli import issuebridge

from simulators.jira_server import JiraSimulator, SimulatorConfig


@pytest.fixture
def https_jira() -> Iterator[JiraSimulator]:
    """A simulator serving HTTPS with a certificate of its own CA."""
    with JiraSimulator(SimulatorConfig(https=True)) as sim:
        yield sim


def cli_config(home: Path, text: str) -> dict[str, str]:
    """Writes the CLI's config file where it looks by default (the user's config
    directory) and gives the environment that makes it the default."""
    config_home = home.parent / f"{home.name}-xdg"
    (config_home / "issuebridge").mkdir(parents=True, exist_ok=True)
    (config_home / "issuebridge" / "cli.toml").write_text(text, encoding="utf-8")
    return {"XDG_CONFIG_HOME": str(config_home)}


def configure_args(jira: JiraSimulator, *extra: str) -> tuple[str, ...]:
    return ("configure", "jira-server", "--base-url", jira.base_url, "--token-stdin", *extra)


def test_the_config_files_ca_bundle_reaches_the_agent_and_a_flag_wins_over_it(
    home: Path, https_jira: JiraSimulator
) -> None:
    import certifi

    token = https_jira.user("alice").pat + "\n"
    env = cli_config(home, f"[http]\ncaBundle = '{https_jira.ca_cert_path}'\n")
    run = issuebridge(home, *configure_args(https_jira), stdin=token, **env)
    assert run.returncode == 0, run.stderr
    assert "connected as Alice Anderson" in run.stdout

    run = issuebridge(home, "issues", "--limit", "1", **env)
    assert run.returncode == 0, run.stderr
    # A CA bundle on the command line replaces the file's for this run: public CAs only.
    run = issuebridge(home, "--ca-bundle", certifi.where(), "issues", "--limit", "1", **env)
    assert run.returncode == 1
    assert "certificate" in run.stderr.lower()


def test_a_wrong_config_file_stops_before_the_agent_naming_the_key(home: Path) -> None:
    env = cli_config(home, "[http]\ntimeoutSecs = 5\n")
    run = issuebridge(home, "providers", **env)
    assert run.returncode == 2
    assert "cli.toml: http.timeoutSecs: unknown key" in run.stderr
    run = issuebridge(home, "--json", "providers", **env)
    assert run.returncode == 2 and "timeoutSecs" in json.loads(run.stderr)["error"]["message"]


def test_the_timeout_flag_bounds_each_request(home: Path, jira: JiraSimulator) -> None:
    token = jira.user("alice").pat + "\n"
    run = issuebridge(home, *configure_args(jira), stdin=token)
    assert run.returncode == 0, run.stderr
    # The search answers after 60 s: a request bounded at 1 s gives up long before.
    jira.faults.slow_response(seconds=60, times=1, match="/search")
    run = issuebridge(home, "--timeout", "1", "issues", "--fresh", "--limit", "1")
    assert run.returncode == 1
    assert "within 1 second" in run.stderr
