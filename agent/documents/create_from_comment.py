"""`workspace/executeCommand` `issuebridge.createIssueFromComment`: a TODO becomes an issue.

The argument is the code action's `CreateFromCommentArgs`. Where it names no project
(or no instance), the user picks one with `window/showMessageRequest` (one button per
project, at most `MAX_CHOICES`). The issue is made through the create services like
any other: summary the TODO's text, description the text and where it was
(`From src/cache.py:42`), type the project's "Task" when it offers one, else its first
type. A type that needs more than a summary and a description is refused (`-32602`
naming the first such field): the editor's Create Issue form asks for those.

Then the TODO's text is replaced by the new key with `workspace/applyEdit`, against
the document as it is now: at the same place if the text is still there, else where
the same text is on that line; if it is gone, nothing is edited (`edited: false`).
"""

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import attrs
from lsprotocol import types as lsp

from agent.client import EditorClient
from agent.documents.resolver import Connected, Resolver
from agent.documents.store import DocumentStore
from agent.documents.text import Encoding, content, split_lines, to_index, to_units
from agent.errors import AgentError, InvalidParams
from agent.services import create
from agent.services.instances import Instances
from protocol.converter import ParamsError, structure
from protocol.types import (
    CreateFormParams,
    CreateFormResult,
    CreateFromCommentArgs,
    CreateFromCommentResult,
    CreateIssueParams,
    Issue,
    ProjectsListParams,
)

log = logging.getLogger("issuebridge.documents")

MAX_CHOICES = 10
PREFERRED_TYPE = "task"
# Fields the command fills in; any other required field needs the Create Issue form.
FILLED = {"summary", "description"}
# A document the editor does not have open is read from disk only up to this size.
LARGEST_FILE = 8 * 1024 * 1024


@attrs.frozen
class Target:
    instance_id: str
    project_key: str


def parse_arguments(arguments: Sequence[Any] | None) -> CreateFromCommentArgs:
    """The command's one argument, or -32602 naming the field (`arguments[0].uri`)."""
    if not arguments:
        raise InvalidParams("arguments", "The command takes one argument, the comment.")
    raw = arguments[0]
    if not isinstance(raw, dict):
        raise InvalidParams("arguments[0]", "The argument must be an object.")
    try:
        args = structure(raw, CreateFromCommentArgs)
    except ParamsError as exc:
        field = f"arguments[0].{exc.field}" if exc.field != "params" else "arguments[0]"
        raise InvalidParams(field, f"`{field}` {exc.problem}.") from None
    checks = [
        ("line", args.line >= 0, "must be 0 or more"),
        ("startCharacter", args.start_character >= 0, "must be 0 or more"),
        ("endCharacter", args.end_character >= args.start_character, "is before startCharacter"),
        ("text", bool(args.text.strip()), "is empty: there is nothing to name the issue"),
    ]
    for name, ok, problem in checks:
        if not ok:
            raise InvalidParams(f"arguments[0].{name}", f"`arguments[0].{name}` {problem}.")
    return args


