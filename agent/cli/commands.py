"""The terminal client's commands. Each one is a few protocol calls; `authorize`
lives in its own module (agent/cli/authorize.py)."""

import argparse
import getpass
import os
import sys
import uuid
from pathlib import Path
from typing import Any

from agent.cli import http_options, render, stale
from agent.cli.connection import AgentConnection
from agent.cli.instances import choose_instance, normalised
from agent.cli.output import CliError, Output
from agent.cli.progress import ProgressBar

TOKEN_ENV = "ISSUEBRIDGE_TOKEN"


async def providers(args: argparse.Namespace, agent: AgentConnection) -> int:
    result = await agent.request("issuebridge/providers/list")
    if not args.output.result(result):
        render.providers(result)
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
    raise CliError(
        f"no token given; pipe it with --token-stdin, set ${TOKEN_ENV}, or run in a terminal", 2
    )


def _about_configure(args: argparse.Namespace, auth_method: str) -> Output:
    out: Output = args.output
    out.context.provider_id = args.provider
    out.context.base_url = normalised(args.base_url) or args.base_url.strip()
    out.context.auth_method = auth_method
    out.context.consumer_key = args.consumer_key
    return out


def network_params(args: argparse.Namespace) -> dict[str, Any]:
    """`configure`'s `http` and `httpSecrets` from its flags, stdin, env or prompts
    (after the token: its line on stdin comes first)."""
    http = http_options.instance_http(args)
    effective = {**http_options.global_http(args), **http}
    secrets = http_options.read_http_secrets(args, effective)
    params: dict[str, Any] = {}
    if http:
        params["http"] = http
    if secrets:
        params["httpSecrets"] = secrets
    return params


async def configure(args: argparse.Namespace, agent: AgentConnection) -> int:
    if args.oauth:
        return await configure_oauth(args, agent)
    out = _about_configure(args, "token")
    http_options.confirm_insecure(args, out.context.base_url or args.base_url, out)
    fields = {"baseUrl": args.base_url, "token": read_token(args)}
    result = await agent.request(
        "issuebridge/providers/configure",
        {
            "providerId": args.provider,
            "authMethod": "token",
            "fields": fields,
            **network_params(args),
        },
    )
    if not out.result(result):
        render.instance_line(result["instance"])
    return 0


async def configure_oauth(args: argparse.Namespace, agent: AgentConnection) -> int:
    out = _about_configure(args, "oauth1")
    if not args.consumer_key:
        raise CliError("--oauth needs --consumer-key (from the Application Link)", 2)
    http_options.confirm_insecure(args, out.context.base_url or args.base_url, out)
    fields = {"baseUrl": args.base_url, "consumerKey": args.consumer_key}
    if args.key_id:
        fields["keyId"] = args.key_id
    elif args.private_key_file:
        fields["privateKey"] = Path(args.private_key_file).read_text(encoding="utf-8")
    else:
        raise CliError(
            "--oauth needs --key-id (from `issuebridge keys generate`) or --private-key-file", 2
        )
    result = await agent.request(
        "issuebridge/providers/configure",
        {
            "providerId": args.provider,
            "authMethod": "oauth1",
            "fields": fields,
            **network_params(args),
        },
    )
    if not out.result(result):
        render.instance_line(result["instance"])
        print("Next: `issuebridge authorize` to allow access in the browser.")
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
        agent, instance["instanceId"], args.jql, args.limit, show=not out.json, fresh=args.fresh
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
    jql: str | None,
    limit: int,
    show: bool = True,
    fresh: bool = False,
) -> dict[str, Any]:
    params: dict[str, Any] = {"instanceId": instance_id, "limit": limit}
    if jql is not None:
        params["jql"] = jql
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
        print("The OAuth key in it is sealed. Passphrase (shown this once; put it in your team's")
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
