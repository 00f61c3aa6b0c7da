"""Asking the person at the terminal, or reading answers piped in.

The rule every command follows: what a command needs and was not given (create's
project, type and required fields, transition's NAME) is asked for, in a terminal
with a prompt and from a pipe one answer per line; at the end of input the command
stops with an error that names the flag to pass instead. Prompts go where
`Output.prompt` puts them (stderr with --json).
"""

import sys
from collections.abc import Callable
from typing import TypeVar

from agent.cli.output import CliError, Output

T = TypeVar("T")


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


class Prompter:
    def __init__(self, out: Output) -> None:
        self.out = out
        self.terminal = stdin_is_terminal()

    def line(self, question: str, instead: str) -> str | None:
        """One answer, without its newline; None at the end of input. `instead` says
        what to pass when there is no input (for the error the caller raises)."""
        self.out.prompt(question)
        answer = sys.stdin.readline()
        if not answer:
            if self.terminal:
                self.out.say()
            return None
        if not self.terminal:
            self.out.say()  # a piped answer is not echoed: end the prompt's line
        return answer.rstrip("\r\n")

    def required_line(self, question: str, instead: str) -> str:
        answer = self.line(question, instead)
        if answer is None:
            raise CliError(f"no answer at the end of input; {instead}", 2)
        return answer

    def until_valid(self, question: str, instead: str, parse: Callable[[str], T]) -> T:
        """Ask until `parse` accepts the answer (its ValueError is shown and the question
        asked again); in a pipe a wrong answer is final, as nobody can correct it."""
        while True:
            answer = self.required_line(question, instead)
            try:
                return parse(answer)
            except ValueError as exc:
                if not self.terminal:
                    raise CliError(str(exc), 2) from None
                self.out.say(f"  {exc}")

    def choose(
        self,
        title: str,
        labels: list[str],
        instead: str,
        default: int | None = None,
        names: list[str] | None = None,
    ) -> int:
        """A numbered list and the index of the one picked: by number, or by its label or
        its name in `names` (a project's key) in any case; Enter takes `default`."""
        self.out.say(title)
        for number, label in enumerate(labels, 1):
            self.out.say(f"  {number}) {label}")
        hint = f" [{default + 1}]" if default is not None else ""

        def parse(answer: str) -> int:
            text = answer.strip()
            if not text and default is not None:
                return default
            if text.isdigit() and 1 <= int(text) <= len(labels):
                return int(text) - 1
            for words in (labels, names or []):
                for index, word in enumerate(words):
                    if text.casefold() == word.casefold():
                        return index
            raise ValueError(f"{text!r} is not one of 1-{len(labels)}; {instead}")

        return self.until_valid(f"Number{hint}:", instead, parse)
