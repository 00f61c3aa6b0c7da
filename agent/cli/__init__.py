"""`issuebridge`: the terminal client. It spawns the agent and speaks the same
protocol as every editor, so what works here works there."""

import argparse
import asyncio
from collections.abc import Awaitable, Callable

from agent.cli import render
from agent.cli.connection import AgentCallError, AgentConnection

Command = Callable[[argparse.Namespace, AgentConnection], Awaitable[int]]


async def cmd_providers(args: argparse.Namespace, agent: AgentConnection) -> int:
    render.providers(await agent.request("issuebridge/providers/list"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="issuebridge",
        description="Issue trackers from the terminal, through the issuebridge agent.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show the agent's log")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    providers = commands.add_parser("providers", help="list providers, auth methods and instances")
    providers.set_defaults(run=cmd_providers)
    return parser


async def _run(args: argparse.Namespace) -> int:
    run: Command = args.run
    agent = await AgentConnection.start(verbose=args.verbose)
    try:
        await agent.initialize()
        return await run(args, agent)
    except AgentCallError as exc:
        render.error(exc)
        return 1
    finally:
        await agent.close()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(_run(args))
    except KeyboardInterrupt:
        return 130
