"""The terminal client configures every provider from the form the agent describes
(`configure PROVIDER --base-url … --field NAME=VALUE`, secrets from stdin) and lists
its issues: a new tracker needs no CLI code."""

import json
import subprocess
import sys
from pathlib import Path

from providers.harness import ProviderHarness
from wire import agent_env

SECRET_KINDS = ("secret", "multilineSecret")


def issuebridge(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=agent_env(home),
        timeout=120,
    )


def test_configure_from_the_form_then_list_the_issues(
    harness: ProviderHarness, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    fields = harness.fields(harness.user)
    listed = json.loads(issuebridge(home, "--json", "providers").stdout)
    (provider,) = [p for p in listed["providers"] if p["id"] == harness.provider_id]
    (method,) = [m for m in provider["authMethods"] if m["id"] == harness.auth_method]
    secret_names = [f["name"] for f in method["fields"] if f["kind"] in SECRET_KINDS]
    assert len(secret_names) == 1, secret_names  # the suite's methods carry one secret
    secret = fields[secret_names[0]]
    flags = [f"--field={name}={value}" for name, value in fields.items() if name != "baseUrl"]
    flags = [f for f in flags if not f.startswith(f"--field={secret_names[0]}=")]
    run = issuebridge(
        home,
        "configure",
        harness.provider_id,
        "--auth",
        harness.auth_method,
        "--base-url",
        fields["baseUrl"],
        *flags,
        "--token-stdin",
        stdin=secret + "\n",
    )
    assert run.returncode == 0, run.stderr
    assert "connected" in run.stdout and secret not in run.stdout + run.stderr

    run = issuebridge(home, "--json", "issues", "--limit", "10000")
    assert run.returncode == 0, run.stderr
    keys = [issue["key"] for issue in json.loads(run.stdout)["issues"]]
    assert keys == harness.expected_open_keys(harness.user)


def test_an_unknown_field_or_method_is_refused_before_anything_is_sent(
    harness: ProviderHarness, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    base = ("configure", harness.provider_id, "--base-url", harness.base_url)
    run = issuebridge(home, *base, "--field", "noSuchField=1")
    assert run.returncode == 2 and "noSuchField" in run.stderr
    run = issuebridge(home, *base, "--auth", "password")
    assert run.returncode == 2 and "password" in run.stderr
    assert harness.list_requests() == 0
