"""``issuebridge-sim youtrack``: run the YouTrack simulator for a person or another process.

The first stdout line is the base URL (machine-readable); what follows is for people.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from .server import YouTrackSimulator


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=prog or "python -m simulators.youtrack", description="YouTrack simulator on 127.0.0.1"
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument(
        "--context-path", default="", help='context path, e.g. "/youtrack" (Server); "" for Cloud'
    )
    parser.add_argument("--seed", type=int, default=1, help="seed for the generated data")
    parser.add_argument("--issues", type=int, default=80, help="number of seeded issues")
    parser.add_argument("--page-size", type=int, default=None, help="cap on $top")
    parser.add_argument("--latency-ms", type=int, default=0, help="latency added per request")
    args = parser.parse_args(argv)
    simulator = YouTrackSimulator(args.port, args.context_path, args.seed, args.issues)
    simulator.page_size = args.page_size
    simulator.latency_seconds = args.latency_ms / 1000
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    simulator.start()
    try:
        print(simulator.base_url, flush=True)
        print("YouTrack simulator. Users (login / permanent token):")
        for user in simulator.store.users.values():
            print(f"  {user.login:<8} {user.token}   {user.full_name}")
        print(f"Admin API: {simulator.base_url}/_sim/state    Stop with Ctrl+C.", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
