"""The command line: every command and flag, with help (`issuebridge CMD --help`)."""

import argparse
import os
from typing import Any, NoReturn

from agent import __version__
from agent.cli import authorize as cli_authorize
from agent.cli import commands as cli_commands
from agent.cli import configure as cli_configure
from agent.cli import http_options
from agent.cli.actions import CA_BUNDLE_ENV
from agent.cli.parser_keys import FileOrCommand, add_keys_command
from agent.cli.parser_work import INSTANCE_HELP, add_work_commands


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as JSON when --json is on the command line."""

    json_errors = False

    def error(self, message: str) -> NoReturn:
        if Parser.json_errors:
            import json
            import sys

            json.dump({"error": {"message": f"{self.prog}: {message}"}}, sys.stderr)
            sys.stderr.write("\n")
            self.exit(2)
        super().error(message)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if isinstance(action, FileOrCommand):
            return  # any word: a subcommand or a file
        super()._check_value(action, value)


def _not_empty(what: str, instead: str) -> Any:
    def check(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"the {what} is empty; {instead}")
        return text

    return check


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 10000:
        raise argparse.ArgumentTypeError("must be between 1 and 10000")
    return value


def _network_flags(group: Any, dest: str = "") -> None:
    """The network flags but --ca-bundle (whose help differs); `dest` prefixes their names."""
    group.add_argument(
        "--proxy",
        *(["--http-proxy"] if dest else []),
        dest=f"{dest}proxy",
        metavar="URL",
        type=http_options.proxy_url,
        help="the HTTP(S) proxy, e.g. http://proxy.example.com:3128 (a user may be in it, "
        "never a password; by default $HTTPS_PROXY/$HTTP_PROXY/$NO_PROXY)",
    )
    group.add_argument(
        "--client-cert",
        dest=f"{dest}client_cert",
        metavar="FILE",
        help="a PEM file with the client certificate (and its key, unless --client-key) "
        "for a server or gateway that asks for one",
    )
    group.add_argument(
        "--client-key", dest=f"{dest}client_key", metavar="FILE", help="the client key's PEM file"
    )
    group.add_argument(
        "--timeout",
        dest=f"{dest}timeout",
        metavar="SECONDS",
        type=http_options.positive_seconds,
        help="the most one request to the server may take (default: 30)",
    )
    group.add_argument(
        "--no-system-trust-store",
        dest=f"{dest}no_system_trust_store",
        action="store_true",
        help="trust only --ca-bundle, not the operating system's certificate store",
    )


def _instance_network_flags(configure: argparse.ArgumentParser) -> None:
    group = configure.add_argument_group(
        "network settings of this instance",
        "Kept with the instance, over the global ones (flags before the command, the "
        "config file). Each configure is the instance's whole configuration: configuring "
        "it again without them leaves it the global ones only. Secrets are read from "
        "stdin (one line each, after the token's), an environment variable, or a hidden "
        "prompt; never from a flag.",
    )
    group.add_argument(
        "--ca-bundle",
        dest="instance_ca_bundle",
        metavar="FILE",
        help="a PEM file of CA certificates to trust for this instance",
    )
    _network_flags(group, dest="instance_")
    group.add_argument(
        "--proxy-password-stdin",
        action="store_true",
        help=f"read the proxy's password from stdin (else ${http_options.PROXY_PASSWORD_ENV}, "
        "or a prompt in a terminal when the proxy URL has a user)",
    )
    group.add_argument(
        "--client-key-passphrase-stdin",
        action="store_true",
        help="read the encrypted client key's passphrase from stdin (else "
        f"${http_options.KEY_PASSPHRASE_ENV}, or a prompt in a terminal)",
    )
    group.add_argument(
        "--insecure-skip-verify",
        action="store_true",
        help="turn TLS certificate verification OFF for this instance: anyone on the way can "
        "read and change what is sent, the token included. Asks to confirm; prefer --ca-bundle",
    )
    group.add_argument(
        "--confirm-insecure",
        action="store_true",
        help="confirm --insecure-skip-verify without asking (for scripts)",
    )


def build_parser() -> argparse.ArgumentParser:
    # --json works before or after the command: `issuebridge --json issues` or
    # `issuebridge issues --json`. SUPPRESS keeps a later default from undoing it.
    common = Parser(add_help=False)
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print the result as JSON on stdout (errors as JSON on stderr); no progress bar",
    )
    parser = Parser(
        prog="issuebridge",
        description="Issue trackers from the terminal, through the issuebridge agent "
        "(the same protocol every editor speaks).",
        epilog="`issuebridge COMMAND --help` describes each command. Start with "
        "`issuebridge configure jira-server --help`, or try `issuebridge demo`.",
    )
    parser.add_argument("--version", action="version", version=f"issuebridge {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="show the agent's log")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the result as JSON on stdout (errors as JSON on stderr); no progress bar",
    )
    parser.add_argument(
        "--workspace",
        default=".",
        help="the project folder whose .issuebridge/team.json is read (default: here)",
    )
    network = parser.add_argument_group(
        "network",
        "For this run, over the [http] table of the config file "
        f"(${http_options.CONFIG_ENV}, else ~/.config/issuebridge/cli.toml); an "
        "instance's own settings (`configure`'s flags) win over both.",
    )
    network.add_argument(
        "--ca-bundle",
        metavar="FILE",
        default=os.environ.get(CA_BUNDLE_ENV) or None,
        help="a PEM file of CA certificates to trust, for a server whose certificate "
        f"comes from your company's own CA (default: ${CA_BUNDLE_ENV})",
    )
    _network_flags(network)
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="what to do"
    )

    def command(
        name: str, help: str, description: str | None = None, group: Any = commands
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = group.add_parser(
            name, help=help, description=description or help, parents=[common]
        )
        return sub

    providers = command("providers", "list providers, their auth methods and your instances")
    providers.set_defaults(run=cli_commands.providers)

    configure = command(
        "configure",
        "configure a server (personal access token, or OAuth 2.0 / 1.0a with --oauth2 / --oauth)",
        description="Configure a Jira Server / Data Center instance; the server and the "
        "credentials are checked before anything is stored. With a token: it is read from "
        "--token-stdin, $ISSUEBRIDGE_TOKEN, or a hidden prompt (--token works too but leaves "
        "it in your shell history). With --oauth2 (Jira 8.22+, an incoming link to an "
        "external application): the link's client id, and its secret from "
        "--client-secret-stdin, $ISSUEBRIDGE_CLIENT_SECRET, or a hidden prompt. With --oauth "
        "(OAuth 1.0a): the Application Link's consumer key and a generated key (--key-id) or "
        "a PEM file.",
    )
    configure.add_argument(
        "provider",
        help="the tracker's provider id (`issuebridge providers` lists them): jira-server, "
        "jira-cloud, github, gitlab, youtrack, …",
    )
    configure.add_argument(
        "--base-url",
        type=_not_empty("base URL", "e.g. https://jira.example.com/jira"),
        help="the tracker's address, e.g. https://jira.example.com/jira (Jira with its "
        "context path); a provider whose form has a default (github: https://api.github.com) "
        "may leave it out",
    )
    configure.add_argument(
        "--auth",
        metavar="METHOD",
        help="the auth method, as `issuebridge providers` lists it (default: the provider's "
        "first); any provider's form is filled from --base-url, --field and prompts",
    )
    configure.add_argument(
        "--field",
        action="append",
        metavar="NAME=VALUE",
        help="a field of the provider's form, e.g. --field email=me@example.com (secrets: "
        "--token-stdin or a hidden prompt instead)",
    )
    configure.add_argument("--token", help=argparse.SUPPRESS)
    configure.add_argument(
        "--token-stdin", action="store_true", help="read the personal access token from stdin"
    )
    method = configure.add_mutually_exclusive_group()
    method.add_argument(
        "--oauth2",
        action="store_true",
        help="use OAuth 2.0 through an incoming link to an external application (Jira 8.22+)",
    )
    method.add_argument(
        "--oauth", action="store_true", help="use OAuth 1.0a through an Application Link"
    )
    configure.add_argument(
        "--client-id", metavar="ID", help="the OAuth 2.0 link's client id (--oauth2)"
    )
    configure.add_argument(
        "--client-secret-stdin",
        action="store_true",
        help=f"read the link's client secret from stdin (--oauth2; else "
        f"${cli_configure.CLIENT_SECRET_ENV}, or a hidden prompt)",
    )
    configure.add_argument(
        "--redirect-uri",
        metavar="URL",
        help="the redirect URL registered in the link (--oauth2; default: "
        "http://127.0.0.1:43917/callback, the one the agent proposes)",
    )
    configure.add_argument(
        "--scope",
        choices=["READ", "WRITE"],
        type=str.upper,
        help="what issuebridge may do as you (--oauth2; default WRITE: comment, transition; "
        "READ: look only). Never more than you may, nor than the link allows",
    )
    configure.add_argument("--consumer-key", help="the Application Link's consumer key (--oauth)")
    configure.add_argument(
        "--key-id", help="a key from `issuebridge keys generate` (--oauth)", metavar="KEY-ID"
    )
    configure.add_argument(
        "--private-key-file",
        metavar="FILE",
        help="an RSA private key (PEM) instead of --key-id (--oauth)",
    )
    _instance_network_flags(configure)
    configure.set_defaults(run=cli_configure.configure)

    keys_commands = add_keys_command(command)
    generate = command(
        "generate",
        "generate a key pair; prints the public key for the Jira admin",
        group=keys_commands,
        description="Generate an RSA key pair. The private key stays in issuebridge's secret "
        "store; the public key is printed for the Jira admin's Application Link.",
    )
    generate.add_argument(
        "--bits",
        type=int,
        default=2048,
        choices=[2048, 3072, 4096],
        help="the key size (default: 2048)",
    )
    generate.set_defaults(run=cli_commands.generate_key)

    authorize = command(
        "authorize",
        "allow access in the browser (OAuth 2.0 or 1.0a)",
        description="Open Jira's authorize page in your browser and wait for it to come back. "
        "Where no browser can be opened (SSH, a container) it prints the address and asks for "
        "the code or the address the browser shows; while it waits for the browser it also "
        "takes a pasted code or address (in a terminal, or with --paste).",
    )
    authorize.add_argument("--instance", help=INSTANCE_HELP)
    authorize.add_argument(
        "--oob",
        action="store_true",
        help="open no browser: paste the code Jira shows, or (OAuth 2.0) the address the "
        "browser is sent to",
    )
    authorize.add_argument(
        "--paste",
        action="store_true",
        help="while waiting for the browser, also read a pasted code or address from stdin "
        "(on by default in a terminal)",
    )
    authorize.set_defaults(run=cli_authorize.authorize)

    issues = command(
        "issues",
        "list issues (yours and open, or a query: JQL for Jira)",
        description="List every matching issue (all pages), newest update first by default. "
        "When the server cannot be reached, the last list of the same query is shown, with "
        "a line on stderr saying how old it is.",
    )
    issues.add_argument("--instance", help=INSTANCE_HELP)
    issues.add_argument(
        "--query",
        "--jql",
        dest="query",
        type=_not_empty("query", "leave --query out for your open issues"),
        help="a search in the tracker's own syntax instead of your open issues (JQL for "
        "Jira, e.g. 'project = CORE ORDER BY key')",
    )
    issues.add_argument(
        "--limit", type=_limit, default=1000, help="at most this many (1-10000, default 1000)"
    )
    issues.add_argument(
        "--fresh",
        action="store_true",
        help="only a list fetched now: when the server cannot be reached, fail instead of "
        "showing the last list kept",
    )
    issues.set_defaults(run=cli_commands.issues)

    team = command("team", "share a configuration with the team, or unlock a shared one")
    team_commands = team.add_subparsers(
        dest="team_command", required=True, metavar="COMMAND", help="share or unlock"
    )
    share = command(
        "share",
        "write .issuebridge/team.json in the workspace (no secret in the clear)",
        group=team_commands,
        description="Write the instance's configuration to .issuebridge/team.json in the "
        "workspace, to commit with the project. An OAuth key or client secret in it is sealed "
        "with a passphrase, shown once.",
    )
    share.add_argument("--instance", help=INSTANCE_HELP)
    share.set_defaults(run=cli_commands.team_share)
    unlock = command(
        "unlock",
        "unlock the team's OAuth key or client secret with the passphrase",
        group=team_commands,
        description="Unlock the team's sealed OAuth key or OAuth 2.0 client secret. The "
        "passphrase is read from --passphrase-stdin, $ISSUEBRIDGE_TEAM_PASSPHRASE, or a hidden "
        "prompt.",
    )
    unlock.add_argument("--instance", help=INSTANCE_HELP)
    unlock.add_argument(
        "--passphrase-stdin", action="store_true", help="read the passphrase from stdin"
    )
    unlock.set_defaults(run=cli_commands.team_unlock)

    disconnect = command(
        "disconnect",
        "remove your credentials for an instance",
        description="Remove your token or OAuth access token for an instance; it stays "
        "configured (needsAuthorization) unless --forget.",
    )
    disconnect.add_argument("--instance", help=INSTANCE_HELP)
    disconnect.add_argument(
        "--forget", action="store_true", help="remove the instance and all it stored too"
    )
    disconnect.set_defaults(run=cli_commands.disconnect)

    add_work_commands(command)

    demo = command(
        "demo",
        "run a Jira simulator and show configure, authorize and issues against it",
        description="Start the built-in Jira simulator on 127.0.0.1 and walk through what an "
        "editor does, with throw-away storage (your configuration is not touched).",
    )
    demo.set_defaults(run=None)
    return parser
