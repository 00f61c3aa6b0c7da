"""The terminal client's network settings reach the agent: its config file, the flags
over it, and `configure`'s per-instance settings and secrets."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def stored(home: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((home / "config.json").read_text(encoding="utf-8"))
    return data


def test_configure_keeps_the_instances_own_settings_and_their_secrets_apart(
    home: Path, jira: JiraSimulator
) -> None:
    password, passphrase = "proxy-pw-Vb38qLx1", "key-pass-Tn52mRw9"
    # The token, then the proxy's password, then the key's passphrase: one line each.
    stdin = f"{jira.user('alice').pat}\n{password}\n{passphrase}\n"
    run = issuebridge(
        home,
        *configure_args(jira, "--timeout", "45", "--proxy-password-stdin"),
        "--client-key-passphrase-stdin",
        stdin=stdin,
    )
    assert run.returncode == 0, run.stderr
    assert "connected as Alice Anderson" in run.stdout
    instance_id, saved = next(iter(stored(home)["instances"].items()))
    assert saved["http"] == {"timeoutSeconds": 45}
    files = b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
    assert password.encode() in files and passphrase.encode() in files  # in secrets.json
    for secret in (password, passphrase):
        assert secret not in run.stdout + run.stderr
        assert secret not in (home / "config.json").read_text(encoding="utf-8")

    # Its own timeout (45 s) wins over the global one given for the run (1 s): the
    # answer after 3 s arrives.
    jira.faults.slow_response(seconds=3, times=1, match="/search")
    run = issuebridge(home, "--timeout", "1", "issues", "--fresh", "--limit", "1")
    assert run.returncode == 0, run.stderr
    assert instance_id


def test_an_instance_without_tls_verification_is_marked_everywhere(home: Path) -> None:
    with JiraSimulator(SimulatorConfig(https=True)) as jira:
        token = jira.user("alice").pat + "\n"
        # From a script it must be confirmed explicitly; nothing is configured otherwise.
        run = issuebridge(home, *configure_args(jira, "--insecure-skip-verify"), stdin=token)
        assert run.returncode == 2
        assert "turns TLS certificate verification OFF" in run.stderr
        assert "--confirm-insecure" in run.stderr
        assert "instances: none configured" in issuebridge(home, "providers").stdout

        run = issuebridge(
            home,
            *configure_args(jira, "--insecure-skip-verify", "--confirm-insecure"),
            stdin=token,
        )
        assert run.returncode == 0, run.stderr
        assert "warning: --insecure-skip-verify turns TLS certificate verification OFF" in (
            run.stderr
        )
        assert "[TLS verification OFF]" in run.stdout

        run = issuebridge(home, "providers")
        assert run.returncode == 0, run.stderr
        line = next(x for x in run.stdout.splitlines() if jira.base_url in x)
        assert line.endswith("[TLS verification OFF]")
        assert "    warning: its certificate is not checked" in run.stdout
        listed = json.loads(issuebridge(home, "--json", "providers").stdout)
        assert listed["providers"][0]["instances"][0]["insecure"] is True

        run = issuebridge(home, "issues", "--limit", "1")
        assert run.returncode == 0, run.stderr
        assert f"warning: TLS verification OFF for {jira.base_url}" in run.stderr

        # Configured again without it: verified again, so refused (an unknown CA) until trusted.
        run = issuebridge(home, *configure_args(jira), stdin=token)
        assert run.returncode == 1 and "certificate" in run.stderr.lower()
        run = issuebridge(
            home, "--ca-bundle", str(jira.ca_cert_path), *configure_args(jira), stdin=token
        )
        assert run.returncode == 0, run.stderr
        assert "TLS verification OFF" not in issuebridge(home, "providers").stdout
