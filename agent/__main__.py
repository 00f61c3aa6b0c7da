"""`issuebridge-agent --stdio` / `python -m agent --stdio`."""

import argparse
import gc
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="issuebridge-agent",
        description="The issuebridge agent: editors spawn it and speak JSON-RPC (LSP framing).",
    )
    parser.add_argument("--stdio", action="store_true", help="speak JSON-RPC on stdin/stdout")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    args = parser.parse_args(argv)
    if args.version:
        from agent import __version__

        print(__version__)
        return 0
    if not args.stdio:
        parser.error("--stdio is the only transport; editors start the agent with it")

    # Start-up allocates hundreds of thousands of long-lived objects (lsprotocol's
    # types above all); cyclic GC passes over them are wasted work. Collect nothing
    # until the server is built, then freeze those objects out of later passes.
    gc.disable()
    from agent import logs
    from agent.rpc import stdio
    from agent.server import build_server

    logs.configure()
    server, agent = build_server()
    logs.attach_editor(agent.client.log_message)
    gc.freeze()
    gc.enable()
    code = stdio.run(server.protocol)  # type: ignore[arg-type]
    sys.stderr.flush()
    # Exit now: the stdin reader thread may be blocked in read(), and nothing
    # else is left to finish (stored state is always written atomically).
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
