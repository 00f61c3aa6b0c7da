"""``issuebridge-sim <simulator> ...``: start one of the bundled simulators."""

from __future__ import annotations

import sys

SIMULATORS = {"jira-server": "Jira Server / Data Center"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: issuebridge-sim {jira-server} [options]\n\nsimulators:")
        for name, what in SIMULATORS.items():
            print(f"  {name:<12} {what}")
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name == "jira-server":
        from .jira_server.cli import main as jira_main

        return jira_main(rest, prog="issuebridge-sim jira-server")
    print(f"issuebridge-sim: unknown simulator {name!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
