"""How the terminal client shows things: providers, errors, tables, progress."""

import shutil
import sys
from typing import Any, TextIO

from agent.cli.connection import AgentCallError


def providers(result: dict[str, Any], out: TextIO = sys.stdout) -> None:
    for provider in result["providers"]:
        out.write(f"{provider['name']} ({provider['id']})\n")
        out.write("  auth methods:\n")
        for method in provider["authMethods"]:
            out.write(f"    {method['id']:<8} {method['label']}: {method['description']}\n")
            fields = ", ".join(
                f"{f['name']} ({f['kind']}{', required' if f['required'] else ''})"
                for f in method["fields"]
            )
            out.write(f"             fields: {fields}\n")
        instances = provider["instances"]
        if not instances:
            out.write("  instances: none configured\n")
        for instance in instances:
            who = instance.get("user", {}).get("displayName")
            line = (
                f"  instance {instance['instanceId']}: {instance['baseUrl']}"
                f" [{instance['authMethod']}] {instance['state']}"
            )
            if who:
                line += f" as {who}"
            if instance.get("scope") == "team":
                line += " (team)"
            out.write(line + "\n")
            if instance.get("error"):
                out.write(f"    error: {instance['error']}\n")


def error(exc: AgentCallError, out: TextIO = sys.stderr) -> None:
    out.write(f"error: {exc.message}\n")
    if exc.hint:
        out.write(f"  hint: {exc.hint}\n")


def terminal_width() -> int:
    return shutil.get_terminal_size((100, 24)).columns
