"""`issuebridge-sim github`: run the GitHub simulator for a person or another process.

The first stdout line is the API base URL (machine-readable); what follows is for people.
"""

from __future__ import annotations

import argparse
import signal
import threading
from types import FrameType

from .server import GitHubSimulator


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=prog or "issuebridge-sim github",
        description="GitHub REST API simulator on 127.0.0.1",
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument(
        "--enterprise",
        action="store_true",
        help="behave as GitHub Enterprise Server: the API under /api/v3",
    )
    parser.add_argument("--page-size", type=int, default=100, help="cap on per_page")
    parser.add_argument("--latency-ms", type=int, default=0, help="latency added per request")
    parser.add_argument("--seed", type=int, default=1, help="seed of the tokens")
    args = parser.parse_args(argv)
    simulator = GitHubSimulator(args.port, enterprise=args.enterprise, seed=args.seed)
    simulator.page_cap = max(1, args.page_size)
    simulator.faults.latency_seconds = args.latency_ms / 1000

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    simulator.start()
    try:
        print(simulator.api_url, flush=True)
        kind = "GitHub Enterprise Server" if args.enterprise else "GitHub (api.github.com)"
        print(f"{kind} simulator")
        print("Users (login / personal access token):")
        for user in simulator.data.users.values():
            print(f"  {user.login:<8} {user.token}")
        print(f"Admin API: {simulator.base_url}/_sim/state    Stop with Ctrl+C.", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        simulator.stop()
    return 0
