"""`issuebridge create`: a new issue from the project's create form.

The project and issue type come from --project and --type or are picked from
numbered lists; the fields are those `issues/createForm` answers, given with
--summary and --field NAME=VALUE or asked one by one (agent/cli/prompts.py: in a
terminal every field not given, required ones marked `*`; from a pipe only the
required ones). Jira's per-field rejections are printed beside the fields' labels.
"""

import argparse
from typing import Any

from agent.cli.connection import AgentCallError, AgentConnection
from agent.cli.fields import (
    FieldInputError,
    FieldValue,
    FormField,
    describe,
    field_namer,
    find_field,
    is_empty,
    parse_assignment,
    parse_value,
)
from agent.cli.instances import choose_instance
from agent.cli.output import CliError, Output
from agent.cli.prompts import Prompter
from protocol import methods

_KIND_HINTS = {
    "select": "a number or name",
    "multiSelect": "numbers or names, comma-separated",
    "labels": "comma-separated, no spaces in a label",
    "date": "YYYY-MM-DD",
    "number": "a number",
    "user": "a user name",
}


async def _project(args: argparse.Namespace, agent: AgentConnection, instance_id: str) -> str:
    if args.project:
        return str(args.project).strip()
    listed = await agent.request(methods.PROJECTS_LIST, {"instanceId": instance_id})
    projects = listed["projects"]
    if not projects:
        raise CliError("this instance shows you no projects to create issues in")
    if len(projects) == 1:
        return str(projects[0]["key"])
    index = Prompter(args.output).choose(
        "Project:",
        [f"{p['key']}  {p['name']}" for p in projects],
        instead="pass --project KEY",
        names=[str(p["key"]) for p in projects],
    )
    return str(projects[index]["key"])


async def _form(
    args: argparse.Namespace, agent: AgentConnection, instance_id: str, project: str
) -> dict[str, Any]:
    params = {"instanceId": instance_id, "projectKey": project}
    if args.type:
        params["issueType"] = args.type.strip()
    form = dict(await agent.request(methods.ISSUES_CREATE_FORM, params))
    types = form["issueTypes"]
    if args.type or len(types) < 2:
        return form
    ids = [str(t["id"]) for t in types]
    default = ids.index(form["issueType"]) if form["issueType"] in ids else None
    index = Prompter(args.output).choose(
        f"Issue type in {project}:",
        [str(t["name"]) for t in types],
        instead="pass --type NAME",
        default=default,
    )
    if ids[index] == form["issueType"]:
        return form
    params["issueType"] = ids[index]
    return dict(await agent.request(methods.ISSUES_CREATE_FORM, params))


def given_values(args: argparse.Namespace, fields: list[FormField]) -> dict[str, FieldValue]:
    """The values of --summary and every --field, by field name."""
    typed: list[tuple[str, str]] = []
    if args.summary is not None:
        typed.append(("summary", args.summary))
    try:
        typed += [parse_assignment(text) for text in args.field or []]
        values: dict[str, FieldValue] = {}
        for name, text in typed:
            field = find_field(fields, name)
            if field is None:
                names = ", ".join(describe(f) for f in fields)
                raise FieldInputError(f"the form has no field {name!r}; its fields: {names}")
            values[str(field["name"])] = parse_value(field, text)
    except FieldInputError as exc:
        raise CliError(str(exc), 2) from None
    return values


def _question(field: FormField) -> str:
    """`Label* (hint):`, `*` marking a required field."""
    notes = [note for note in (_KIND_HINTS.get(field["kind"]), field.get("help")) if note]
    if not field["required"]:
        notes.append("Enter to skip")
    mark = "*" if field["required"] else ""
    return f"{field['label']}{mark}" + (f" ({'; '.join(notes)})" if notes else "") + ":"


def ask_field(prompter: Prompter, field: FormField) -> FieldValue | None:
    """The value asked for `field`; None for an optional field left empty."""
    values = field.get("allowedValues") or []
    if field["kind"] in ("select", "multiSelect") and values:
        prompter.out.say(f"{field['label']}, one of:")
        for number, value in enumerate(values, 1):
            prompter.out.say(f"  {number}) {value['label']}")
    instead = (
        "pass --summary TEXT" if field["name"] == "summary" else f"pass --field {field['name']}=…"
    )

    def parse(answer: str) -> FieldValue | None:
        if not answer.strip():
            if field["required"]:
                raise FieldInputError(f"{describe(field)} is required")
            return None
        value = parse_value(field, answer, numbered=True)
        if field["required"] and is_empty(value):
            raise FieldInputError(f"{describe(field)} is required")
        return value

    return prompter.until_valid(_question(field), instead, parse)


def fill_in(
    prompter: Prompter, fields: list[FormField], values: dict[str, FieldValue]
) -> dict[str, FieldValue]:
    """Ask for the fields not given: in a terminal all of them, from a pipe only the
    required ones."""
    for field in fields:
        name = str(field["name"])
        if name in values or not (prompter.terminal or field["required"]):
            continue
        value = ask_field(prompter, field)
        if value is not None:
            values[name] = value
    return values


def create_needs(project: str | None) -> tuple[list[str], str]:
    """Without `--project` the projects are listed to pick from."""
    needs = [methods.ISSUES_CREATE_FORM, methods.ISSUES_CREATE]
    if not project:
        return [methods.PROJECTS_LIST, *needs], "creating issues"
    return needs, "creating issues"


async def create(args: argparse.Namespace, agent: AgentConnection) -> int:
    out: Output = args.output
    instance = await choose_instance(agent, args.instance, out, *create_needs(args.project))
    instance_id = str(instance["instanceId"])
    project = await _project(args, agent, instance_id)
    form = await _form(args, agent, instance_id, project)
    fields: list[FormField] = form["fields"]
    values = fill_in(Prompter(out), fields, given_values(args, fields))
    params = {
        "instanceId": instance_id,
        "projectKey": project,
        "issueType": form["issueType"],
        "fields": values,
    }
    try:
        result = await agent.request(methods.ISSUES_CREATE, params)
    except AgentCallError as exc:
        out.agent_error(exc, field_namer(fields))  # Jira's words beside each field's label
        return 1
    if not out.result(result):
        issue = result["issue"]
        print(f"Created {issue['key']}: {issue['title']}\n  {issue['url']}")
    return 0
