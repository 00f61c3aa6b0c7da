"""The terminal client's commands. Each one is a few protocol calls."""

import argparse
import getpass
import os
import sys
import uuid
from typing import Any

from agent.cli import render
from agent.cli.connection import AgentConnection
from agent.cli.progress import ProgressBar

TOKEN_ENV = "ISSUEBRIDGE_TOKEN"


async def providers(args: argparse.Namespace, agent: AgentConnection) -> int:
    render.providers(await agent.request("issuebridge/providers/list"))
    return 0


def read_token(args: argparse.Namespace) -> str:
    """The token from --token, stdin, $ISSUEBRIDGE_TOKEN, or a hidden prompt."""
    if args.token:
        return str(args.token)
    if args.token_stdin:
        return sys.stdin.readline().strip()
    if os.environ.get(TOKEN_ENV):
        return os.environ[TOKEN_ENV]
    if sys.stdin.isatty():
        return getpass.getpass("Personal access token: ")
    raise SystemExit(
        f"error: no token given; pipe it with --token-stdin, set ${TOKEN_ENV}, or run in a terminal"
    )


async def configure(args: argparse.Namespace, agent: AgentConnection) -> int:
    fields = {"baseUrl": args.base_url, "token": read_token(args)}
    result = await agent.request(
        "issuebridge/providers/configure",
        {"providerId": args.provider, "authMethod": "token", "fields": fields},
    )
    render.instance_line(result["instance"])
    return 0


async def choose_instance(agent: AgentConnection, wanted: str | None) -> dict[str, Any]:
    listed = await agent.request("issuebridge/providers/list")
    instances = [i for p in listed["providers"] for i in p["instances"]]
    if wanted:
        for instance in instances:
            if wanted in (instance["instanceId"], instance["baseUrl"]):
                return dict(instance)
        raise SystemExit(f"error: no instance {wanted!r}; `issuebridge providers` lists them")
    if len(instances) == 1:
        return dict(instances[0])
    if not instances:
        raise SystemExit("error: nothing configured yet; run `issuebridge configure jira-server`")
    names = ", ".join(f"{i['instanceId']} ({i['baseUrl']})" for i in instances)
    raise SystemExit(f"error: several instances; pick one with --instance: {names}")


async def issues(args: argparse.Namespace, agent: AgentConnection) -> int:
    instance = await choose_instance(agent, args.instance)
    result = await fetch_with_progress(agent, instance["instanceId"], args.jql, args.limit)
    render.issues_table(result["issues"], result["total"])
    return 0


async def fetch_with_progress(
    agent: AgentConnection, instance_id: str, jql: str | None, limit: int
) -> dict[str, Any]:
    bar = ProgressBar(f"cli-{uuid.uuid4()}")
    agent.on_notification("$/progress", bar.on_progress)
    params: dict[str, Any] = {"instanceId": instance_id, "limit": limit, "workDoneToken": bar.token}
    if jql:
        params["jql"] = jql
    try:
        return dict(await agent.request("issuebridge/issues/fetch", params))
    finally:
        bar.finish()


async def disconnect(args: argparse.Namespace, agent: AgentConnection) -> int:
    instance = await choose_instance(agent, args.instance)
    await agent.request(
        "issuebridge/providers/disconnect",
        {"instanceId": instance["instanceId"], "forget": args.forget},
    )
    print(f"{'Forgot' if args.forget else 'Disconnected'} {instance['baseUrl']}")
    return 0
