"""What the instance's tracker supports (`Provider.capabilities` in `providers/list`):
a command whose method the provider lacks says so and exits 2 before it calls the
agent, rather than failing part-way. An agent older than `capabilities` (the field
absent) had only Jira Server, which supports every method."""

from collections.abc import Iterable
from typing import Any

from agent.cli.output import CliError


def provider_of(listed: dict[str, Any], instance: dict[str, Any]) -> dict[str, Any] | None:
    for provider in listed.get("providers") or []:
        if provider.get("id") == instance.get("providerId"):
            return dict(provider)
    return None


def missing(provider: dict[str, Any] | None, needs: Iterable[str]) -> list[str]:
    """The methods of `needs` that the provider does not list (none when it lists no
    capabilities at all: an older agent, Jira Server alone)."""
    if provider is None or "capabilities" not in provider:
        return []
    listed = set(provider["capabilities"] or [])
    return [method for method in needs if method not in listed]


def refusal(provider: dict[str, Any] | None, needs: Iterable[str], what: str) -> CliError | None:
    """The error a command stops with when the provider lacks a method it needs, else
    None: "Acme Tracker does not support comments through issuebridge" (exit 2)."""
    if not missing(provider, needs):
        return None
    name = (provider or {}).get("name") or (provider or {}).get("id") or "this tracker"
    return CliError(f"{name} does not support {what} through issuebridge", 2)
