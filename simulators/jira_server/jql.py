"""A JQL subset: tokenizer, parser, validating compiler and ORDER BY.

Jira validates a whole query before running it, so unknown fields, unsupported
operators and values that do not exist are all reported as 400 errors with Jira's own
wording, never as an empty result.

Negation follows Jira: ``NOT`` is pushed down into the clauses (De Morgan), and the
negative operators (``!=``, ``NOT IN``, ``!~``) never match an empty field, so
``assignee != bob`` and ``NOT assignee = bob`` both leave out unassigned issues.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime, timedelta

from .data import (
    ISSUE_TYPES,
    PRIORITIES,
    RESOLUTIONS,
    STATUS_CATEGORIES,
    STATUSES,
    Issue,
    Store,
    User,
    item_by_id,
    status_by_id,
)

VALID_OPERATORS = (
    "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', "
    "'IS' and 'IS NOT'."
)
RESERVED = {"and", "or", "not", "in", "is", "empty", "null", "order", "by", "asc", "desc"}
_SPECIAL = set("()=,!~<>\"'")


class JqlError(Exception):
    """A query Jira would refuse with 400; ``str()`` is Jira's error message."""


# -- tokens -------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # lparen rparen comma op string word eof
    text: str
    pos: int  # 1-based character position, as in Jira's "(line 1, character N)"

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.lower() in words


def _where(pos: int) -> str:
    return f"(line 1, character {pos})"


