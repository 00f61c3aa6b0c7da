"""The terminal client's commands. Each one is a few protocol calls."""

import argparse
import getpass
import os
import sys
import uuid
import webbrowser
from pathlib import Path
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
    if args.oauth:
        return await configure_oauth(args, agent)
    fields = {"baseUrl": args.base_url, "token": read_token(args)}
    result = await agent.request(
        "issuebridge/providers/configure",
        {"providerId": args.provider, "authMethod": "token", "fields": fields},
    )
    render.instance_line(result["instance"])
    return 0


async def configure_oauth(args: argparse.Namespace, agent: AgentConnection) -> int:
    if not args.consumer_key:
        raise SystemExit("error: --oauth needs --consumer-key (from the Application Link)")
    fields = {"baseUrl": args.base_url, "consumerKey": args.consumer_key}
    if args.key_id:
        fields["keyId"] = args.key_id
    elif args.private_key_file:
        fields["privateKey"] = Path(args.private_key_file).read_text(encoding="utf-8")
    else:
        raise SystemExit(
            "error: --oauth needs --key-id (from `issuebridge keys generate`) or --private-key-file"
        )
    result = await agent.request(
        "issuebridge/providers/configure",
        {"providerId": args.provider, "authMethod": "oauth1", "fields": fields},
    )
    render.instance_line(result["instance"])
    print("Next: `issuebridge authorize` to allow access in the browser.")
    return 0


async def generate_key(args: argparse.Namespace, agent: AgentConnection) -> int:
    from agent.auth.keys import fingerprints

    result = await agent.request("issuebridge/keys/generate", {"bits": args.bits})
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


async def authorize(args: argparse.Namespace, agent: AgentConnection) -> int:
    instance = await choose_instance(agent, args.instance)

    async def open_in_browser(params: Any) -> dict[str, bool]:
        url = params["uri"]
        print(f"Opening {url}\nAllow access there; waiting for Jira to send you back…")
        opened = webbrowser.open(url)
        if not opened:
            print("Could not open a browser: open the address above yourself.")
        return {"success": True}

    agent.on_request("window/showDocument", open_in_browser)
    params = {"instanceId": instance["instanceId"], "callback": "oob" if args.oob else "loopback"}
    result = await agent.request("issuebridge/providers/authorize", params)
    if result.get("authorizeUrl"):
        print("Open this address, allow access, and copy the code Jira shows:")
        print(f"  {result['authorizeUrl']}")
        code = input("Verification code: ").strip()
        result = await agent.request(
            "issuebridge/providers/completeAuthorization",
            {"instanceId": instance["instanceId"], "verifier": code},
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


async def team_share(args: argparse.Namespace, agent: AgentConnection) -> int:
    instance = await choose_instance(agent, args.instance)
    result = await agent.request(
        "issuebridge/team/share",
        {
            "instanceId": instance["instanceId"],
            "workspaceFolder": str(Path(args.workspace).resolve()),
        },
    )
    print(f"Shared {instance['baseUrl']} in {result['path']} (commit it with the project).")
    if result.get("passphrase"):
        print("The OAuth key in it is sealed. Passphrase (shown this once; put it in your team's")
        print(f"password manager, never in the repository):\n\n    {result['passphrase']}\n")
        print("Teammates run `issuebridge team unlock`, then `issuebridge authorize`.")
    else:
        print("Teammates configure their own token: `issuebridge configure jira-server ...`.")
    return 0


async def team_unlock(args: argparse.Namespace, agent: AgentConnection) -> int:
    instance = await choose_instance(agent, args.instance)
    if args.passphrase_stdin:
        passphrase = sys.stdin.readline().strip()
    elif os.environ.get("ISSUEBRIDGE_TEAM_PASSPHRASE"):
        passphrase = os.environ["ISSUEBRIDGE_TEAM_PASSPHRASE"]
    else:
        passphrase = getpass.getpass("Team passphrase: ")
    result = await agent.request(
        "issuebridge/team/unlock", {"instanceId": instance["instanceId"], "passphrase": passphrase}
    )
    render.instance_line(result["instance"])
    print("Next: `issuebridge authorize`.")
    return 0
