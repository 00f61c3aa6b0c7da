"""``issuebridge-sim <simulator> ...``: start one of the bundled simulators.

Each subpackage of `simulators` is one tracker's stand-in: its `SIMULATOR` (the name on
the command line, e.g. ``jira-server``) and `DESCRIPTION` in its ``__init__``, and
``cli.main(argv, prog)``. Adding a simulator is adding a folder; nothing here names one.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from types import ModuleType

import simulators as simulators_package


def available() -> dict[str, ModuleType]:
    """The simulators by command-line name."""
    found: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(simulators_package.__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        package = importlib.import_module(f"{simulators_package.__name__}.{info.name}")
        name = getattr(package, "SIMULATOR", None)
        if isinstance(name, str):
            found[name] = package
    return found


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    simulators = available()
    names = "|".join(simulators)
    if not args or args[0] in ("-h", "--help"):
        print(f"usage: issuebridge-sim {{{names}}} [options]\n\nsimulators:")
        for name, package in simulators.items():
            print(f"  {name:<12} {getattr(package, 'DESCRIPTION', '')}")
        return 0 if args else 2
    name, rest = args[0], args[1:]
    chosen = simulators.get(name)
    if chosen is None:
        print(f"issuebridge-sim: unknown simulator {name!r} (known: {names})", file=sys.stderr)
        return 2
    cli = importlib.import_module(f"{chosen.__name__}.cli")
    status: int = cli.main(rest, prog=f"issuebridge-sim {name}")
    return status


if __name__ == "__main__":
    sys.exit(main())