def tokenize(jql: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(jql):
        ch = jql[i]
        if ch.isspace():
            i += 1
            continue
        start = i + 1
        if ch in "(),":
            kind = {"(": "lparen", ")": "rparen", ",": "comma"}[ch]
            tokens.append(Token(kind, ch, start))
            i += 1
        elif jql.startswith(("!=", "!~", "<=", ">="), i):
            tokens.append(Token("op", jql[i : i + 2], start))
            i += 2
        elif ch in "=~<>":
            tokens.append(Token("op", ch, start))
            i += 1
        elif ch in "\"'":
            i += 1
            out: list[str] = []
            while i < len(jql) and jql[i] != ch:
                if jql[i] == "\\" and i + 1 < len(jql):
                    i += 1
                    out.append({"n": "\n", "t": "\t"}.get(jql[i], jql[i]))
                else:
                    out.append(jql[i])
                i += 1
            if i >= len(jql):
                raise JqlError(
                    f"Error in the JQL Query: The quoted string '{''.join(out)}' has not been "
                    f"completed. {_where(start)}"
                )
            i += 1
            tokens.append(Token("string", "".join(out), start))
        elif ch == "!":
            raise JqlError(
                f"Error in the JQL Query: The character '!' is a reserved JQL character. You "
                f"must enclose it in a string or use the escape '\\u0021' instead. {_where(start)}"
            )
        else:
            j = i
            while j < len(jql) and not jql[j].isspace() and jql[j] not in _SPECIAL:
                j += 1
            tokens.append(Token("word", jql[i:j], start))
            i = j
    tokens.append(Token("eof", "", len(jql) + 1))
    return tokens


# -- syntax tree ----------------------------------------------------------------


@dataclass(frozen=True)
class Operand:
    kind: str  # value, empty, function, list
    text: str = ""
    items: tuple[Operand, ...] = ()
    pos: int = 0


@dataclass(frozen=True)
class Clause:
    field: str
    op: str  # =, !=, ~, !~, <, <=, >, >=, in, not in, is, is not
    operand: Operand
    pos: int


@dataclass(frozen=True)
class BoolNode:
    kind: str  # and, or, not
    children: tuple[Node, ...]


Node = Clause | BoolNode


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool


@dataclass(frozen=True)
class Query:
    where: Node | None
    order_by: tuple[SortKey, ...]


class _Parser:
    def __init__(self, jql: str) -> None:
        self.tokens = tokenize(jql)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Query:
        where: Node | None = None
        if self.tok.kind != "eof" and not self.tok.is_word("order"):
            where = self.parse_or()
        order: tuple[SortKey, ...] = ()
        if self.tok.is_word("order"):
            order = self.parse_order_by()
        if self.tok.kind != "eof":
            raise JqlError(
                f"Error in the JQL Query: Expecting either 'OR' or 'AND' but got "
                f"'{self.tok.text}'. {_where(self.tok.pos)}"
            )
        return Query(where, order)

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while self.tok.is_word("or"):
            self.take()
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else BoolNode("or", tuple(children))

    def parse_and(self) -> Node:
        children = [self.parse_not()]
        while self.tok.is_word("and"):
            self.take()
            children.append(self.parse_not())
        return children[0] if len(children) == 1 else BoolNode("and", tuple(children))

    def parse_not(self) -> Node:
        if self.tok.is_word("not"):
            self.take()
            return BoolNode("not", (self.parse_not(),))
        if self.tok.kind == "lparen":
            self.take()
            inner = self.parse_or()
            if self.tok.kind != "rparen":
                raise JqlError(
                    f"Error in the JQL Query: Expecting ')' but got '{self.tok.text or 'EOF'}'. "
                    f"{_where(self.tok.pos)}"
                )
            self.take()
            return inner
        return self.parse_clause()

    def parse_clause(self) -> Clause:
        tok = self.tok
        if tok.kind == "eof":
            raise JqlError(
                "Error in the JQL Query: Expecting a field name at the end of the query."
            )
        reserved = tok.kind == "word" and tok.text.lower() in RESERVED
        if tok.kind not in ("word", "string") or reserved:
            raise JqlError(
                f"Error in the JQL Query: Expecting a field name but got '{tok.text}'. You must "
                f"surround '{tok.text}' in quotation marks to use it as a field name. "
                f"{_where(tok.pos)}"
            )
        self.take()
        op = self.parse_operator()
        if op in ("is", "is not"):
            value = self.tok
            if not value.is_word("empty", "null"):
                raise JqlError(
                    f"Error in the JQL Query: Expecting 'EMPTY' or 'NULL' but got "
                    f"'{value.text or 'EOF'}'. {_where(value.pos)}"
                )
            self.take()
            return Clause(tok.text, op, Operand("empty", value.text, pos=value.pos), tok.pos)
        return Clause(tok.text, op, self.parse_operand(), tok.pos)

    def parse_operator(self) -> str:
        tok = self.tok
        if tok.kind == "op":
            self.take()
            return tok.text
        if tok.is_word("in"):
            self.take()
            return "in"
        if tok.is_word("not") and self.tokens[self.i + 1].is_word("in"):
            self.i += 2
            return "not in"
        if tok.is_word("is"):
            self.take()
            if self.tok.is_word("not"):
                self.take()
                return "is not"
            return "is"
        if tok.kind == "eof":
            raise JqlError(
                f"Error in the JQL Query: Expecting operator before the end of the query. "
                f"{VALID_OPERATORS}"
            )
        raise JqlError(
            f"Error in the JQL Query: Expecting operator but got '{tok.text}'. {VALID_OPERATORS} "
            f"{_where(tok.pos)}"
        )

    def parse_operand(self) -> Operand:
        tok = self.tok
        if tok.kind == "lparen":
            self.take()
            items = [self.parse_operand()]
            while self.tok.kind == "comma":
                self.take()
                items.append(self.parse_operand())
            if self.tok.kind != "rparen":
                raise JqlError(
                    f"Error in the JQL Query: Expecting ')' but got '{self.tok.text or 'EOF'}'. "
                    f"{_where(self.tok.pos)}"
                )
            self.take()
            return Operand("list", items=tuple(items), pos=tok.pos)
        if tok.kind == "string":
            self.take()
            return Operand("value", tok.text, pos=tok.pos)
        if tok.kind == "word":
            if tok.is_word("empty", "null"):
                self.take()
                return Operand("empty", tok.text, pos=tok.pos)
            if tok.text.lower() in RESERVED:
                raise JqlError(
                    f"Error in the JQL Query: '{tok.text}' is a reserved JQL word. You must "
                    f"surround it in quotation marks to use it in a query. {_where(tok.pos)}"
                )
            self.take()
            if self.tok.kind == "lparen":
                return self.parse_function(tok)
            return Operand("value", tok.text, pos=tok.pos)
        if tok.kind == "eof":
            raise JqlError(
                "Error in the JQL Query: Expecting either a value, list or function before the "
                "end of the query."
            )
        raise JqlError(
            f"Error in the JQL Query: Expecting either a value, list or function but got "
            f"'{tok.text}'. {_where(tok.pos)}"
        )

    def parse_function(self, name: Token) -> Operand:
        self.take()  # "("
        args: list[Operand] = []
        while self.tok.kind != "rparen":
            if self.tok.kind not in ("word", "string"):
                raise JqlError(
                    f"Error in the JQL Query: Expecting ')' but got '{self.tok.text or 'EOF'}'. "
                    f"{_where(self.tok.pos)}"
                )
            args.append(Operand("value", self.take().text))
            if self.tok.kind == "comma":
                self.take()
        self.take()
        return Operand("function", name.text, tuple(args), name.pos)

    def parse_order_by(self) -> tuple[SortKey, ...]:
        self.take()
        if not self.tok.is_word("by"):
            raise JqlError(
                f"Error in the JQL Query: Expecting 'by' but got '{self.tok.text or 'EOF'}'. "
                f"{_where(self.tok.pos)}"
            )
        self.take()
        keys: list[SortKey] = []
        while True:
            tok = self.tok
            if tok.kind not in ("word", "string"):
                raise JqlError(
                    f"Error in the JQL Query: Expecting a field name but got "
                    f"'{tok.text or 'EOF'}'. {_where(tok.pos)}"
                )
            self.take()
            descending = False
            if self.tok.is_word("asc", "desc"):
                descending = self.take().text.lower() == "desc"
            keys.append(SortKey(tok.text, descending))
            if self.tok.kind != "comma":
                return tuple(keys)
            self.take()


def parse(jql: str) -> Query:
    return _Parser(jql).parse()


# -- compilation --------------------------------------------------------------------

Predicate = Callable[[Issue], bool]

_NEGATE = {
    "=": "!=",
    "!=": "=",
    "in": "not in",
    "not in": "in",
    "is": "is not",
    "is not": "is",
    "~": "!~",
    "!~": "~",
    "<": ">=",
    ">=": "<",
    ">": "<=",
    "<=": ">",
}

_FIELD_ALIASES = {
    "project": "project",
    "status": "status",
    "statuscategory": "statusCategory",
    "assignee": "assignee",
    "reporter": "reporter",
    "priority": "priority",
    "type": "issuetype",
    "issuetype": "issuetype",
    "labels": "labels",
    "key": "key",
    "issuekey": "key",
    "id": "key",
    "resolution": "resolution",
    "summary": "summary",
    "description": "description",
    "text": "text",
    "comment": "comment",
    "created": "created",
    "createddate": "created",
    "updated": "updated",
    "updateddate": "updated",
    "resolved": "resolutiondate",
    "resolutiondate": "resolutiondate",
}
_ENTITY_OPS = {"=", "!=", "in", "not in", "is", "is not"}
_TEXT_OPS = {"~", "!~", "is", "is not"}
_DATE_OPS = _ENTITY_OPS | {"<", "<=", ">", ">="}
_TEXT_FIELDS = {"summary", "description", "text", "comment"}
_DATE_FIELDS = {"created", "updated", "resolutiondate"}
_NO_MATCH = "\x00no-match"  # currentUser() for an anonymous caller


@dataclass
class Context:
    store: Store
    user: User | None
    now: datetime
    # Anonymous callers may browse nothing in the simulated instance: projects and
    # issues they cannot see "do not exist", exactly as Jira words it.
    can_browse: bool = True
    # Set while compiling when the result depends on `now` (now(), startOfDay(), -1d...):
    # such a result is not the same a moment later, so the search cache keeps none.
    reads_clock: bool = False
    # The search's `validateQuery`. False: a value that does not exist (a missing
    # issue key, an unknown user or status) matches nothing and is reported in
    # `warnings` (the answer's `warningMessages`) instead of failing the search with
    # 400; a query that is not well formed is still refused.
    validate: bool = True
    warnings: list[str] = dataclass_field(default_factory=list)


def canonical_field(name: str) -> str:
    canonical = _FIELD_ALIASES.get(name.lower())
    if canonical is None:
        raise JqlError(f"Field '{name}' does not exist or you do not have permission to view it.")
    return canonical


def compile_query(query: Query, ctx: Context) -> Predicate:
    if query.where is None:
        return lambda _issue: True
    return _compile(query.where, ctx, negated=False)


def _compile(node: Node, ctx: Context, negated: bool) -> Predicate:
    if isinstance(node, Clause):
        return _compile_clause(node, ctx, negated)
    if node.kind == "not":
        return _compile(node.children[0], ctx, not negated)
    parts = [_compile(child, ctx, negated) for child in node.children]
    # De Morgan: a negated AND becomes an OR of negated children, and vice versa.
    use_all = (node.kind == "and") != negated
    if use_all:
        return lambda issue: all(p(issue) for p in parts)
    return lambda issue: any(p(issue) for p in parts)


def _compile_clause(clause: Clause, ctx: Context, negated: bool) -> Predicate:
    field = canonical_field(clause.field)
    if field in _TEXT_FIELDS:
        allowed = _TEXT_OPS
    elif field in _DATE_FIELDS:
        allowed = _DATE_OPS
    else:
        allowed = _ENTITY_OPS
    if clause.op not in allowed:
        raise JqlError(
            f"The operator '{clause.op}' is not supported by the '{clause.field}' field."
        )
    operand = clause.operand
    if clause.op in ("in", "not in") and operand.kind not in ("list", "function"):
        raise JqlError(
            f"The operator '{clause.op}' does not support the value '{operand.text}' for field "
            f"'{clause.field}'. Use a list of values in parentheses."
        )
    if clause.op not in ("in", "not in") and operand.kind == "list":
        raise JqlError(
            f"The operator '{clause.op}' does not support the list value for field "
            f"'{clause.field}'."
        )
    op = _NEGATE[clause.op] if negated else clause.op
    if op in ("is", "is not") or (operand.kind == "empty" and op in ("=", "!=")):
        want_empty = op in ("is", "=")
        getter = _empty_getter(field)
        return lambda issue: getter(issue) == want_empty
    if field in _TEXT_FIELDS:
        return _text_predicate(field, clause, op)
    if field in _DATE_FIELDS:
        return _date_predicate(field, clause, op, ctx)
    return _entity_predicate(field, clause, op, ctx)


def _items(operand: Operand) -> tuple[Operand, ...]:
    return operand.items if operand.kind == "list" else (operand,)


def _empty_getter(field: str) -> Callable[[Issue], bool]:
    if field == "labels":
        return lambda issue: not issue.labels
    if field in _TEXT_FIELDS:
        return lambda issue: not (_text_of(field, issue).strip())
    if field == "key":
        return lambda _issue: False
    attr = {
        "project": "project_key",
        "status": "status_id",
        "statusCategory": "status_id",
        "issuetype": "issuetype_id",
        "priority": "priority_id",
        "resolution": "resolution_id",
    }.get(field, field)
    return lambda issue: getattr(issue, attr) is None


# -- entity fields (single-valued ids, and labels) --------------------------------------


def _entity_predicate(field: str, clause: Clause, op: str, ctx: Context) -> Predicate:
    wanted: set[str | None] = set()
    for item in _items(clause.operand):
        wanted.add(_resolve(field, clause.field, item, ctx))
    positive = op in ("=", "in")
    if field == "labels":
        lowered = {w.lower() for w in wanted if w is not None}
        allow_empty = None in wanted

        def labels_match(issue: Issue) -> bool:
            have = {label.lower() for label in issue.labels}
            hit = bool(have & lowered) or (allow_empty and not have)
            return hit if positive else bool(have) and not hit

        return labels_match
    getter = _value_getter(field)

    def match(issue: Issue) -> bool:
        value = getter(issue)
        if positive:
            return value in wanted
        return value is not None and value not in wanted

    return match


def _value_getter(field: str) -> Callable[[Issue], str | None]:
    getters: dict[str, Callable[[Issue], str | None]] = {
        "project": lambda i: i.project_key,
        "status": lambda i: i.status_id,
        "statusCategory": lambda i: status_by_id(i.status_id).category,
        "assignee": lambda i: i.assignee,
        "reporter": lambda i: i.reporter,
        "priority": lambda i: i.priority_id,
        "issuetype": lambda i: i.issuetype_id,
        "resolution": lambda i: i.resolution_id,
        "key": lambda i: i.key,
    }
    return getters[field]


def _resolve(field: str, shown: str, operand: Operand, ctx: Context) -> str | None:
    """Map one operand to the canonical stored value, or raise Jira's 'does not exist'."""
    if operand.kind == "empty":
        return None
    if operand.kind == "function":
        name = operand.text.lower()
        if name == "currentuser" and field in ("assignee", "reporter"):
            return ctx.user.name if ctx.user else _NO_MATCH
        if name in ("currentuser", "now", "startofday", "endofday", "startofweek", "startofmonth"):
            raise JqlError(
                f"A value provided by the function '{operand.text}' is invalid for the field "
                f"'{shown}'."
            )
        raise JqlError(f"Unable to find JQL function '{operand.text}()'.")
    text = operand.text
    lowered = text.lower()
    found: str | None = None
    if field == "project":
        project = ctx.store.project(text)
        found = project.key if project and ctx.can_browse else None
    elif field == "status":
        found = next((s.id for s in STATUSES if lowered in (s.id, s.name.lower())), None)
    elif field == "statusCategory":
        found = next(
            (
                c.key
                for c in STATUS_CATEGORIES.values()
                if lowered in (str(c.id), c.key, c.name.lower())
            ),
            None,
        )
    elif field in ("assignee", "reporter"):
        user = ctx.store.find_user(text)
        found = user.name if user else None
    elif field in ("priority", "issuetype", "resolution"):
        if field == "resolution" and lowered == "unresolved":
            return None
        items = {"priority": PRIORITIES, "issuetype": ISSUE_TYPES, "resolution": RESOLUTIONS}
        found = next((i.id for i in items[field] if lowered in (i.id, i.name.lower())), None)
    elif field == "key":
        issue = ctx.store.issue(text)
        if issue is None or not ctx.can_browse:
            return _missing(ctx, f"An issue with key '{text}' does not exist for field '{shown}'.")
        found = issue.key
    elif field == "labels":
        return text
    if found is None:
        return _missing(ctx, f"The value '{text}' does not exist for the field '{shown}'.")
    return found


def _missing(ctx: Context, message: str) -> str:
    """A value that does not exist: Jira's 400, or with `validateQuery` false a warning
    and a value no issue has."""
    if ctx.validate:
        raise JqlError(message)
    ctx.warnings.append(message)
    return _NO_MATCH


# -- text fields ----------------------------------------------------------------------

_WORD = re.compile(r"[\w*]+", re.UNICODE)


def _text_of(field: str, issue: Issue) -> str:
    if field == "summary":
        return issue.summary
    if field == "description":
        return issue.description or ""
    comments = " ".join(c.body for c in issue.comments)
    if field == "comment":
        return comments
    return f"{issue.summary} {issue.description or ''} {comments}"


def _stem(word: str) -> str:
    # Jira's analyser stems English words; stripping a plural "s" covers the common case.
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _text_predicate(field: str, clause: Clause, op: str) -> Predicate:
    operand = clause.operand
    if operand.kind != "value":
        raise JqlError(f"The field '{clause.field}' does not support searching for this value.")
    terms = [t.lower() for t in _WORD.findall(operand.text)]
    if not terms:
        raise JqlError(
            f"The field '{clause.field}' does not support searching for an empty string."
        )

    def contains(issue: Issue) -> bool:
        words = [w.lower() for w in _WORD.findall(_text_of(field, issue))]
        stems = {_stem(w) for w in words}
        for term in terms:
            if term.endswith("*"):
                prefix = term.rstrip("*")
                if not any(w.startswith(prefix) for w in words):
                    return False
            elif _stem(term) not in stems:
                return False
        return True

    if op == "~":
        return contains
    return lambda issue: bool(_text_of(field, issue).strip()) and not contains(issue)


# -- date fields -----------------------------------------------------------------------

_DATE_FORMATS = ("%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%Y-%m-%d")
_RELATIVE = re.compile(r"^([-+]?)((?:\d+[wdhm]\s*)+)$")
_UNIT = {"w": 604800, "d": 86400, "h": 3600, "m": 60}


def _parse_date(field: str, operand: Operand, ctx: Context) -> datetime:
    now = ctx.now
    if operand.kind == "function":
        ctx.reads_clock = True
        name = operand.text.lower()
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        if name == "now":
            return now
        if name == "startofday":
            return start
        if name == "endofday":
            return start + timedelta(days=1) - timedelta(milliseconds=1)
        if name == "startofweek":
            return start - timedelta(days=(start.weekday() + 1) % 7)
        if name == "startofmonth":
            return start.replace(day=1)
        if name == "currentuser":
            raise JqlError(
                f"A value provided by the function '{operand.text}' is invalid for the field "
                f"'{field}'."
            )
        raise JqlError(f"Unable to find JQL function '{operand.text}()'.")
    text = operand.text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    match = _RELATIVE.match(text)
    if match:
        ctx.reads_clock = True
        seconds = sum(int(n) * _UNIT[u] for n, u in re.findall(r"(\d+)([wdhm])", match.group(2)))
        return (
            now - timedelta(seconds=seconds)
            if match.group(1) == "-"
            else now + timedelta(seconds=seconds)
        )
    raise JqlError(
        f"Date value '{operand.text}' for field '{field}' is invalid. Valid formats include: "
        "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format "
        "e.g. '-5d', '4w 2d'."
    )


def _date_predicate(field: str, clause: Clause, op: str, ctx: Context) -> Predicate:
    values = [_parse_date(clause.field, item, ctx) for item in _items(clause.operand)]
    limit = values[0]
    compare: dict[str, Callable[[datetime], bool]] = {
        "=": lambda v: v in values,
        "in": lambda v: v in values,
        "!=": lambda v: v not in values,
        "not in": lambda v: v not in values,
        "<": lambda v: v < limit,
        "<=": lambda v: v <= limit,
        ">": lambda v: v > limit,
        ">=": lambda v: v >= limit,
    }
    check = compare[op]

    def match(issue: Issue) -> bool:
        value: datetime | None = getattr(issue, field)
        return value is not None and check(value)

    return match


# -- ordering --------------------------------------------------------------------------

_SORTABLE = {
    "key",
    "created",
    "updated",
    "resolutiondate",
    "priority",
    "status",
    "summary",
    "assignee",
    "reporter",
    "project",
    "issuetype",
    "resolution",
}


def _sort_value(field: str, issue: Issue, store: Store) -> object:
    if field == "key":
        return (issue.project_key, issue.number)
    if field in _DATE_FIELDS:
        return getattr(issue, field)
    if field == "priority":
        # ORDER BY priority DESC lists Highest first.
        return -item_by_id(PRIORITIES, issue.priority_id).sequence if issue.priority_id else None
    if field == "status":
        return [s.id for s in STATUSES].index(issue.status_id)
    if field == "summary":
        return issue.summary.lower()
    if field in ("assignee", "reporter"):
        user = store.user(getattr(issue, field))
        return user.display_name.lower() if user else None
    if field == "project":
        project = store.project(issue.project_key)
        return project.name.lower() if project else issue.project_key
    if field == "issuetype":
        return [t.id for t in ISSUE_TYPES].index(issue.issuetype_id)
    if issue.resolution_id is None:
        return None
    return [r.id for r in RESOLUTIONS].index(issue.resolution_id)


def validate_order_by(keys: Sequence[SortKey]) -> list[tuple[str, bool]]:
    resolved = []
    for key in keys:
        field = canonical_field(key.field)
        if field not in _SORTABLE:
            raise JqlError(f"Field '{key.field}' does not support sorting.")
        resolved.append((field, key.descending))
    return resolved


def sort_issues(issues: list[Issue], keys: Sequence[SortKey], store: Store) -> list[Issue]:
    """Sort like Jira: explicit keys first, then key DESC (also the default order).

    Empty values sort after every value ascending and before them descending.
    """
    resolved = validate_order_by(keys)
    result = sorted(issues, key=lambda i: (i.project_key, i.number), reverse=True)
    for field, descending in reversed(resolved):

        def sort_key(issue: Issue, field: str = field) -> tuple[int, object]:
            value = _sort_value(field, issue, store)
            return (1, 0) if value is None else (0, value)

        result.sort(key=sort_key, reverse=descending)
    return result


def search(jql: str, ctx: Context) -> list[Issue]:
    """Parse, validate, filter and order; raises JqlError for anything Jira answers 400."""
    query = parse(jql)
    predicate = compile_query(query, ctx)
    validate_order_by(query.order_by)
    if not ctx.can_browse:
        return []
    with ctx.store.lock:
        matching = [issue for issue in ctx.store.issues if predicate(issue)]
    return sort_issues(matching, query.order_by, ctx.store)
