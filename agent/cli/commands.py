"""The terminal client's commands. Each one is a few protocol calls; `configure` and
`authorize` live in their own modules (agent/cli/configure.py, agent/cli/authorize.py)."""

import argparse
import getpass
import os
import sys
import uuid
from pathlib import Path
from typing import Any

from agent.cli import render, stale
from agent.cli.connection import AgentConnection
from agent.cli.instances import choose_instance
from agent.cli.output import CliError, Output
from agent.cli.progress import ProgressBar


async def providers(args: argparse.Namespace, agent: AgentConnection) -> int:
    result = await agent.request("issuebridge/providers/list")
    if not args.output.result(result):
        render.providers(result)
    return 0


async def generate_key(args: argparse.Namespace, agent: AgentConnection) -> int:
    from agent.auth.keys import fingerprints

    result = await agent.request("issuebridge/keys/generate", {"bits": args.bits})
    if args.output.result(result):
        return 0
    prints = fingerprints(result["publicKeyPem"])
    print(f"Key id: {result['keyId']}  (the private key stays in issuebridge's secret store)")
    print(f"Fingerprints: {prints['sha256']}  MD5 {prints['md5']}")
    print("Public key for the Jira admin (Application Link > Incoming Authentication):\n")
    print(result["publicKeyPem"])
    print(
        "Then: issuebridge configure jira-server --oauth --base-url URL "
        f"--consumer-key KEY --key-id {result['keyId']}"
    )
    return 0


async def issues(args: argparse.Namespace, agent: AgentConnection) -> int:
    out: Output = args.output
    instance = await choose_instance(agent, args.instance, out)
    result = await fetch_with_progress(
        agent, instance["instanceId"], args.query, args.limit, show=not out.json, fresh=args.fresh
    )
    offline = stale.note(result)
    if offline:  # on stderr, before the list: stdout stays the list (or the JSON) alone
        print(offline, file=sys.stderr, flush=True)
    if not out.result(result):
        render.issues_table(result["issues"], result["total"])
    return 0


async def fetch_with_progress(
    agent: AgentConnection,
    instance_id: str,
    query: str | None,
    limit: int,
    show: bool = True,
    fresh: bool = False,
) -> dict[str, Any]:
    params: dict[str, Any] = {"instanceId": instance_id, "limit": limit}
    if query is not None:  # in the tracker's own syntax (JQL for Jira)
        params["query"] = query
    if fresh:
        params["fresh"] = True
    if not show:
        return dict(await agent.request("issuebridge/issues/fetch", params))
    bar = ProgressBar(f"cli-{uuid.uuid4()}")
    agent.on_notification("$/progress", bar.on_progress)
    params["workDoneToken"] = bar.token
    try:
        return dict(await agent.request("issuebridge/issues/fetch", params))
    finally:
        bar.finish()


async def disconnect(args: argparse.Namespace, agent: AgentConnection) -> int:
    out: Output = args.output
    instance = await choose_instance(agent, args.instance, out)
    await agent.request(
        "issuebridge/providers/disconnect",
        {"instanceId": instance["instanceId"], "forget": args.forget},
    )
    summary = {"instanceId": instance["instanceId"], "baseUrl": instance["baseUrl"]}
    if not out.result({**summary, "forgotten": args.forget}):
        print(f"{'Forgot' if args.forget else 'Disconnected'} {instance['baseUrl']}")
    return 0


async def team_share(args: argparse.Namespace, agent: AgentConnection) -> int:
    out: Output = args.output
    instance = await choose_instance(agent, args.instance, out)
    result = await agent.request(
        "issuebridge/team/share",
        {
            "instanceId": instance["instanceId"],
            "workspaceFolder": str(Path(args.workspace).resolve()),
        },
    )
    if out.result(result):
        return 0
    print(f"Shared {instance['baseUrl']} in {result['path']} (commit it with the project).")
    if result.get("passphrase"):
        # The OAuth 1.0a private key or the OAuth 2.0 client secret: whichever it has.
        print("Its secret is sealed. Passphrase (shown this once; put it in your team's")
        print(f"password manager, never in the repository):\n\n    {result['passphrase']}\n")
        print("Teammates run `issuebridge team unlock`, then `issuebridge authorize`.")
    else:
        print("Teammates configure their own token: `issuebridge configure jira-server ...`.")
    return 0


async def team_unlock(args: argparse.Namespace, agent: AgentConnection) -> int:
    out: Output = args.output
    instance = await choose_instance(agent, args.instance, out)
    if args.passphrase_stdin:
        passphrase = sys.stdin.readline().strip()
    elif os.environ.get("ISSUEBRIDGE_TEAM_PASSPHRASE"):
        passphrase = os.environ["ISSUEBRIDGE_TEAM_PASSPHRASE"]
    elif sys.stdin.isatty():
        passphrase = getpass.getpass("Team passphrase: ")
    else:
        raise CliError(
            "no passphrase given; pipe it with --passphrase-stdin, set "
            "$ISSUEBRIDGE_TEAM_PASSPHRASE, or run in a terminal",
            2,
        )
    result = await agent.request(
        "issuebridge/team/unlock", {"instanceId": instance["instanceId"], "passphrase": passphrase}
    )
    if not out.result(result):
        render.instance_line(result["instance"])
        print("Next: `issuebridge authorize`.")
    return 0
