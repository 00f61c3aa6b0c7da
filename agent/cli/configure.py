"""`issuebridge configure`: one `providers/configure` call per auth method, with the
credentials read the safe way (a secret from stdin, the environment or a hidden prompt,
never only from a flag that shell history keeps)."""

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from agent.cli import http_options, render
from agent.cli.connection import AgentConnection
from agent.cli.instances import normalised
from agent.cli.output import CliError, Output

TOKEN_ENV = "ISSUEBRIDGE_TOKEN"
CLIENT_SECRET_ENV = "ISSUEBRIDGE_CLIENT_SECRET"
CONFIGURE = "issuebridge/providers/configure"


def read_token(args: argparse.Namespace) -> str:
    """The token from --token, stdin, $ISSUEBRIDGE_TOKEN, or a hidden prompt."""
    if args.token:
        return str(args.token)
    if args.token_stdin:
        return sys.stdin.readline().strip()
    if os.environ.get(TOKEN_ENV):
        return os.environ[TOKEN_ENV]
    if sys.stdin.isatty():
        return getpass.getpass("Personal access token: ")
    raise CliError(
        f"no token given; pipe it with --token-stdin, set ${TOKEN_ENV}, or run in a terminal", 2
    )


def read_client_secret(args: argparse.Namespace) -> str:
    """The OAuth 2.0 client secret from stdin, $ISSUEBRIDGE_CLIENT_SECRET, or a hidden
    prompt; like the token it is never a flag's value."""
    if args.client_secret_stdin:
        secret = sys.stdin.readline().strip()
    elif os.environ.get(CLIENT_SECRET_ENV):
        secret = os.environ[CLIENT_SECRET_ENV]
    elif sys.stdin.isatty():
        secret = getpass.getpass("Client secret (from the link in Jira): ")
    else:
        raise CliError(
            "no client secret given; pipe it with --client-secret-stdin, set "
            f"${CLIENT_SECRET_ENV}, or run in a terminal",
            2,
        )
    if not secret:
        raise CliError("the client secret is empty; copy it from the link in Jira", 2)
    return secret


def _about_configure(args: argparse.Namespace, auth_method: str) -> Output:
    out: Output = args.output
    out.context.provider_id = args.provider
    out.context.base_url = normalised(args.base_url) or args.base_url.strip()
    out.context.auth_method = auth_method
    out.context.consumer_key = args.consumer_key
    out.context.client_id = args.client_id
    out.context.redirect_uri = args.redirect_uri
    return out


def network_params(args: argparse.Namespace) -> dict[str, Any]:
    """`configure`'s `http` and `httpSecrets` from its flags, stdin, env or prompts
    (after the credential's: its line on stdin comes first)."""
    http = http_options.instance_http(args)
    effective = {**http_options.global_http(args), **http}
    secrets = http_options.read_http_secrets(args, effective)
    params: dict[str, Any] = {}
    if http:
        params["http"] = http
    if secrets:
        params["httpSecrets"] = secrets
    return params


async def _configure(
    args: argparse.Namespace, agent: AgentConnection, method: str, fields: dict[str, str]
) -> dict[str, Any]:
    params = {"providerId": args.provider, "authMethod": method, "fields": fields}
    return dict(await agent.request(CONFIGURE, {**params, **network_params(args)}))


async def configure(args: argparse.Namespace, agent: AgentConnection) -> int:
    if args.provider != "jira-server" or args.auth or args.field:
        from agent.cli.form_configure import configure_from_form

        return await configure_from_form(args, agent)
    if not args.base_url:
        raise CliError("configure jira-server needs --base-url (Jira's address)", 2)
    if args.oauth2:
        return await configure_oauth2(args, agent)
    if args.oauth:
        return await configure_oauth(args, agent)
    out = _about_configure(args, "token")
    http_options.confirm_insecure(args, out.context.base_url or args.base_url, out)
    fields = {"baseUrl": args.base_url, "token": read_token(args)}
    result = await _configure(args, agent, "token", fields)
    if not out.result(result):
        render.instance_line(result["instance"])
    return 0


async def configure_oauth(args: argparse.Namespace, agent: AgentConnection) -> int:
    out = _about_configure(args, "oauth1")
    if not args.consumer_key:
        raise CliError("--oauth needs --consumer-key (from the Application Link)", 2)
    http_options.confirm_insecure(args, out.context.base_url or args.base_url, out)
    fields = {"baseUrl": args.base_url, "consumerKey": args.consumer_key}
    if args.key_id:
        fields["keyId"] = args.key_id
    elif args.private_key_file:
        fields["privateKey"] = Path(args.private_key_file).read_text(encoding="utf-8")
    else:
        raise CliError(
            "--oauth needs --key-id (from `issuebridge keys generate`) or --private-key-file", 2
        )
    result = await _configure(args, agent, "oauth1", fields)
    if not out.result(result):
        render.instance_line(result["instance"])
        print("Next: `issuebridge authorize` to allow access in the browser.")
    return 0


async def method_defaults(
    agent: AgentConnection, provider_id: str, method_id: str
) -> dict[str, str]:
    """The `default` of each field of an auth method, as the agent describes it: the
    agent's redirect URI and scope stay the one truth, not copies kept here."""
    listed = await agent.request("issuebridge/providers/list")
    for provider in listed["providers"]:
        if provider["id"] != provider_id:
            continue
        for method in provider["authMethods"]:
            if method["id"] == method_id:
                return {
                    str(f["name"]): str(f["default"])
                    for f in method["fields"]
                    if isinstance(f.get("default"), str)
                }
    raise CliError(f"this agent offers no {method_id} for {provider_id}; update issuebridge")


async def configure_oauth2(args: argparse.Namespace, agent: AgentConnection) -> int:
    out = _about_configure(args, "oauth2")
    if not args.client_id or not args.client_id.strip():
        raise CliError("--oauth2 needs --client-id (Jira shows it with the link's secret)", 2)
    http_options.confirm_insecure(args, out.context.base_url or args.base_url, out)
    secret = read_client_secret(args)  # before any request: a script without it stops at once
    defaults = await method_defaults(agent, args.provider, "oauth2")
    fields = {
        **defaults,
        "baseUrl": args.base_url,
        "clientId": args.client_id.strip(),
        "clientSecret": secret,
    }
    if args.redirect_uri:
        fields["redirectUri"] = args.redirect_uri.strip()
    if args.scope:
        fields["scope"] = args.scope
    result = await _configure(args, agent, "oauth2", fields)
    if not out.result(result):
        render.instance_line(result["instance"])
        if fields.get("redirectUri"):
            print(f"The link in Jira must have exactly this redirect URL: {fields['redirectUri']}")
        print("Next: `issuebridge authorize` to allow access in the browser.")
    return 0
