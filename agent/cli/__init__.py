"""`issuebridge`: the terminal client. It spawns the agent and speaks the same
protocol as every editor, so what works here works there."""

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable

from agent.cli.connection import AgentCallError, AgentConnection
from agent.cli.http_options import global_http
from agent.cli.output import CliError, Output
from agent.cli.parser import Parser, build_parser

__all__ = ["build_parser", "main"]

Command = Callable[[argparse.Namespace, AgentConnection], Awaitable[int]]


def _options(args: argparse.Namespace) -> dict[str, object]:
    """`initializationOptions`: the network settings of the config file and the flags."""
    http = global_http(args)
    return {"http": http} if http else {}


async def _run(args: argparse.Namespace) -> int:
    run: Command = args.run
    out: Output = args.output
    options = _options(args)  # a bad config file stops here, before the agent starts
    agent = await AgentConnection.start(verbose=args.verbose)
    try:
        await agent.initialize(workspace=args.workspace, options=options)
        return await run(args, agent)
    except AgentCallError as exc:
        out.agent_error(exc)
        return 1
    finally:
        await agent.close()


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    Parser.json_errors = "--json" in words
    args = build_parser().parse_args(words)
    out = args.output = Output(json_mode=bool(getattr(args, "json", False)))
    try:
        if args.command == "demo":
            if out.json:
                raise CliError("the demo prints a walk-through for people; it has no --json", 2)
            from agent.cli.demo import run_demo

            return asyncio.run(run_demo(verbose=args.verbose))
        return asyncio.run(_run(args))
    except CliError as exc:
        out.cli_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
