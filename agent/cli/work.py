"""Working on one issue: `show`, `transition`, `comment`, `assign`, `start`. Each is
a protocol call or two (`issues/get` first where a name must be matched); `create`
lives in agent/cli/create.py."""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agent.cli import gitbranch, render_issue
from agent.cli.connection import AgentConnection
from agent.cli.instances import choose_instance
from agent.cli.matching import (
    Ambiguous,
    NoMatch,
    match_transition,
    match_user,
    transition_label,
    user_label,
)
from agent.cli.output import CliError, Output
from agent.cli.prompts import Prompter
from protocol import methods


async def _instance_id(
    args: argparse.Namespace, agent: AgentConnection, needs: Sequence[str] = (), what: str = ""
) -> str:
    instance = await choose_instance(agent, args.instance, args.output, needs, what)
    return str(instance["instanceId"])


async def get_issue(agent: AgentConnection, instance_id: str, key: str) -> dict[str, Any]:
    result = await agent.request(methods.ISSUES_GET, {"instanceId": instance_id, "key": key})
    return dict(result["issue"])


async def show(args: argparse.Namespace, agent: AgentConnection) -> int:
    out: Output = args.output
    instance_id = await _instance_id(args, agent, [methods.ISSUES_GET], "showing an issue")
    result = await agent.request(methods.ISSUES_GET, {"instanceId": instance_id, "key": args.key})
    if not out.result(result):
        render_issue.detail(result["issue"])
    return 0


def _pick_transition(args: argparse.Namespace, issue: dict[str, Any]) -> dict[str, Any]:
    transitions = issue.get("transitions") or []
    key = issue["key"]
    if args.name is None:
        if not transitions:
            raise CliError(f"{key} ({issue['status']['name']}) offers no transitions now")
        labels = [transition_label(t) for t in transitions]
        index = Prompter(args.output).choose(
            f"{key} is {issue['status']['name']}; its transitions:",
            labels,
            instead=f"give one: `issuebridge transition {key} NAME`",
            names=[str(t["name"]) for t in transitions],
        )
        return dict(transitions[index])
    try:
        return match_transition(transitions, args.name, key)
    except (NoMatch, Ambiguous) as exc:
        raise CliError(str(exc)) from None


async def transition(args: argparse.Namespace, agent: AgentConnection) -> int:
    out: Output = args.output
    instance_id = await _instance_id(
        args, agent, [methods.ISSUES_GET, methods.ISSUES_TRANSITION], "transitions"
    )
    before = await get_issue(agent, instance_id, args.key)
    chosen = _pick_transition(args, before)
    params: dict[str, Any] = {
        "instanceId": instance_id,
        "key": before["key"],
        "transitionId": chosen["id"],
    }
    if args.comment:
        params["comment"] = args.comment
    result = await agent.request(methods.ISSUES_TRANSITION, params)
    if not out.result(result):
        issue = result["issue"]
        print(
            f"{issue['key']}: {before['status']['name']} → {issue['status']['name']} "
            f"({chosen['name']}){', with a comment' if args.comment else ''}"
        )
    return 0


def _comment_body(args: argparse.Namespace) -> str:
    if args.text is not None and args.message is not None:
        raise CliError("give the comment once: as TEXT or with -m, not both", 2)
    body = args.text if args.text is not None else args.message
    if body is None:
        if sys.stdin.isatty():
            args.output.say("Type the comment; end it with Ctrl-D on a line of its own:")
        body = sys.stdin.read()
    if not body.strip():
        raise CliError("the comment is empty; give it as TEXT, with -m TEXT, or on stdin", 2)
    return str(body).rstrip("\n")


async def comment(args: argparse.Namespace, agent: AgentConnection) -> int:
    out: Output = args.output
    instance_id = await _instance_id(args, agent, [methods.ISSUES_COMMENT], "comments")
    body = _comment_body(args)
    result = await agent.request(
        methods.ISSUES_COMMENT, {"instanceId": instance_id, "key": args.key, "body": body}
    )
    if not out.result(result):
        print(f"Commented on {args.key} (comment {result['comment']['id']}).")
    return 0


