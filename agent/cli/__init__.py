"""`issuebridge`: the terminal client. It spawns the agent and speaks the same
protocol as every editor, so what works here works there."""

import argparse
import asyncio
from collections.abc import Awaitable, Callable

from agent.cli import commands as cli_commands
from agent.cli import render
from agent.cli.connection import AgentCallError, AgentConnection

Command = Callable[[argparse.Namespace, AgentConnection], Awaitable[int]]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="issuebridge",
        description="Issue trackers from the terminal, through the issuebridge agent.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show the agent's log")
    parser.add_argument(
        "--workspace",
        default=".",
        help="the project folder whose .issuebridge/team.json is read (default: here)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    providers = commands.add_parser("providers", help="list providers, auth methods and instances")
    providers.set_defaults(run=cli_commands.providers)

    configure = commands.add_parser(
        "configure",
        help="configure a server (personal access token, or OAuth 1.0a with --oauth)",
        description="With a token: it is read from --token-stdin, $ISSUEBRIDGE_TOKEN, or a "
        "hidden prompt (--token works too but leaves it in your shell history). With --oauth: "
        "the Application Link's consumer key and a generated key (--key-id) or a PEM file.",
    )
    configure.add_argument("provider", choices=["jira-server"])
    configure.add_argument("--base-url", required=True, help="e.g. https://jira.example.com/jira")
    configure.add_argument("--token", help=argparse.SUPPRESS)
    configure.add_argument("--token-stdin", action="store_true", help="read the token from stdin")
    configure.add_argument("--oauth", action="store_true", help="OAuth 1.0a (Application Link)")
    configure.add_argument("--consumer-key", help="the Application Link's consumer key")
    configure.add_argument("--key-id", help="a key from `issuebridge keys generate`")
    configure.add_argument("--private-key-file", help="an RSA private key (PEM) instead")
    configure.set_defaults(run=cli_commands.configure)

    keys = commands.add_parser("keys", help="RSA key pairs for OAuth 1.0a")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="COMMAND")
    generate = keys_commands.add_parser(
        "generate", help="generate a key pair; prints the public key"
    )
    generate.add_argument("--bits", type=int, default=2048, choices=[2048, 3072, 4096])
    generate.set_defaults(run=cli_commands.generate_key)

    authorize = commands.add_parser("authorize", help="allow access in the browser (OAuth 1.0a)")
    authorize.add_argument("--instance", help="instance id or base URL (when several)")
    authorize.add_argument(
        "--oob", action="store_true", help="no browser callback: paste the code Jira shows"
    )
    authorize.set_defaults(run=cli_commands.authorize)

    issues = commands.add_parser("issues", help="list issues (yours and open, or a JQL query)")
    issues.add_argument("--instance", help="instance id or base URL (when several)")
    issues.add_argument("--jql", help="a JQL query instead of your open issues")
    issues.add_argument("--limit", type=int, default=1000, help="at most this many (1-10000)")
    issues.set_defaults(run=cli_commands.issues)

    team = commands.add_parser("team", help="share a configuration with the team, or unlock one")
    team_commands = team.add_subparsers(dest="team_command", required=True, metavar="COMMAND")
    share = team_commands.add_parser(
        "share", help="write .issuebridge/team.json in the workspace (no secret in the clear)"
    )
    share.add_argument("--instance", help="instance id or base URL (when several)")
    share.set_defaults(run=cli_commands.team_share)
    unlock = team_commands.add_parser(
        "unlock",
        help="unlock the team's OAuth key with the passphrase",
        description="The passphrase is read from --passphrase-stdin, "
        "$ISSUEBRIDGE_TEAM_PASSPHRASE, or a hidden prompt.",
    )
    unlock.add_argument("--instance", help="instance id or base URL (when several)")
    unlock.add_argument("--passphrase-stdin", action="store_true")
    unlock.set_defaults(run=cli_commands.team_unlock)

    disconnect = commands.add_parser("disconnect", help="remove your credentials for an instance")
    disconnect.add_argument("--instance", help="instance id or base URL (when several)")
    disconnect.add_argument("--forget", action="store_true", help="remove the instance too")
    disconnect.set_defaults(run=cli_commands.disconnect)

    demo = commands.add_parser(
        "demo", help="run a Jira simulator and show configure, authorize and issues against it"
    )
    demo.set_defaults(run=None)
    return parser


async def _run(args: argparse.Namespace) -> int:
    run: Command = args.run
    agent = await AgentConnection.start(verbose=args.verbose)
    try:
        await agent.initialize(workspace=args.workspace)
        return await run(args, agent)
    except AgentCallError as exc:
        render.error(exc)
        return 1
    finally:
        await agent.close()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo":
            from agent.cli.demo import run_demo

            return asyncio.run(run_demo(verbose=args.verbose))
        return asyncio.run(_run(args))
    except KeyboardInterrupt:
        return 130
