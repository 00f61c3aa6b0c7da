"""The command line of `issuebridge keys`: `keys FILE` (the issue keys in a file) and
`keys generate` (an RSA key pair; its flags: agent/cli/parser.py)."""

import argparse
from collections.abc import Callable
from typing import Any

from agent.cli import document_keys

AddCommand = Callable[..., argparse.ArgumentParser]


class FileOrCommand(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands, and a file when the word is none of them: `keys generate` and
    `keys FILE` (a file named like a subcommand is `./generate`). The parser lets any
    word through to it (agent.cli.parser.Parser._check_value)."""

    FILE = ""  # the file's parser: a name no one types

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = super().add_parser(name, **kwargs)
        if name == self.FILE and self._choices_actions:
            self._choices_actions[-1].metavar = "FILE"  # in --help: FILE, not a blank
        return parser

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        words = list(values)
        if words and words[0] not in self._name_parser_map:
            words.insert(0, self.FILE)
        super().__call__(parser, namespace, words, option_string)


def add_keys_command(command: AddCommand) -> Any:
    """`keys` and its `keys FILE`; returns its subcommands for `keys generate`."""
    keys = command(
        "keys",
        "the issue keys in a file (keys FILE), or RSA key pairs for OAuth 1.0a (keys generate)",
        description="`issuebridge keys FILE` opens FILE through the agent, as an editor "
        "would, and prints each issue key of a connected tracker in it: "
        "`line:column KEY  title  [status]  url`. `issuebridge keys generate` makes an RSA "
        "key pair for OAuth 1.0a. (A file named generate: ./generate.)",
    )
    keys_commands = keys.add_subparsers(
        dest="keys_command",
        required=True,
        metavar="{FILE,generate}",
        help="a file to read issue keys from, or generate",
        action=FileOrCommand,
    )
    in_file = command(
        FileOrCommand.FILE,
        "the issue keys in a file",
        group=keys_commands,
        description="Open FILE through the agent (textDocument/didOpen) and print every "
        "issue key of a connected tracker in it, with the issue's title, status and address "
        "(textDocument/documentLink and hover), one a line: `line:column KEY  title  "
        "[status]  url` (line and column from 1; the column in characters). Exits 1 when "
        "nothing is connected.",
    )
    in_file.prog = keys.prog
    in_file.add_argument("file", metavar="FILE", help="a text file (UTF-8)")
    in_file.set_defaults(run=document_keys.keys_in_file)
    return keys_commands
