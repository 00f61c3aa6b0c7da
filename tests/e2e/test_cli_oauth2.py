"""OAuth 2.0 (Jira DC 8.22+) from the terminal: `providers` describes it, `configure
--oauth2` takes the link's client id and its secret the safe way, `authorize` works
through the loopback redirect and by pasting the code or the whole address, and the
agent's next steps become commands."""

import json
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
from test_cli import issuebridge
from test_cli_new_user import PROMPT, browser_env, finish, script, start_authorize
from wire import agent_env

from simulators.jira_server import JiraSimulator
from simulators.jira_server.config import SimulatorConfig

DEFAULT_REDIRECT = "http://127.0.0.1:43917/callback"
SECRET_ENV = "ISSUEBRIDGE_CLIENT_SECRET"


def free_port() -> int:
    """A port nothing listens on now: the test's own redirect URI, so that parallel
    tests (and a developer's real issuebridge on 43917) never meet."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def configure_oauth2(
    home: Path, jira: JiraSimulator, *extra: str, secret: str | None = None, redirect: str = ""
) -> tuple[subprocess.CompletedProcess[str], Any]:
    """`configure --oauth2` against a client registered for `redirect` (a free port by
    default), the secret piped in; the run and the client."""
    redirect = redirect or f"http://127.0.0.1:{free_port()}/callback"
    client = jira.add_oauth2_client(redirect)
    run = issuebridge(
        home,
        *("configure", "jira-server", "--oauth2", "--base-url", jira.base_url),
        *("--client-id", client.client_id, "--client-secret-stdin", "--redirect-uri", redirect),
        *extra,
        stdin=(client.client_secret if secret is None else secret) + "\n",
    )
    return run, client


def instance_id(run: subprocess.CompletedProcess[str]) -> str:
    match = re.search(r"^(\S+): ", run.stdout, re.M)
    assert match, run.stdout
    return match.group(1)


def with_state(url: str, state: str) -> str:
    """The callback address with its `state` replaced: another authorization's."""
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = state
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_providers_describes_oauth2_between_the_token_and_oauth1(home: Path) -> None:
    run = issuebridge(home, "providers")
    assert run.returncode == 0, run.stderr
    assert re.search(r"^\s+oauth2\s+\S", run.stdout, re.M), run.stdout
    assert "clientId (text, required)" in run.stdout
    assert "clientSecret (secret, required)" in run.stdout
    assert f"redirectUri (url, required, default {DEFAULT_REDIRECT})" in run.stdout
    listed = json.loads(issuebridge(home, "--json", "providers").stdout)
    jira = next(p for p in listed["providers"] if p["id"] == "jira-server")
    assert [m["id"] for m in jira["authMethods"]] == ["token", "oauth2", "oauth1"]


def test_configure_then_authorize_through_the_loopback_redirect(
    tmp_path: Path, home: Path, jira: JiraSimulator
) -> None:
    run, client = configure_oauth2(home, jira)
    assert run.returncode == 0, run.stderr
    assert "[oauth2] needsAuthorization" in run.stdout
    assert f"redirect URL: {client.redirect_uri}" in run.stdout
    assert "issuebridge authorize" in run.stdout
    assert client.client_secret not in run.stdout + run.stderr

    # The "browser" follows Jira's redirect to the agent's listener on 127.0.0.1, as
    # a real one does once the user allowed access (the simulator approves as carol).
    jira.oauth_auto_approve = "carol"
    browser = script(
        tmp_path / "browser",
        "import httpx\nhttpx.get(sys.argv[1], follow_redirects=True, timeout=30)",
    )
    process, lines = start_authorize(browser_env(home, browser))
    returncode, out, err = finish(process, lines, "")
    assert returncode == 0, err
    assert "/rest/oauth2/latest/authorize?" in out
    assert "connected as Carol Chen" in out
    assert client.client_secret not in out + err

    run = issuebridge(home, "issues", "--limit", "3")
    assert run.returncode == 0, run.stderr
    assert "3 issues" in run.stdout


