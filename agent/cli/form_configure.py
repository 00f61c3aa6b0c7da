"""`issuebridge configure PROVIDER` for any tracker: the fields come from the form the
agent describes (`providers/list`), so a new provider needs nothing here.

Non-secret fields: `--base-url` and `--field NAME=VALUE`, else the field's default,
else a prompt in a terminal. Secret fields: `--token-stdin`, `$ISSUEBRIDGE_TOKEN` (for
a field named `token`), or a hidden prompt; never only a flag's value.
"""

import argparse
import getpass
import os
import sys
from typing import Any

from agent.cli import http_options, render
from agent.cli.connection import AgentConnection
from agent.cli.output import CliError

SECRET_KINDS = ("secret", "multilineSecret")
TOKEN_ENV = "ISSUEBRIDGE_TOKEN"


async def auth_method(agent: AgentConnection, provider_id: str, wanted: str | None) -> Any:
    """The provider's auth method `wanted` (default: its first), as the agent lists it."""
    listed = await agent.request("issuebridge/providers/list")
    providers = {p["id"]: p for p in listed["providers"]}
    provider = providers.get(provider_id)
    if provider is None:
        known = ", ".join(sorted(providers))
        raise CliError(f"no provider {provider_id!r}; the agent knows: {known}", 2)
    methods = provider["authMethods"]
    if wanted is None:
        return methods[0]
    for method in methods:
        if method["id"] == wanted:
            return method
    offered = ", ".join(m["id"] for m in methods)
    raise CliError(f"{provider['name']} has no auth method {wanted!r}; it offers: {offered}", 2)


def given_fields(args: argparse.Namespace) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in args.field or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise CliError(f"--field takes NAME=VALUE, not {item!r}", 2)
        fields[name.strip()] = value
    if args.base_url:
        fields["baseUrl"] = args.base_url
    return fields


def read_secret(args: argparse.Namespace, field: dict[str, Any], stdin_used: bool) -> str:
    name, label = str(field["name"]), str(field["label"])
    if args.token_stdin and not stdin_used:
        return sys.stdin.readline().strip()
    if name == "token" and os.environ.get(TOKEN_ENV):
        return os.environ[TOKEN_ENV]
    if sys.stdin.isatty():
        return getpass.getpass(f"{label}: ")
    raise CliError(
        f"no {label.lower()} given; pipe it with --token-stdin"
        + (f", set ${TOKEN_ENV}" if name == "token" else "")
        + ", or run in a terminal",
        2,
    )


def fill(args: argparse.Namespace, method: dict[str, Any]) -> dict[str, str]:
    """Every field of the form: given, defaulted, read (secrets) or asked for."""
    given = given_fields(args)
    known = {str(f["name"]) for f in method["fields"]}
    unknown = sorted(set(given) - known)
    if unknown:
        raise CliError(
            f"the {method['id']} form has no field {unknown[0]!r}; its fields: "
            + ", ".join(sorted(known)),
            2,
        )
    fields: dict[str, str] = {}
    stdin_used = False
    for field in method["fields"]:
        name = str(field["name"])
        if field["kind"] in SECRET_KINDS:
            if name in given:
                fields[name] = given[name]
            elif field.get("required"):
                fields[name] = read_secret(args, field, stdin_used)
                stdin_used = stdin_used or args.token_stdin
        elif name in given:
            fields[name] = given[name]
        elif isinstance(field.get("default"), str):
            fields[name] = field["default"]
        elif field.get("required"):
            if not sys.stdin.isatty():
                flag = "--base-url URL" if name == "baseUrl" else f"--field {name}=VALUE"
                raise CliError(f"{field['label']} is required: give {flag}", 2)
            fields[name] = input(f"{field['label']}: ")
    return fields


async def configure_from_form(args: argparse.Namespace, agent: AgentConnection) -> int:
    from agent.cli.configure import CONFIGURE, network_params

    method = await auth_method(agent, args.provider, args.auth)
    fields = fill(args, method)
    http_options.confirm_insecure(args, fields.get("baseUrl", ""), args.output)
    params = {"providerId": args.provider, "authMethod": method["id"], "fields": fields}
    result = dict(await agent.request(CONFIGURE, {**params, **network_params(args)}))
    if not args.output.result(result):
        render.instance_line(result["instance"])
        if result["instance"]["state"] == "needsAuthorization":
            print("Next: `issuebridge authorize` to allow access in the browser.")
    return 0
