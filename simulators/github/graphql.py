"""GitHub's GraphQL API (`POST /graphql`; Enterprise `POST /api/graphql`), the small part
issuebridge reads, answered the way GitHub does.

The schema simulated (GitHub's names and types): `Query.repository(owner, name)`,
`Query.viewer`; `Repository.issue(number)`, `nameWithOwner`, `name`; `Issue.id`,
`databaseId`, `number`, `title`, `url`, `state` (`OPEN`/`CLOSED`), `createdAt`,
`updatedAt`, `assignees(first|last)` (a `UserConnection`: `nodes`, `totalCount`),
`repository`; `User.login`, `name`; `__typename` on every type. Queries with aliases,
arguments given as literals, named fragments (`fragment F on Issue`) and inline ones.

As GitHub answers:
- a document that does not parse: `{"errors": [{"message": "Parse error on …",
  "locations": […]}]}`, no `data`;
- validation before execution, every error and no `data`: an unknown field
  (`undefinedField`, "Field 'x' doesn't exist on type 'T'"), a missing required
  argument (`missingRequiredArguments`), an unknown argument (`argumentNotAccepted`),
  a selection on a scalar or none on an object, an unknown fragment;
- execution: a repository or an issue that cannot be resolved is `null` in `data` with
  an error `{"type": "NOT_FOUND", "path": [alias, …], "message": "Could not resolve to
  a Repository with the name 'o/r'." | "… to an Issue with the number of 12."}` (a pull
  request's number is not an Issue); a connection without `first`/`last` is
  `MISSING_PAGINATION_BOUNDARIES`, more than 100 `EXCESSIVE_PAGINATION`;
- HTTP 200 for all of these (401 comes from authentication, before).
Not simulated: variables (`$x`), mutations, directives, node limits and the rate-limit
cost (`rateLimit`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .data import GitHubData, Issue, User, github_time
from .represent import Urls

_TOKEN = re.compile(
    r"""(?P<skip>[\s,\ufeff]+|\#[^\n]*)
      | (?P<spread>\.\.\.)
      | (?P<punct>[{}():!$=@\[\]])
      | (?P<string>"(?:[^"\\\n]|\\.)*")
      | (?P<number>-?\d+)
      | (?P<name>[_A-Za-z][_0-9A-Za-z]*)""",
    re.VERBOSE,
)

Json = dict[str, Any]
# type -> field -> (type it returns, its arguments: name -> required?)
SCALAR = ""
SCHEMA: dict[str, dict[str, tuple[str, dict[str, bool]]]] = {
    "Query": {
        "repository": ("Repository", {"owner": True, "name": True}),
        "viewer": ("User", {}),
    },
    "Repository": {
        "issue": ("Issue", {"number": True}),
        "nameWithOwner": (SCALAR, {}),
        "name": (SCALAR, {}),
        "url": (SCALAR, {}),
    },
    "Issue": {
        "id": (SCALAR, {}),
        "databaseId": (SCALAR, {}),
        "number": (SCALAR, {}),
        "title": (SCALAR, {}),
        "url": (SCALAR, {}),
        "state": (SCALAR, {}),
        "createdAt": (SCALAR, {}),
        "updatedAt": (SCALAR, {}),
        "assignees": ("UserConnection", {"first": False, "last": False}),
        "repository": ("Repository", {}),
    },
    "UserConnection": {"nodes": ("User", {}), "totalCount": (SCALAR, {})},
    "User": {"login": (SCALAR, {}), "name": (SCALAR, {})},
}
LARGEST_PAGE = 100


class GraphQLError(Exception):
    def __init__(self, entry: Json) -> None:
        super().__init__(entry.get("message", ""))
        self.entry = entry


@dataclass
class Token:
    kind: str
    text: str
    line: int
    column: int


@dataclass
class Selection:
    name: str  # a field's name, or "..." for a fragment spread or an inline fragment
    alias: str
    arguments: dict[str, Any] = field(default_factory=dict)
    children: list[Selection] | None = None
    fragment: str | None = None  # a spread's fragment name
    on: str | None = None  # an inline fragment's type condition
    line: int = 1
    column: int = 1


# --- parsing ------------------------------------------------------------------------


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position, line, line_start = 0, 1, 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            column = position - line_start + 1
            raise GraphQLError(
                {
                    "message": f'Parse error on "{text[position]}" at [{line}, {column}]',
                    "locations": [{"line": line, "column": column}],
                }
            )
        kind = match.lastgroup or "skip"
        if kind != "skip":
            tokens.append(Token(kind, match.group(), line, position - line_start + 1))
        for offset, char in enumerate(match.group()):
            if char == "\n":
                line, line_start = line + 1, position + offset + 1
        position = match.end()
    return tokens


class Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.at = 0

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def fail(self, token: Token | None) -> GraphQLError:
        if token is None:
            last = self.tokens[-1] if self.tokens else Token("name", "", 1, 1)
            return GraphQLError(
                {
                    "message": "Unexpected end of document",
                    "locations": [{"line": last.line, "column": last.column}],
                }
            )
        kind = {"punct": "punctuation", "string": "STRING", "number": "INT"}.get(
            token.kind, "IDENTIFIER"
        )
        return GraphQLError(
            {
                "message": f'Parse error on "{token.text}" ({kind}) at '
                f"[{token.line}, {token.column}]",
                "locations": [{"line": token.line, "column": token.column}],
            }
        )

    def take(self, text: str | None = None, kind: str | None = None) -> Token:
        token = self.peek()
        if token is None or (text is not None and token.text != text):
            raise self.fail(token)
        if kind is not None and token.kind != kind:
            raise self.fail(token)
        self.at += 1
        return token

    def document(self) -> tuple[list[Selection], dict[str, tuple[str, list[Selection]]]]:
        operation: list[Selection] | None = None
        fragments: dict[str, tuple[str, list[Selection]]] = {}
        while self.peek() is not None:
            token = self.peek()
            assert token is not None
            if token.text == "fragment":
                self.take()
                name = self.take(kind="name").text
                self.take("on")
                on = self.take(kind="name").text
                fragments[name] = (on, self.selection_set())
            elif token.text == "{" or token.text == "query":
                if token.text == "query":
                    self.take()
                    following = self.peek()
                    if following is not None and following.kind == "name":
                        self.take()
                    if following is not None and following.text == "(":
                        raise GraphQLError(
                            {"message": "The simulator does not take variables; write values."}
                        )
                if operation is not None:
                    raise GraphQLError({"message": "The simulator answers one operation."})
                operation = self.selection_set()
            elif token.text in ("mutation", "subscription"):
                raise GraphQLError(
                    {"message": f"The simulator answers queries, not {token.text}s."}
                )
            else:
                raise self.fail(token)
        if operation is None:
            raise self.fail(None)
        return operation, fragments

    def selection_set(self) -> list[Selection]:
        self.take("{")
        selections = []
        while True:
            token = self.peek()
            if token is None:
                raise self.fail(None)
            if token.text == "}":
                self.take()
                break
            selections.append(self.selection())
        if not selections:
            raise self.fail(token)
        return selections

    def selection(self) -> Selection:
        token = self.peek()
        if token is not None and token.kind == "spread":
            self.take()
            following = self.peek()
            if following is not None and following.text == "on":
                self.take()
                on = self.take(kind="name").text
                return Selection("...", "...", children=self.selection_set(), on=on)
            name = self.take(kind="name")
            return Selection("...", "...", fragment=name.text, line=name.line, column=name.column)
        first = self.take(kind="name")
        alias, name = first.text, first
        following = self.peek()
        if following is not None and following.text == ":":
            self.take()
            name = self.take(kind="name")
        selection = Selection(name.text, alias, line=first.line, column=first.column)
        following = self.peek()
        if following is not None and following.text == "(":
            self.take()
            while True:
                token = self.peek()
                if token is not None and token.text == ")":
                    self.take()
                    break
                argument = self.take(kind="name").text
                self.take(":")
                selection.arguments[argument] = self.value()
        following = self.peek()
        if following is not None and following.text == "{":
            selection.children = self.selection_set()
        return selection

    def value(self) -> Any:
        token = self.peek()
        if token is None:
            raise self.fail(None)
        self.take()
        if token.kind == "string":
            return _unescape(token.text[1:-1])
        if token.kind == "number":
            return int(token.text)
        if token.kind == "name" and token.text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[token.text]
        if token.kind == "name":
            return token.text  # an enum value
        raise self.fail(token)


def _unescape(text: str) -> str:
    simple = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r"}
    simple["t"] = "\t"

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code[1:], 16)) if code.startswith("u") else simple.get(code, code)

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|.)", one, text)


# --- validation ---------------------------------------------------------------------------


def validate(
    selections: list[Selection],
    on: str,
    fragments: dict[str, tuple[str, list[Selection]]],
    path: list[str],
    errors: list[Json],
) -> None:
    for selection in selections:
        where = [{"line": selection.line, "column": selection.column}]
        if selection.name == "...":
            # A named fragment is validated once, on its own; here only its use.
            if selection.fragment is not None and selection.fragment not in fragments:
                errors.append(
                    {
                        "message": f"Fragment {selection.fragment} was used, but not defined",
                        "locations": where,
                        "path": [*path, f"... {selection.fragment}"],
                        "extensions": {
                            "code": "useAndDefineFragment",
                            "fragmentName": selection.fragment,
                        },
                    }
                )
                continue
            if selection.fragment is not None:
                condition = fragments[selection.fragment][0]
            else:
                condition = selection.on or on
            if condition != on:
                errors.append(
                    {
                        "message": f"Fragment on {condition} can't be spread inside {on}",
                        "locations": where,
                        "path": path,
                        "extensions": {"code": "fragmentSpreadTypeMismatch"},
                    }
                )
            elif selection.fragment is None:
                validate(selection.children or [], on, fragments, path, errors)
            continue
        inner = [*path, selection.alias]
        if selection.name == "__typename":
            continue
        known = SCHEMA[on].get(selection.name)
        if known is None:
            errors.append(
                {
                    "path": inner,
                    "extensions": {
                        "code": "undefinedField",
                        "typeName": on,
                        "fieldName": selection.name,
                    },
                    "locations": where,
                    "message": f"Field '{selection.name}' doesn't exist on type '{on}'",
                }
            )
            continue
        returns, accepted = known
        for argument in selection.arguments:
            if argument not in accepted:
                errors.append(
                    {
                        "path": [*inner, argument],
                        "extensions": {
                            "code": "argumentNotAccepted",
                            "name": selection.name,
                            "typeName": "Field",
                            "argumentName": argument,
                        },
                        "locations": where,
                        "message": f"Field '{selection.name}' doesn't accept argument '{argument}'",
                    }
                )
        missing = [
            a for a, required in accepted.items() if required and a not in selection.arguments
        ]
        if missing:
            errors.append(
                {
                    "path": inner,
                    "extensions": {
                        "code": "missingRequiredArguments",
                        "className": "Field",
                        "name": selection.name,
                        "arguments": ", ".join(missing),
                    },
                    "locations": where,
                    "message": f"Field '{selection.name}' is missing required arguments: "
                    f"{', '.join(missing)}",
                }
            )
        if returns == SCALAR and selection.children is not None:
            errors.append(
                {
                    "path": inner,
                    "extensions": {
                        "code": "selectionMismatch",
                        "nodeName": f"field '{selection.name}'",
                        "typeName": "scalar",
                    },
                    "locations": where,
                    "message": f"Selections can't be made on scalars (field '{selection.name}' "
                    "returns a scalar)",
                }
            )
        elif returns != SCALAR and selection.children is None:
            errors.append(
                {
                    "path": inner,
                    "extensions": {
                        "code": "selectionMismatch",
                        "nodeName": f"field '{selection.name}'",
                        "typeName": returns,
                    },
                    "locations": where,
                    "message": f"Field must have selections (field '{selection.name}' returns "
                    f"{returns} but has no selections. Did you mean '{selection.name} {{ ... }}'?)",
                }
            )
        elif returns != SCALAR and selection.children is not None:
            validate(selection.children, returns, fragments, inner, errors)


# --- execution ----------------------------------------------------------------------------


@dataclass
class Context:
    data: GitHubData
    urls: Urls
    viewer: User
    fragments: dict[str, tuple[str, list[Selection]]]
    errors: list[Json] = field(default_factory=list)


def execute(
    selections: list[Selection], on: str, value: Any, path: list[Any], ctx: Context
) -> Json:
    result: Json = {}
    for selection in _flatten(selections, ctx):
        inner = [*path, selection.alias]
        if selection.name == "__typename":
            result[selection.alias] = on
            continue
        returns, _ = SCHEMA[on][selection.name]
        resolved = _resolve(on, selection, value, inner, ctx)
        if returns == SCALAR or resolved is None:
            result[selection.alias] = resolved
        elif isinstance(resolved, list):
            result[selection.alias] = [
                execute(selection.children or [], returns, item, [*inner, n], ctx)
                for n, item in enumerate(resolved)
            ]
        else:
            result[selection.alias] = execute(
                selection.children or [], returns, resolved, inner, ctx
            )
    return result


def _looping(fragments: dict[str, tuple[str, list[Selection]]]) -> list[str]:
    """The fragments that spread themselves, directly or through others."""

    def uses(selections: list[Selection]) -> set[str]:
        found: set[str] = set()
        for selection in selections:
            if selection.fragment is not None:
                found.add(selection.fragment)
            found |= uses(selection.children or [])
        return found

    graph = {name: uses(body) for name, (_, body) in fragments.items()}
    looping = []
    for start, first in graph.items():
        stack, seen = list(first), set()
        while stack:
            name = stack.pop()
            if name == start:
                looping.append(start)
                break
            if name not in seen and name in graph:
                seen.add(name)
                stack.extend(graph[name])
    return looping


def _flatten(selections: list[Selection], ctx: Context) -> list[Selection]:
    flat: list[Selection] = []
    for selection in selections:
        if selection.name != "...":
            flat.append(selection)
        elif selection.fragment is not None:
            flat += _flatten(ctx.fragments[selection.fragment][1], ctx)
        else:
            flat += _flatten(selection.children or [], ctx)
    return flat


def _not_found(ctx: Context, path: list[Any], selection: Selection, message: str) -> None:
    ctx.errors.append(
        {
            "type": "NOT_FOUND",
            "path": path,
            "locations": [{"line": selection.line, "column": selection.column}],
            "message": message,
        }
    )


def _resolve(on: str, selection: Selection, value: Any, path: list[Any], ctx: Context) -> Any:
    name, args = selection.name, selection.arguments
    if on == "Query" and name == "viewer":
        return ctx.viewer
    if on == "Query" and name == "repository":
        full = f"{args.get('owner')}/{args.get('name')}"
        if not ctx.data.repo_exists(full):
            _not_found(
                ctx, path, selection, f"Could not resolve to a Repository with the name '{full}'."
            )
            return None
        return _canonical_repo(ctx.data, full)
    if on == "Repository":
        if name == "issue":
            number = args.get("number")
            issue = ctx.data.find(value, number) if isinstance(number, int) else None
            if issue is None or issue.pull_request:
                _not_found(
                    ctx,
                    path,
                    selection,
                    f"Could not resolve to an Issue with the number of {number}.",
                )
                return None
            return issue
        return {
            "nameWithOwner": value,
            "name": value.partition("/")[2],
            "url": f"{ctx.urls.web}/{value}",
        }[name]
    if on == "Issue":
        return _issue_field(selection, value, path, ctx)
    if on == "UserConnection":
        return value[name]
    if on == "User":
        return {"login": value.login, "name": value.name or None}[name]
    raise AssertionError(f"{on}.{name} validated but not resolved")


def _issue_field(selection: Selection, issue: Issue, path: list[Any], ctx: Context) -> Any:
    name = selection.name
    if name == "assignees":
        first, last = selection.arguments.get("first"), selection.arguments.get("last")
        count = first if first is not None else last
        if not isinstance(count, int):
            ctx.errors.append(
                {
                    "type": "MISSING_PAGINATION_BOUNDARIES",
                    "path": path,
                    "locations": [{"line": selection.line, "column": selection.column}],
                    "message": "You must provide a `first` or `last` value to properly paginate "
                    "the `assignees` connection.",
                }
            )
            return None
        if count > LARGEST_PAGE:
            ctx.errors.append(
                {
                    "type": "EXCESSIVE_PAGINATION",
                    "path": path,
                    "locations": [{"line": selection.line, "column": selection.column}],
                    "message": f"Requesting {count} records on the `assignees` connection "
                    f"exceeds the `{'first' if first is not None else 'last'}` limit of "
                    f"{LARGEST_PAGE} records.",
                }
            )
            return None
        people = [ctx.data.users.get(login) or User(0, login, "", "") for login in issue.assignees]
        chosen = people[:count] if first is not None else people[-count:] if count else []
        return {"nodes": chosen, "totalCount": len(people)}
    if name == "repository":
        return issue.repo
    return {
        "id": f"I_{issue.id}",
        "databaseId": issue.id,
        "number": issue.number,
        "title": issue.title,
        "url": f"{ctx.urls.web}/{issue.repo}/issues/{issue.number}",
        "state": issue.state.upper(),
        "createdAt": github_time(issue.created),
        "updatedAt": github_time(issue.updated),
    }[name]


def _canonical_repo(data: GitHubData, full: str) -> str:
    with data.lock:
        return next(i.repo for i in data.issues if i.repo.lower() == full.lower())


# --- the endpoint -------------------------------------------------------------------------


def answer(body: Any, data: GitHubData, urls: Urls, viewer: User) -> Json:
    """The JSON GitHub answers (always with HTTP 200) to a GraphQL request body."""
    query = body.get("query") if isinstance(body, dict) else None
    if not isinstance(query, str):
        return {
            "errors": [{"message": "A query attribute must be specified and must be a string."}]
        }
    variables = body.get("variables")
    if variables not in (None, {}):
        return {"errors": [{"message": "The simulator does not take variables; write values."}]}
    try:
        operation, fragments = Parser(query).document()
    except GraphQLError as error:
        return {"errors": [error.entry]}
    problems: list[Json] = []
    for on, _ in fragments.values():
        if on not in SCHEMA:
            problems.append({"message": f"No such type {on}, so it can't be a fragment condition"})
    if not problems:
        validate(operation, "Query", fragments, ["query"], problems)
        for name, (on, children) in fragments.items():
            validate(children, on, fragments, [f"fragment {name}"], problems)
        for name in _looping(fragments):
            problems.append({"message": f"Fragment {name} contains an infinite loop"})
    if problems:
        return {"errors": problems}
    ctx = Context(data, urls, viewer, fragments)
    result: Json = {"data": execute(operation, "Query", None, [], ctx)}
    if ctx.errors:
        result["errors"] = ctx.errors
    return result