def test_authorize_out_of_band_takes_the_address_and_refuses_another_state(
    home: Path, jira: JiraSimulator
) -> None:
    run, client = configure_oauth2(home, jira)
    assert run.returncode == 0, run.stderr
    process, lines = start_authorize(agent_env(home), "--oob")
    lines.wait_for(PROMPT)
    assert "copy the whole address" in lines.text
    assert client.redirect_uri in lines.text  # where the browser will be sent
    url = next(u for u in re.findall(r"https?://\S+", lines.text) if "/oauth2/" in u)
    assert "code_challenge_method=S256" in url

    jira.oauth_auto_approve = "alice"
    answer = httpx.get(url, follow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    address = answer.headers["location"]
    assert address.startswith(client.redirect_uri + "?")

    # Another authorization's address is refused, and the prompt asks again.
    assert process.stdin is not None
    process.stdin.write(with_state(address, "someone-elses-state") + "\n")
    process.stdin.flush()
    lines.wait_until(lambda text: text.count(PROMPT) >= 2, "the prompt again")
    returncode, out, err = finish(process, lines, address)
    assert returncode == 0, err
    assert "another authorization" in err
    assert "connected as Alice Anderson" in out


def test_authorize_out_of_band_takes_the_bare_code(home: Path, jira: JiraSimulator) -> None:
    run, _ = configure_oauth2(home, jira)
    assert run.returncode == 0, run.stderr
    process, lines = start_authorize(agent_env(home), "--oob")
    lines.wait_for(PROMPT)
    url = next(u for u in re.findall(r"https?://\S+", lines.text) if "/oauth2/" in u)
    jira.oauth_auto_approve = "bob"
    location = httpx.get(url, follow_redirects=False, timeout=10).headers["location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    returncode, out, err = finish(process, lines, code)
    assert returncode == 0, err
    assert "connected as Bob" in out


def test_the_secret_from_the_environment_a_wrong_one_and_none_at_all(
    home: Path, jira: JiraSimulator
) -> None:
    client = jira.add_oauth2_client(DEFAULT_REDIRECT)
    base = ("configure", "jira-server", "--oauth2", "--base-url", jira.base_url)
    # No --client-id: said before anything is asked or sent.
    run = issuebridge(home, *base)
    assert run.returncode == 2 and "--client-id" in run.stderr
    # No secret in a script: the ways to give it, not a prompt that waits forever.
    run = issuebridge(home, *base, "--client-id", client.client_id, stdin="")
    assert run.returncode == 2, run.stderr
    assert "--client-secret-stdin" in run.stderr and SECRET_ENV in run.stderr

    # Jira checks the secret only at the code's exchange (after the code): configure
    # cannot tell a wrong one, the exchange refuses it and names the command that fixes it.
    wrong = "0" * len(client.client_secret)
    run = issuebridge(home, *base, "--client-id", client.client_id, **{SECRET_ENV: wrong})
    assert run.returncode == 0, run.stderr
    assert wrong not in run.stderr + run.stdout
    process, lines = start_authorize(agent_env(home), "--oob")
    lines.wait_for(PROMPT)
    url = next(u for u in re.findall(r"https?://\S+", lines.text) if "/oauth2/" in u)
    jira.oauth_auto_approve = "alice"
    location = httpx.get(url, follow_redirects=False, timeout=10).headers["location"]
    returncode, out, err = finish(process, lines, location)
    assert returncode == 1, out
    assert "error:" in err and "configure" in err and wrong not in err + out

    # The default redirect URI and scope are the agent's, sent as they are.
    run = issuebridge(
        home, *base, "--client-id", client.client_id, **{SECRET_ENV: client.client_secret}
    )
    assert run.returncode == 0, run.stderr
    assert f"redirect URL: {DEFAULT_REDIRECT}" in run.stdout
    listed = json.loads(issuebridge(home, "--json", "providers").stdout)
    (configured,) = [i for p in listed["providers"] for i in p["instances"]]
    settings = configured.get("settings") or {}
    assert settings.get("clientId") == client.client_id
    assert settings.get("redirectUri") == DEFAULT_REDIRECT
    assert settings.get("scope", "WRITE") == "WRITE"
    assert client.client_secret not in json.dumps(listed)


def test_a_revoked_grant_ends_in_the_authorize_command(home: Path, jira: JiraSimulator) -> None:
    run, _ = configure_oauth2(home, jira, "--scope", "read")
    assert run.returncode == 0, run.stderr
    process, lines = start_authorize(agent_env(home), "--oob")
    lines.wait_for(PROMPT)
    url = next(u for u in re.findall(r"https?://\S+", lines.text) if "/oauth2/" in u)
    assert "scope=READ" in url
    jira.oauth_auto_approve = "carol"
    location = httpx.get(url, follow_redirects=False, timeout=10).headers["location"]
    returncode, _, err = finish(process, lines, location)
    assert returncode == 0, err

    # Carol revokes the grant under "Authorized applications": the refresh is refused.
    jira.revoke_oauth2_tokens("carol")
    jira.expire_oauth2_access_tokens()
    listed = issuebridge(home, "issues")
    assert listed.returncode == 1
    assert f"next: run `issuebridge authorize --instance {instance_id(run)}`" in listed.stderr
    assert "needsAuthorization" in issuebridge(home, "providers").stdout


def test_a_jira_older_than_822_is_refused_with_the_methods_it_has(home: Path) -> None:
    with JiraSimulator(SimulatorConfig(version="8.20.10")) as old:
        run = issuebridge(
            home,
            *("configure", "jira-server", "--oauth2", "--base-url", old.base_url),
            *("--client-id", "0123456789abcdef0123456789abcdef"),
            **{SECRET_ENV: "f" * 64},
        )
    assert run.returncode == 1
    assert "8.20.10" in run.stderr or "8.22" in run.stderr
    assert f"next: run `issuebridge configure jira-server --base-url {old.base_url}" in run.stderr
    assert "--token-stdin` with a personal access token, or configure OAuth 1.0a" in run.stderr


def test_the_configure_help_names_the_oauth2_flags() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "agent.cli", "configure", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "--oauth2" in run.stdout and "--client-secret-stdin" in run.stdout
    assert "--redirect-uri" in run.stdout and "{READ,WRITE}" in run.stdout


def test_team_share_seals_the_secret_and_a_teammate_only_unlocks_and_authorizes(
    tmp_path: Path, jira: JiraSimulator
) -> None:
    admin, mate, project = tmp_path / "admin", tmp_path / "mate", tmp_path / "project"
    for folder in (admin, mate, project):
        folder.mkdir()
    run, client = configure_oauth2(admin, jira)
    assert run.returncode == 0, run.stderr
    run = issuebridge(admin, "--workspace", str(project), "team", "share")
    assert run.returncode == 0, run.stderr
    assert "Its secret is sealed" in run.stdout
    passphrase = re.search(r"^\s+([A-Z2-9]{5}(?:-[A-Z2-9]{5})+)$", run.stdout, re.M)
    assert passphrase, run.stdout
    shared = (project / ".issuebridge" / "team.json").read_text(encoding="utf-8")
    assert client.client_id in shared and client.client_secret not in shared

    def as_mate(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return issuebridge(mate, "--workspace", str(project), *args, **kwargs)

    assert "(team)" in as_mate("providers").stdout
    run = as_mate("team", "unlock", "--passphrase-stdin", stdin=passphrase.group(1) + "\n")
    assert run.returncode == 0, run.stderr
    assert "[oauth2] needsAuthorization" in run.stdout and "issuebridge authorize" in run.stdout

    env = agent_env(mate)
    process = subprocess.Popen(
        [sys.executable, "-m", "agent.cli", "--workspace", str(project), "authorize", "--oob"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    url = ""
    for line in process.stdout:
        if "/rest/oauth2/latest/authorize?" in line:
            url = line.strip()
            break
    jira.oauth_auto_approve = "bob"
    location = httpx.get(url, follow_redirects=False, timeout=10).headers["location"]
    out, err = process.communicate(location + "\n", timeout=60)
    assert process.returncode == 0, err
    assert "connected as Bob Brown" in out
    assert "(team)" in out


def test_a_redirect_port_in_use_is_named_with_the_way_around_it(
    home: Path, jira: JiraSimulator
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run, _ = configure_oauth2(home, jira, redirect=f"http://127.0.0.1:{port}/callback")
        assert run.returncode == 0, run.stderr
        run = issuebridge(home, "authorize", stdin="")
    assert run.returncode == 1
    assert f"Port {port} on 127.0.0.1 is in use" in run.stderr
    assert f"next: run `issuebridge authorize --instance {instance_id_of(home)} --oob`" in (
        run.stderr
    )


def instance_id_of(home: Path) -> str:
    listed = json.loads(issuebridge(home, "--json", "providers").stdout)
    (instance,) = [i for p in listed["providers"] for i in p["instances"]]
    return str(instance["instanceId"])
