"""An error's `data.action` (the agent's machine-readable next step) in the terminal
client's own words: the command to run, filled in with what the client knows.

The agent's hints are neutral prose; this is the one place that turns an action
into `issuebridge ...` text, so a new action or a renamed flag changes one table.
"""

from typing import Any

import attrs

CA_BUNDLE_ENV = "ISSUEBRIDGE_CA_BUNDLE"


@attrs.define
class Context:
    """What the command knows about the instance it works on."""

    provider_id: str = "jira-server"
    base_url: str | None = None
    instance_id: str | None = None
    auth_method: str | None = None
    consumer_key: str | None = None
    client_id: str | None = None
    redirect_uri: str | None = None

    def about(self, instance: dict[str, Any]) -> None:
        self.provider_id = instance.get("providerId") or self.provider_id
        self.base_url = instance.get("baseUrl") or self.base_url
        self.instance_id = instance.get("instanceId") or self.instance_id
        self.auth_method = instance.get("authMethod") or self.auth_method
        # The non-secret values it was configured with (Instance.settings).
        settings = instance.get("settings") or {}
        self.consumer_key = settings.get("consumerKey") or self.consumer_key
        self.client_id = settings.get("clientId") or self.client_id
        self.redirect_uri = settings.get("redirectUri") or self.redirect_uri


@attrs.frozen
class NextStep:
    text: str  # for a person: "run `…` to …"
    command: str | None = None  # the command alone, for scripts (--json)


def _run(command: str, why: str) -> NextStep:
    return NextStep(f"run `{command}` {why}", command)


def _instance_flag(context: Context) -> str:
    return f" --instance {context.instance_id}" if context.instance_id else ""


def _configure(context: Context, data: dict[str, Any]) -> NextStep:
    url = context.base_url or "URL"
    command = f"issuebridge configure {context.provider_id} --base-url {url}"
    if context.auth_method == "oauth1":
        command += f" --oauth --consumer-key {context.consumer_key or 'KEY'} --key-id KEY-ID"
        return _run(command, "to enter the Application Link's details again")
    if context.auth_method == "oauth2" and data.get("kind") == "unsupportedServer":
        # Too old for OAuth 2.0 (before 8.22): configuring it again the same way would
        # fail the same way; the methods this Jira has are a token and OAuth 1.0a.
        return NextStep(
            f"run `{command} --token-stdin` with a personal access token, or configure "
            "OAuth 1.0a with `--oauth` (docs/jira-server-oauth.md): this Jira has no OAuth 2.0",
            f"{command} --token-stdin",
        )
    if context.auth_method == "oauth2":
        command += f" --oauth2 --client-id {context.client_id or 'ID'} --client-secret-stdin"
        if context.redirect_uri:
            command += f" --redirect-uri {context.redirect_uri}"
        return _run(command, "to enter the link's client id and secret again")
    return _run(command + " --token-stdin", "to enter the credentials again")


def next_step(action: str | None, data: dict[str, Any], context: Context) -> NextStep | None:
    """The CLI's wording of `action`; None when there is none (or one it does not know,
    from a newer agent: the hint still says it in prose)."""
    if action == "configure":
        return _configure(context, data)
    if action == "authorize":
        return _run(
            f"issuebridge authorize{_instance_flag(context)}", "to allow access in the browser"
        )
    if action == "generateKey":
        return _run(
            "issuebridge keys generate",
            "and give its public key to the Jira admin, then configure with --key-id",
        )
    if action == "unlock":
        return _run(
            f"issuebridge team unlock{_instance_flag(context)}",
            "with the passphrase of the person who shared it",
        )
    if action == "setCaBundle":
        return NextStep(
            "pass `--ca-bundle FILE` (a PEM file of your company's CA certificates) before "
            f"the command, or set ${CA_BUNDLE_ENV}, and try again"
        )
    if action == "retry":
        return NextStep("try again")
    if action is None and data.get("field") == "callback" and "port" in data:
        # The redirect URI's port is taken (OAuth 2.0 listens where the link says):
        # the out-of-band path needs no port at all.
        return _run(
            f"issuebridge authorize{_instance_flag(context)} --oob",
            "and paste the address the browser shows, or free the port and try again",
        )
    if action == "repairStorage":
        path = data.get("path")
        where = f"`{path}`" if isinstance(path, str) else "the file named above"
        return NextStep(f"repair or move aside {where} as the hint says, then try again")
    return None
