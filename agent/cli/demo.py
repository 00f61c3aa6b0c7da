"""`issuebridge demo`: the whole path against the built-in Jira simulator.

It starts the simulator on 127.0.0.1, spawns the agent with a throw-away storage
dir (your real configuration is never touched), and walks through what an editor
does: list providers, configure with a token, fetch issues; then the OAuth 1.0a
path: generate a key, configure, authorize through the loopback callback, fetch;
then OAuth 2.0 (Jira 8.22+): a client of an incoming link, configure, authorize
through the loopback redirect, fetch; and last the agent as a language server: a
document with issue keys opened, its links and a hover.
"""

import os
import socket
import tempfile
from typing import TYPE_CHECKING, Any

from agent.cli import render
from agent.cli.commands import fetch_with_progress
from agent.cli.connection import AgentConnection
from agent.cli.document_keys import describe_hover

if TYPE_CHECKING:
    from simulators.jira_server import JiraSimulator


def step(number: int, text: str) -> None:
    print(f"\n[{number}] {text}", flush=True)


async def run_demo(verbose: bool = False) -> int:
    from simulators.jira_server import JiraSimulator, SimulatorConfig

    with (
        tempfile.TemporaryDirectory(prefix="issuebridge-demo-") as home,
        JiraSimulator(SimulatorConfig(max_results_cap=50)) as jira,
    ):
        step(1, f"A Jira Server simulator is running at {jira.base_url}")
        print(f"    Jira {jira.config.version}, search pages capped at 50 issues, user alice")
        agent = await AgentConnection.start(
            env={**os.environ, "ISSUEBRIDGE_HOME": home}, verbose=verbose
        )
        try:
            await agent.initialize()
            await _token_path(agent, jira.base_url, jira.user("alice").pat)
            await _oauth_path(agent, jira)
            await _oauth2_path(agent, jira)
            await _keys_path(agent, jira)
        finally:
            await agent.close()
    print("\nDone. Point `issuebridge configure jira-server --base-url …` at your own Jira next.")
    return 0


async def _token_path(agent: AgentConnection, base_url: str, token: str) -> None:
    step(2, "The agent describes its providers (editors render their forms from this):")
    listed = await agent.request("issuebridge/providers/list")
    for provider in listed["providers"]:
        methods = ", ".join(m["id"] for m in provider["authMethods"])
        print(f"    {provider['name']} ({provider['id']}): auth methods {methods}")

    step(
        3, "Configure Jira Server with alice's personal access token (checked against the server):"
    )
    result = await agent.request(
        "issuebridge/providers/configure",
        {
            "providerId": "jira-server",
            "authMethod": "token",
            "fields": {"baseUrl": base_url, "token": token},
        },
    )
    instance: dict[str, Any] = result["instance"]
    render.instance_line(instance, indent="    ")

    step(4, "Fetch alice's open issues, newest first (every page, not just the first 50):")
    fetched = await fetch_with_progress(agent, instance["instanceId"], None, 1000)
    render.issues_table(fetched["issues"], fetched["total"], rows=10, indent="    ")


async def _browser(params: Any) -> dict[str, bool]:
    import httpx

    print(f"    browser opens {params['uri'][:90]}…")
    # The user's browser: Allow redirects to the agent's one-shot loopback listener.
    async with httpx.AsyncClient(follow_redirects=True, timeout=30) as client:
        await client.get(params["uri"])
    return {"success": True}


async def _oauth_path(agent: AgentConnection, jira: "JiraSimulator") -> None:
    from agent.auth.keys import fingerprints

    step(5, "OAuth 1.0a: generate a key pair (the private key never leaves the agent):")
    key = await agent.request("issuebridge/keys/generate", {"bits": 2048})
    print(f"    {key['keyId']}, public key {fingerprints(key['publicKeyPem'])['sha256']}")

    step(6, "The Jira admin adds an Application Link with that public key (done in the simulator):")
    jira.add_oauth_consumer("issuebridge-demo", key["publicKeyPem"], name="issuebridge")
    jira.oauth_auto_approve = "bob"
    print(
        "    consumer key issuebridge-demo; the simulator approves as bob, as if bob clicked Allow"
    )

    step(7, "Configure the same server with the consumer key and the key (checked against Jira):")
    print("    (same base URL: this replaces the token configuration and keeps the instance id)")
    fields = {"baseUrl": jira.base_url, "consumerKey": "issuebridge-demo", "keyId": key["keyId"]}
    instance = await _configure(agent, "oauth1", fields)
    step(8, "Authorize: the agent opens Jira's authorize page; Jira calls back to 127.0.0.1:")
    agent.on_request("window/showDocument", _browser)
    await _authorize_and_fetch(agent, instance, 9, "bob's open issues with OAuth-signed requests")


async def _configure(agent: AgentConnection, method: str, fields: dict[str, str]) -> Any:
    configured = await agent.request(
        "issuebridge/providers/configure",
        {"providerId": "jira-server", "authMethod": method, "fields": fields},
    )
    render.instance_line(configured["instance"], indent="    ")
    return configured["instance"]


async def _authorize_and_fetch(
    agent: AgentConnection, instance: dict[str, Any], number: int, what: str
) -> None:
    authorized = await agent.request(
        "issuebridge/providers/authorize", {"instanceId": instance["instanceId"]}
    )
    render.instance_line(authorized["instance"], indent="    ")
    step(number, f"Fetch {what}:")
    fetched = await fetch_with_progress(agent, instance["instanceId"], None, 1000)
    render.issues_table(fetched["issues"], fetched["total"], rows=5, indent="    ")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _oauth2_path(agent: AgentConnection, jira: "JiraSimulator") -> None:
    # A free port rather than the default 43917: the demo must not fail because
    # something on this machine already listens there.
    redirect_uri = f"http://127.0.0.1:{_free_port()}/callback"
    step(10, "OAuth 2.0 (Jira 8.22+): the admin creates an incoming link to an external app:")
    client = jira.add_oauth2_client(redirect_uri, name="issuebridge")
    jira.oauth_auto_approve = "carol"
    print(f"    redirect URL {redirect_uri}; Jira shows client id {client.client_id[:8]}…")
    print("    and a secret; the simulator approves as carol, as if carol clicked Allow")

    step(11, "Configure the same server with the client id and secret (checked at the exchange):")
    fields = {
        "baseUrl": jira.base_url,
        "clientId": client.client_id,
        "clientSecret": client.client_secret,
        "redirectUri": redirect_uri,
    }
    instance = await _configure(agent, "oauth2", fields)
    step(12, "Authorize (PKCE): Jira redirects the browser to the agent on the redirect URL:")
    what = "carol's open issues with the OAuth 2.0 access token (Bearer)"
    await _authorize_and_fetch(agent, instance, 13, what)


async def _keys_path(agent: AgentConnection, jira: "JiraSimulator") -> None:
    first, second = jira.issues[0].key, jira.issues[1].key
    text = f"# Fixes {first}; see {second}. UTF-8 and SHA-256 are no keys.\n"
    uri = "untitled:demo.py"
    step(14, "Issue keys in a document (standard LSP, as editors open files):")
    print(f"    {text.rstrip()}")
    agent.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )
    links = await agent.request("textDocument/documentLink", {"textDocument": {"uri": uri}})
    for link in links:
        start, end = link["range"]["start"]["character"], link["range"]["end"]["character"]
        print(f"    link {text[start:end]} -> {link['target']}")
    position = {"line": 0, "character": text.index(first)}
    hover = await agent.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )
    shown = describe_hover(hover)
    print(f"    hover on {first}: {shown['title'] or shown['note']} [{shown['status']}]")
