"""Where the terminal client's words go: people get text on stdout and errors on
stderr; with `--json`, stdout carries only the result JSON and everything meant for
a person (prompts, progress, notes) goes to stderr, errors as JSON."""

import json
import sys
from collections.abc import Callable
from typing import Any

from agent.cli.actions import Context, next_step
from agent.cli.connection import AgentCallError


class CliError(Exception):
    """A failure the client finds itself (no such instance, a missing flag)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class Output:
    def __init__(self, json_mode: bool) -> None:
        self.json = json_mode
        # What the commands learnt (base URL, instance id) so that an error's next
        # step can name a command the user can run as it is.
        self.context = Context()

    def say(self, text: str = "") -> None:
        """A line for the person: stdout, or stderr when stdout is for JSON."""
        print(text, file=sys.stderr if self.json else sys.stdout, flush=True)

    def prompt(self, text: str) -> None:
        print(text, end=" ", file=sys.stderr if self.json else sys.stdout, flush=True)

    def result(self, value: Any) -> bool:
        """In --json mode print `value` and say so; the caller renders text otherwise."""
        if self.json:
            json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            sys.stdout.flush()
        return self.json

    def agent_error(
        self, exc: AgentCallError, field_name: Callable[[str], str] | None = None
    ) -> None:
        """The error, its hint, the fields it names (`data.fieldErrors`, each as
        `field_name` words it) and the next step."""
        step = next_step(exc.action, exc.data, self.context)
        if self.json:
            error: dict[str, Any] = {"code": exc.code, "message": exc.message, "data": exc.data}
            if step is not None:
                error["next"] = step.command or step.text
            self._json_error(error)
            return
        lines = [f"error: {exc.message}"]
        errors = exc.data.get("fieldErrors")
        if isinstance(errors, dict):
            name = field_name or str
            lines += [f"  {name(str(field))}: {message}" for field, message in errors.items()]
        if exc.hint:
            lines.append(f"  hint: {exc.hint}")
        if step is not None:
            lines.append(f"  next: {step.text}")
        print("\n".join(lines), file=sys.stderr, flush=True)

    def cli_error(self, exc: CliError) -> None:
        if self.json:
            self._json_error({"message": exc.message})
        else:
            print(f"error: {exc.message}", file=sys.stderr, flush=True)

    @staticmethod
    def _json_error(error: dict[str, Any]) -> None:
        json.dump({"error": error}, sys.stderr, ensure_ascii=False)
        sys.stderr.write("\n")
        sys.stderr.flush()
