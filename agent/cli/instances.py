"""`--instance`: an instance id, or its base URL the way people type it (a trailing
slash, an upper-case scheme or host, the default port), matched the way the agent
normalises base URLs, so whatever `configure` accepted finds the instance again."""

import sys
from collections.abc import Sequence
from typing import Any

from agent.cli import capabilities
from agent.cli.connection import AgentConnection
from agent.cli.output import CliError, Output
from agent.errors import AgentError
from agent.urls import normalize_base_url


def normalised(url: str) -> str | None:
    try:
        return normalize_base_url(url)
    except AgentError:
        return None


def matches(wanted: str, instance: dict[str, Any]) -> bool:
    if wanted.strip().lower() == str(instance["instanceId"]).lower():
        return True
    url = normalised(wanted)
    return url is not None and url == normalised(str(instance["baseUrl"]))


async def choose_instance(
    agent: AgentConnection,
    wanted: str | None,
    out: Output,
    needs: Sequence[str] = (),
    what: str = "",
) -> dict[str, Any]:
    """The instance the command works on. With `needs` (methods) it stops, exit 2,
    when the instance's provider lacks one: "<provider> does not support <what>"."""
    listed = await agent.request("issuebridge/providers/list")
    instances = [i for p in listed["providers"] for i in p["instances"]]
    chosen = _pick(instances, wanted)
    out.context.about(chosen)
    refused = capabilities.refusal(capabilities.provider_of(listed, chosen), needs, what)
    if refused is not None:
        raise refused
    if chosen.get("insecure"):  # every command on it says so, on stderr
        print(
            f"warning: TLS verification OFF for {chosen['baseUrl']} (insecureSkipVerify)",
            file=sys.stderr,
            flush=True,
        )
    return chosen


def _pick(instances: list[dict[str, Any]], wanted: str | None) -> dict[str, Any]:
    if wanted:
        for instance in instances:
            if matches(wanted, instance):
                return dict(instance)
        raise CliError(f"no instance {wanted!r}; `issuebridge providers` lists them")
    if len(instances) == 1:
        return dict(instances[0])
    if not instances:
        raise CliError("nothing configured yet; run `issuebridge configure jira-server`")
    names = ", ".join(f"{i['instanceId']} ({i['baseUrl']})" for i in instances)
    raise CliError(f"several instances; pick one with --instance: {names}")
