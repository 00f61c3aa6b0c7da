"""`issuebridge demo`: the whole path against the built-in Jira simulator.

It starts the simulator on 127.0.0.1, spawns the agent with a throw-away storage
dir (your real configuration is never touched), and walks through what an editor
does: list providers, configure, authorize, fetch issues.
"""

import os
import tempfile
from typing import Any

from agent.cli import render
from agent.cli.commands import fetch_with_progress
from agent.cli.connection import AgentConnection


def step(number: int, text: str) -> None:
    print(f"\n[{number}] {text}", flush=True)


async def run_demo(verbose: bool = False) -> int:
    from simulators.jira_server import JiraSimulator, SimulatorConfig

    with (
        tempfile.TemporaryDirectory(prefix="issuebridge-demo-") as home,
        JiraSimulator(SimulatorConfig(max_results_cap=50)) as jira,
    ):
        step(1, f"A Jira Server simulator is running at {jira.base_url}")
        print(f"    Jira {jira.config.version}, search pages capped at 50 issues, user alice")
        agent = await AgentConnection.start(
            env={**os.environ, "ISSUEBRIDGE_HOME": home}, verbose=verbose
        )
        try:
            await agent.initialize(show_document=False)
            await _token_path(agent, jira.base_url, jira.user("alice").pat)
        finally:
            await agent.close()
    print("\nDone. Point `issuebridge configure jira-server --base-url …` at your own Jira next.")
    return 0


async def _token_path(agent: AgentConnection, base_url: str, token: str) -> None:
    step(2, "The agent describes its providers (editors render their forms from this):")
    listed = await agent.request("issuebridge/providers/list")
    for provider in listed["providers"]:
        methods = ", ".join(m["id"] for m in provider["authMethods"])
        print(f"    {provider['name']} ({provider['id']}): auth methods {methods}")

    step(
        3, "Configure Jira Server with alice's personal access token (checked against the server):"
    )
    result = await agent.request(
        "issuebridge/providers/configure",
        {
            "providerId": "jira-server",
            "authMethod": "token",
            "fields": {"baseUrl": base_url, "token": token},
        },
    )
    instance: dict[str, Any] = result["instance"]
    render.instance_line(instance, indent="    ")

    step(4, "Fetch alice's open issues, newest first (every page, not just the first 50):")
    fetched = await fetch_with_progress(agent, instance["instanceId"], None, 1000)
    render.issues_table(fetched["issues"], fetched["total"], rows=10)