class CreateFromComment:
    def __init__(
        self,
        resolver: Resolver,
        instances: Instances,
        client: EditorClient,
        store: DocumentStore,
        encoding: Callable[[], Encoding],
    ) -> None:
        self.resolver = resolver
        self.instances = instances
        self.client = client
        self.store = store
        self.encoding = encoding

    async def run(self, arguments: Sequence[Any] | None) -> CreateFromCommentResult | None:
        """The issue made and whether the TODO names it; None while nothing is connected
        (as every issue-key answer is empty then)."""
        args = parse_arguments(arguments)
        connected = await self.resolver.connected()
        if not connected:
            return None
        target = await self.target(args, connected)
        issue = await self.create(args, target)
        edited = await self.edit(args, issue.key)
        return CreateFromCommentResult(issue=issue, edited=edited)

    # --- where ------------------------------------------------------------------

    async def target(self, args: CreateFromCommentArgs, connected: Sequence[Connected]) -> Target:
        if args.instance_id and args.project_key:
            return Target(args.instance_id, args.project_key)
        instances = list(connected)
        if args.instance_id:
            instances = [i for i in instances if i.instance_id == args.instance_id]
            if not instances:
                raise InvalidParams(
                    "arguments[0].instanceId",
                    f"There is no connected instance {args.instance_id!r}.",
                )
        choices = await self.choices(instances, args.project_key)
        if not choices:
            raise InvalidParams(
                "arguments[0].projectKey", "There is no project you can create issues in."
            )
        if len(choices) == 1:
            return next(iter(choices.values()))
        picked = await self.client.choose(
            f"Create the issue “{_short(args.text)}” in which project?", list(choices)
        )
        if picked is None:
            raise InvalidParams(
                "arguments[0].projectKey",
                "No project was chosen, so no issue was created.",
            )
        return choices[picked]

    async def choices(self, instances: list[Connected], only: str | None) -> dict[str, Target]:
        """Button title -> target, at most MAX_CHOICES (the instance named when several);
        `only` a project key, when the argument names the project but not the instance."""
        found: dict[str, Target] = {}
        for instance in instances:
            try:
                result = await create.list_projects(
                    self.instances, ProjectsListParams(instance_id=instance.instance_id)
                )
            except AgentError as exc:
                log.info("No projects of %s to offer: %s", instance.label, exc.message)
                continue
            where = f" ({instance.label})" if len(instances) > 1 else ""
            for project in result.projects:
                if only is not None and project.key.upper() != only.upper():
                    continue
                title = f"{project.key} — {project.name}{where}"
                found.setdefault(title, Target(instance.instance_id, project.key))
                if len(found) >= MAX_CHOICES:
                    return found
        return found

    # --- the issue --------------------------------------------------------------

    async def create(self, args: CreateFromCommentArgs, target: Target) -> Issue:
        form = await self.form(target)
        required = [f for f in form.fields if f.required and f.name not in FILLED]
        if required:
            type_name = next((t.name for t in form.issue_types if t.id == form.issue_type), "")
            raise _needs_the_form(
                {f.name: f"{f.label} is required." for f in required},
                f"{type_name} issues of {target.project_key} need "
                + ", ".join(f.label for f in required)
                + ", which a comment does not give.",
            )
        fields: dict[str, Any] = {"summary": args.text.strip()}
        if any(f.name == "description" for f in form.fields):
            fields["description"] = f"{args.text.strip()}\n\nFrom {args.path}:{args.line + 1}"
        result = await create.create_issue(
            self.instances,
            CreateIssueParams(
                instance_id=target.instance_id,
                project_key=target.project_key,
                issue_type=form.issue_type,
                fields=fields,
            ),
        )
        return result.issue

    async def form(self, target: Target) -> CreateFormResult:
        """The create form of the project's Task, else of its first type."""
        params = CreateFormParams(instance_id=target.instance_id, project_key=target.project_key)
        try:
            form = await create.create_form(self.instances, params)
            task = next((t for t in form.issue_types if t.name.lower() == PREFERRED_TYPE), None)
            if task is None or task.id == form.issue_type:
                return form
            return await create.create_form(
                self.instances, attrs.evolve(params, issue_type=task.id)
            )
        except InvalidParams as exc:
            # A type with required fields no form can enter: name them all the same.
            errors = exc.data.get("fieldErrors")
            if isinstance(errors, dict) and errors:
                raise _needs_the_form(errors, exc.message) from None
            raise

    # --- the edit ---------------------------------------------------------------

    async def edit(self, args: CreateFromCommentArgs, key: str) -> bool:
        found = self.current_line(args.uri, args.line)
        if found is None:
            log.info("%s: line %d is not there any more; not edited", args.path, args.line + 1)
            return False
        line, version, encoding = found
        span = _place(line, args, encoding)
        if span is None:
            log.info("%s:%d no longer has the TODO's text; not edited", args.path, args.line + 1)
            return False
        start, end = span
        text_edit = lsp.TextEdit(
            range=lsp.Range(
                start=lsp.Position(line=args.line, character=start),
                end=lsp.Position(line=args.line, character=end),
            ),
            new_text=key,
        )
        if self.client.edits_versioned_documents:
            edit = lsp.WorkspaceEdit(
                document_changes=[
                    lsp.TextDocumentEdit(
                        text_document=lsp.OptionalVersionedTextDocumentIdentifier(
                            uri=args.uri, version=version
                        ),
                        edits=[text_edit],
                    )
                ]
            )
        else:
            edit = lsp.WorkspaceEdit(changes={args.uri: [text_edit]})
        return await self.client.apply_edit(f"Name {key} in the TODO", edit)

    def current_line(self, uri: str, number: int) -> tuple[str, int | None, Encoding] | None:
        """The line as the editor has it now (with the document's version), or as it
        is on disk for a document the editor does not have open (no version)."""
        opened = self.store.get(uri)
        if opened is not None:
            if number >= len(opened.text.lines):
                return None
            return opened.text.line(number), opened.text.version, opened.text.encoding
        on_disk = _line_on_disk(uri, number)
        return (on_disk, None, self.encoding()) if on_disk is not None else None


def _needs_the_form(errors: dict[str, str], message: str) -> InvalidParams:
    """-32602 naming the first field a comment cannot fill in, and all of them."""
    return InvalidParams(
        f"fields.{next(iter(errors))}",
        message,
        hint="Create the issue with the editor's Create Issue form, which asks for every "
        "field the type needs.",
        field_errors=errors,
    )


def _place(line: str, args: CreateFromCommentArgs, encoding: Encoding) -> tuple[int, int] | None:
    """The range (in `encoding` units) of the TODO's text on `line`: where the action
    saw it, else where the same text is now on the line; None when it is gone."""
    start = to_index(line, args.start_character, encoding)
    end = to_index(line, args.end_character, encoding)
    if line[start:end] != args.text:
        start = line.find(args.text)
        if start < 0:
            return None
        end = start + len(args.text)
    return to_units(line, start, encoding), to_units(line, end, encoding)


def _line_on_disk(uri: str, number: int) -> str | None:
    """The line of a `file:` document the editor does not have open."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    path = Path(unquote(parts.path))
    try:
        if path.stat().st_size > LARGEST_FILE:
            return None
        lines = split_lines(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return content(lines[number]) if number < len(lines) else None


def _short(text: str, most: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"
