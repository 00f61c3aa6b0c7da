"""``issuebridge-sim gitlab``: run the GitLab simulator for a person or another process.

The first stdout line is the base URL (machine-readable); what follows is for people.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from .server import GitLabSimulator


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=prog or "python -m simulators.gitlab", description="GitLab simulator on 127.0.0.1"
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the generated data")
    parser.add_argument("--page-size", type=int, default=100, help="cap on per_page")
    parser.add_argument("--latency-ms", type=int, default=0, help="latency added per request")
    args = parser.parse_args(argv)
    simulator = GitLabSimulator(port=args.port, seed=args.seed)
    simulator.page_size = max(1, args.page_size)
    simulator.faults.latency_seconds = args.latency_ms / 1000
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    simulator.start()
    try:
        print(simulator.base_url, flush=True)
        print("GitLab simulator (REST API v4 under /api/v4)")
        print("Users (username / personal access token):")
        for user in simulator.users:
            print(f"  {user.username:<8} {user.token}   {user.name}")
        print(f"Admin API: {simulator.base_url}/_sim/state    Stop with Ctrl+C.", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
