"""How the terminal client shows results to people: providers, instances, tables.
(Errors and --json: agent/cli/output.py.)"""

import shutil
import sys
from typing import Any, TextIO

INSECURE_MARK = "TLS verification OFF"
INSECURE_NOTE = (
    "its certificate is not checked (insecureSkipVerify): anyone on the way can read and "
    "change what is sent; configuring it again without --insecure-skip-verify "
    "turns verification back on"
)


def providers(result: dict[str, Any], out: TextIO = sys.stdout) -> None:
    for provider in result["providers"]:
        out.write(f"{provider['name']} ({provider['id']})\n")
        out.write("  auth methods:\n")
        for method in provider["authMethods"]:
            out.write(f"    {method['id']:<8} {method['label']}: {method['description']}\n")
            fields = ", ".join(_field(f) for f in method["fields"])
            out.write(f"             fields: {fields}\n")
            if method.get("guideUrl"):
                out.write(f"             admin guide: {method['guideUrl']}\n")
        instances = provider["instances"]
        if not instances:
            out.write("  instances: none configured\n")
        for instance in instances:
            instance_line(instance, out, indent="  instance ")


def _field(field: dict[str, Any]) -> str:
    """`name (kind, required, default VALUE)`: what `configure` needs for it."""
    notes = [str(field["kind"])]
    if field["required"]:
        notes.append("required")
    if isinstance(field.get("default"), str):
        notes.append(f"default {field['default']}")
    return f"{field['name']} ({', '.join(notes)})"


def instance_line(instance: dict[str, Any], out: TextIO = sys.stdout, indent: str = "") -> None:
    who = (instance.get("user") or {}).get("displayName")
    line = (
        f"{indent}{instance['instanceId']}: {instance['baseUrl']}"
        f" [{instance['authMethod']}] {instance['state']}"
    )
    if who:
        line += f" as {who}"
    if instance.get("serverVersion"):
        line += f" (Jira {instance['serverVersion']})"
    if instance.get("scope") == "team":
        line += " (team)"
    if instance.get("insecure"):
        line += f" [{INSECURE_MARK}]"
    out.write(line + "\n")
    if instance.get("insecure"):
        out.write(f"    warning: {INSECURE_NOTE}\n")
    if instance.get("error"):
        out.write(f"    error: {instance['error']}\n")


_CATEGORY = {"todo": "To Do", "inProgress": "In Progress", "done": "Done"}


def issues_table(
    issues: list[dict[str, Any]],
    total: int,
    out: TextIO = sys.stdout,
    rows: int | None = None,
    indent: str = "",
) -> None:
    if not issues:
        out.write(f"{indent}No issues.\n")
        return
    shown = issues if rows is None else issues[:rows]
    key_w = max(len(i["key"]) for i in shown)
    status_w = max(len(i["status"]["name"]) for i in shown)
    type_w = max(len(i.get("type") or "") for i in shown)
    title_w = max(20, terminal_width() - key_w - status_w - type_w - 8 - len(indent))
    for issue in shown:
        title = issue["title"]
        if len(title) > title_w:
            title = title[: title_w - 1] + "…"
        out.write(
            f"{indent}{issue['key']:<{key_w}}  {issue['status']['name']:<{status_w}}  "
            f"{issue.get('type') or '':<{type_w}}  {title}\n"
        )
    if rows is not None and len(issues) > rows:
        out.write(f"{indent}… and {len(issues) - rows} more\n")
    note = f" of {total} matching" if total != len(issues) else ""
    out.write(f"{indent}{len(issues)} issues{note}\n")


def terminal_width() -> int:
    return shutil.get_terminal_size((100, 24)).columns
