"""The terminal client spawns the agent and speaks the same protocol."""

import subprocess
import sys
from pathlib import Path

from wire import agent_env


def test_providers_lists_jira_server_and_its_forms(home: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "agent.cli", "providers"],
        capture_output=True,
        text=True,
        env=agent_env(home),
        timeout=30,
    )
    assert run.returncode == 0, run.stderr
    assert "Jira Server / Data Center (jira-server)" in run.stdout
    assert "token (secret, required)" in run.stdout
    assert "consumerKey (text, required)" in run.stdout
    assert "instances: none configured" in run.stdout
