"""The command line of working on issues: show, create, transition, comment, assign,
start. (The other commands: agent/cli/parser.py.)"""

import argparse
from collections.abc import Callable

from agent.cli import create as cli_create
from agent.cli import work as cli_work

# The help of every command's --instance (the parser of the other commands uses it too).
INSTANCE_HELP = "the instance's id or base URL (needed when there are several)"
AddCommand = Callable[..., argparse.ArgumentParser]


def _key(text: str) -> str:
    key = text.strip()
    if not key:
        raise argparse.ArgumentTypeError("the issue key is empty; e.g. CORE-12")
    return key


def _one_issue(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("key", type=_key, metavar="KEY", help="the issue's key, e.g. CORE-12")
    sub.add_argument("--instance", help=INSTANCE_HELP)


def add_work_commands(command: AddCommand) -> None:
    show = command(
        "show",
        "show an issue: details, description, comments, transitions",
        description="Show an issue: status, type, priority, assignee, reporter, labels, "
        "dates, description, comments (oldest first) and the transitions it offers now.",
    )
    _one_issue(show)
    show.set_defaults(run=cli_work.show)

    create = command(
        "create",
        "create an issue from the project's create form",
        description="Create an issue. The project and issue type come from --project and "
        "--type, or are picked from numbered lists. Fields come from --summary and --field "
        "NAME=VALUE (NAME is the field's name or label); the others are asked for: in a "
        "terminal every field (required ones marked *, Enter skips the rest), from a pipe "
        "only the required ones, one answer per line. Choices by number, name or id; "
        "multi-selects and labels comma-separated; dates as YYYY-MM-DD. Prints the new "
        "issue's key and address.",
    )
    create.add_argument("--instance", help=INSTANCE_HELP)
    create.add_argument("--project", metavar="KEY", help="the project's key, e.g. CORE")
    create.add_argument(
        "--type", metavar="TYPE", help="the issue type's name or id, e.g. Bug (default: asked)"
    )
    create.add_argument("--summary", metavar="TEXT", help="the issue's summary (its title)")
    create.add_argument(
        "--field",
        action="append",
        metavar="NAME=VALUE",
        help="a field's value, by the field's name or label; repeat for more fields, "
        "e.g. --field priority=High --field labels=ui,login --field duedate=2025-01-31",
    )
    create.set_defaults(run=cli_create.create)

    transition = command(
        "transition",
        "move an issue along its workflow",
        description="Move an issue along one of the transitions it offers now. NAME is the "
        "transition's name or the status it leads to, in any case; without NAME the "
        "transitions are listed and one is asked for.",
    )
    _one_issue(transition)
    transition.add_argument(
        "name", nargs="?", metavar="NAME", help="the transition or target status, e.g. Done"
    )
    transition.add_argument("--comment", metavar="TEXT", help="add this comment with the move")
    transition.set_defaults(run=cli_work.transition)

    comment = command(
        "comment",
        "add a comment to an issue",
        description="Add a comment: TEXT, -m TEXT, or read from stdin (in a terminal, up to "
        "Ctrl-D). The tracker's markup (Jira's wiki markup) is kept as written.",
    )
    _one_issue(comment)
    comment.add_argument("text", nargs="?", metavar="TEXT", help="the comment")
    comment.add_argument("-m", "--message", metavar="TEXT", help="the comment (instead of TEXT)")
    comment.set_defaults(run=cli_work.comment)

    assign = command(
        "assign",
        "assign an issue to someone, to you (me), or to nobody (none)",
        description="Assign an issue. USER is searched for among the users the issue can be "
        "assigned to (the tracker searches them; Jira: names, e-mail addresses and display "
        "names): one match "
        "is assigned; several are listed and asked about in a terminal, an error otherwise. "
        "`me` is the connected user, `none` unassigns.",
    )
    _one_issue(assign)
    assign.add_argument("user", metavar="USER", help="a user (name or part of it), me, or none")
    assign.set_defaults(run=cli_work.assign)

    start = command(
        "start",
        "start work: assign to you, move to in progress, name (or check out) a branch",
        description="Start work on an issue: assign it to you, move it to in progress (the "
        "first transition into that category, or --transition) and print the branch name "
        "the issues.branchTemplate setting makes. With --git, also create and check out that "
        "branch in the git repository of --workspace (default: here), or check it out when "
        "it exists; refused before anything changes when tracked files have uncommitted "
        "changes, unless --force.",
    )
    _one_issue(start)
    start.add_argument(
        "--transition", metavar="NAME", help="the transition to apply (name or target status)"
    )
    start.add_argument(
        "--git", action="store_true", help="create (or check out) the branch with git"
    )
    start.add_argument(
        "--force",
        action="store_true",
        help="with --git: switch even with uncommitted changes (they come along; "
        "nothing is discarded)",
    )
    start.set_defaults(run=cli_work.start)