async def _assignee(
    args: argparse.Namespace, agent: AgentConnection, instance_id: str
) -> dict[str, Any] | str | None:
    wanted = args.user.strip()
    if wanted.casefold() == "me":
        return "me"
    if wanted.casefold() == "none":
        return None
    found = await agent.request(
        methods.ISSUES_ASSIGNEES, {"instanceId": instance_id, "key": args.key, "query": wanted}
    )
    users = list(found["users"])
    try:
        return {"name": match_user(users, wanted, args.key)["name"]}
    except NoMatch as exc:
        raise CliError(str(exc)) from None
    except Ambiguous as exc:
        if not sys.stdin.isatty():
            raise CliError(str(exc)) from None
        index = Prompter(args.output).choose(
            f"Several users match {wanted!r}:",
            [user_label(u) for u in exc.choices],
            instead="give the user name",
            names=[str(u["name"]) for u in exc.choices],
        )
        return {"name": exc.choices[index]["name"]}


def assign_needs(user: str) -> tuple[list[str], str]:
    """`me` and `none` need only `issues/assign`; a name is searched first."""
    if user.strip().casefold() in ("me", "none"):
        return [methods.ISSUES_ASSIGN], "assigning issues"
    return [methods.ISSUES_ASSIGN, methods.ISSUES_ASSIGNEES], "assigning issues to others"


async def assign(args: argparse.Namespace, agent: AgentConnection) -> int:
    out: Output = args.output
    instance_id = await _instance_id(args, agent, *assign_needs(args.user))
    assignee = await _assignee(args, agent, instance_id)
    result = await agent.request(
        methods.ISSUES_ASSIGN, {"instanceId": instance_id, "key": args.key, "assignee": assignee}
    )
    if not out.result(result):
        print(render_issue.status_line(result["issue"]))
    return 0


def start_needs(transition: str | None) -> tuple[list[str], str]:
    """`--transition NAME` reads the issue's transitions first."""
    if transition:
        return [methods.ISSUES_START_WORK, methods.ISSUES_GET], "Start Work with --transition"
    return [methods.ISSUES_START_WORK], "Start Work"


async def start(args: argparse.Namespace, agent: AgentConnection) -> int:
    out: Output = args.output
    instance_id = await _instance_id(args, agent, *start_needs(args.transition))
    repo = None
    if args.git:
        try:  # refused before anything changes in the tracker
            repo = gitbranch.inspect(Path(args.workspace))
            gitbranch.refuse_dirty(repo, args.force)
        except gitbranch.GitError as exc:
            raise CliError(str(exc)) from None
    params: dict[str, Any] = {"instanceId": instance_id, "key": args.key}
    if args.transition:
        before = await get_issue(agent, instance_id, args.key)
        try:
            params["transitionId"] = match_transition(
                before.get("transitions") or [], args.transition, before["key"]
            )["id"]
        except (NoMatch, Ambiguous) as exc:
            raise CliError(str(exc)) from None
    result = dict(await agent.request(methods.ISSUES_START_WORK, params))
    switched = None
    if repo is not None:
        try:
            switched = gitbranch.switch(repo, result["branchName"])
        except gitbranch.GitError as exc:
            raise CliError(f"{result['issue']['key']} is started, but {exc}") from None
        result["git"] = {
            "repository": str(repo.root),
            "branch": switched.branch,
            "created": switched.created,
        }
    if out.result(result):
        return 0
    print(render_issue.status_line(result["issue"]))
    if switched is None:
        print(f"Branch: {result['branchName']}")
    elif switched.already_there:
        print(f"Already on branch {switched.branch}")
    else:
        made = "a new branch" if switched.created else "the existing branch"
        print(f"Switched to {made} {switched.branch}")
    return 0
