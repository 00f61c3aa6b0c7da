"""``python -m simulators.jira_server``: run the simulator for a person or another process.

The first stdout line is the base URL (machine-readable); what follows is for people.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from .config import SimulatorConfig
from .server import JiraSimulator
from .tls import TLS_MODES


def build_parser(prog: str = "python -m simulators.jira_server") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Jira Server simulator on 127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument(
        "--version",
        dest="jira_version",
        default="9.12.0",
        help="Jira version to report and behave as (e.g. 8.5.0, 8.20.0)",
    )
    parser.add_argument("--context-path", default="/jira", help='context path ("" for none)')
    parser.add_argument("--cap", type=int, default=1000, help="server cap on search maxResults")
    parser.add_argument("--https", action="store_true", help="serve TLS with a generated CA")
    parser.add_argument(
        "--tls-mode",
        choices=TLS_MODES,
        default="good",
        help="the server certificate with --https: good (127.0.0.1, localhost), wrong-host "
        "(other names), expired, or self-signed",
    )
    parser.add_argument(
        "--auto-approve",
        metavar="USER",
        default=None,
        help='approve OAuth authorize requests as USER ("deny" to deny)',
    )
    parser.add_argument("--latency-ms", type=int, default=0, help="latency added per request")
    parser.add_argument("--seed", type=int, default=1, help="seed for the generated data")
    parser.add_argument("--issues", type=int, default=300, help="number of seeded issues")
    parser.add_argument(
        "--consumer",
        action="append",
        default=[],
        metavar="KEY=PEMFILE",
        help="add an OAuth consumer (Application Link) with this public key",
    )
    parser.add_argument(
        "--oauth2-client",
        action="append",
        default=[],
        metavar="REDIRECT_URI",
        help="add an OAuth 2.0 client (incoming link, scope WRITE) with this redirect URL; "
        "its client id and secret are printed at start (Jira 8.22+)",
    )
    return parser


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = build_parser(prog or "python -m simulators.jira_server")
    args = parser.parse_args(argv)
    config = SimulatorConfig(
        version=args.jira_version,
        context_path=args.context_path,
        max_results_cap=args.cap,
        seed=args.seed,
        issue_count=args.issues,
        https=args.https,
        tls_mode=args.tls_mode,
        oauth_auto_approve=args.auto_approve,
        port=args.port,
    )
    simulator = JiraSimulator(config)
    simulator.faults.latency_seconds = args.latency_ms / 1000
    for spec in args.consumer:
        key, sep, path = spec.partition("=")
        if not sep:
            parser.error(f"--consumer expects KEY=PEMFILE, got {spec!r}")
        simulator.add_oauth_consumer(key, Path(path).read_text())
    oauth2_clients = [simulator.add_oauth2_client(uri) for uri in args.oauth2_client]

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    simulator.start()
    try:
        print(simulator.base_url, flush=True)
        print(f"Jira {config.version} simulator (context path {config.context_path or '/'!r})")
        if simulator.ca_cert_path:
            print(f"CA certificate: {simulator.ca_cert_path}")
        print("Users (name / password / personal access token):")
        for user in simulator.users:
            print(f"  {user.name:<8} {user.password:<8} {user.pat}   {user.display_name}")
        for client in oauth2_clients:
            print(
                f"OAuth 2.0 client: id {client.client_id} secret {client.client_secret} "
                f"redirect {client.redirect_uri} scope {client.scope}"
            )
        print(f"Admin API: {simulator.base_url}/_sim/state    Stop with Ctrl+C.", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
