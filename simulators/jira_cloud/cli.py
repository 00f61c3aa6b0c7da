"""``issuebridge-sim jira-cloud``: run the Jira Cloud simulator for a person or a process.

The first stdout line is the base URL (machine-readable); what follows is for people.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from .server import MAX_PAGE, JiraCloudSimulator


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=prog or "python -m simulators.jira_cloud",
        description="Jira Cloud (REST API v3) simulator on 127.0.0.1, plain http",
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--page-size", type=int, default=MAX_PAGE, help="cap on search pages")
    parser.add_argument("--latency-ms", type=int, default=0, help="latency added per request")
    parser.add_argument("--seed", type=int, default=1, help="seed for the generated data")
    args = parser.parse_args(argv)
    simulator = JiraCloudSimulator(port=args.port, seed=args.seed)
    simulator.page_cap = max(1, args.page_size)
    simulator.latency_seconds = args.latency_ms / 1000

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    simulator.start()
    try:
        print(simulator.base_url, flush=True)
        print("Jira Cloud simulator. Users (email / API token / accountId):")
        for user in simulator.users:
            print(f"  {user.email:<20} {user.api_token}  {user.account_id}")
        print(f"Admin API: {simulator.base_url}/_sim/state    Stop with Ctrl+C.", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
