"""The terminal client as a new user meets it: no browser, hints in its own words,
--version, --help, --json, and instances named the way people type them."""

import json
import os
import queue
import re
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from test_cli import generate_key, issuebridge
from wire import agent_env

from simulators.jira_server import JiraSimulator

PROMPT = "Browser didn't come back? Paste the code or the address it shows:"


class Lines:
    """A child's stdout read on a thread as it comes (a prompt ends no line), so a
    test waits on what it prints, with a bound, instead of blocking on a child that
    hangs."""

    def __init__(self, stream: IO[str]) -> None:
        self.text = ""
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream.fileno(),), daemon=True).start()

    def _pump(self, fd: int) -> None:
        for chunk in iter(lambda: os.read(fd, 65536), b""):
            self._queue.put(chunk.decode("utf-8", "replace"))
        self._queue.put(None)

    def wait_for(self, needle: str, timeout: float = 60) -> str:
        return self.wait_until(lambda text: needle in text, repr(needle), timeout)

    def wait_until(self, printed: Callable[[str], bool], what: str, timeout: float = 60) -> str:
        """All printed so far, once `printed` says it holds what is awaited."""
        while not printed(self.text):
            try:
                chunk = self._queue.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"{what} not printed; got {self.text!r}") from None
            if chunk is None:
                raise AssertionError(f"{what} not printed before exit; got {self.text!r}")
            self.text += chunk
        return self.text

    def rest(self) -> str:
        while (chunk := self._queue.get(timeout=60)) is not None:
            self.text += chunk
        return self.text


def browser_env(home: Path, browser: Path | None) -> dict[str, str]:
    """An environment whose only browser is `browser` (or none at all): no display,
    no terminal browser, as on a server reached over SSH."""
    env = agent_env(home)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TERM", "BROWSER"):
        env.pop(name, None)
    if browser is not None:
        env["BROWSER"] = str(browser)
    return env


def script(path: Path, body: str) -> Path:
    path.write_text(f"#!{sys.executable}\nimport sys\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def oauth_configured(home: Path, jira: JiraSimulator) -> str:
    """An OAuth instance configured from the terminal; its id."""
    key_id, public_pem, _ = generate_key(home)
    jira.add_oauth_consumer("cli-consumer", public_pem)
    run = issuebridge(
        home,
        *("configure", "jira-server", "--oauth", "--base-url", jira.base_url),
        *("--consumer-key", "cli-consumer", "--key-id", key_id),
    )
    assert run.returncode == 0, run.stderr
    return re.search(r"^(\S+): ", run.stdout, re.M).group(1)  # type: ignore[union-attr]


def start_authorize(
    env: dict[str, str], *args: str, tty: bool = False
) -> tuple[subprocess.Popen[str], Lines]:
    """`issuebridge authorize` with stdin a pipe, or a terminal (a pty) with `tty`."""
    master, slave = os.openpty() if tty else (-1, -1)
    process = subprocess.Popen(
        [sys.executable, "-m", "agent.cli", "authorize", *args],
        stdin=slave if tty else subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    if tty:
        os.close(slave)
        process.stdin = os.fdopen(master, "w")
    assert process.stdout is not None
    return process, Lines(process.stdout)


def finish(process: subprocess.Popen[str], lines: Lines, pasted: str) -> tuple[int, str, str]:
    assert process.stdin is not None and process.stderr is not None
    process.stdin.write(pasted + "\n")
    process.stdin.flush()
    out = lines.rest()
    err = process.stderr.read()
    process.stdin.close()
    return process.wait(timeout=60), out, err


# --- 1. authorize without a browser, and the paste prompt -------------------------------


@pytest.mark.parametrize("browser", ["failing", "none"])
def test_authorize_without_a_browser_offers_the_paste_prompt(
    tmp_path: Path, home: Path, jira: JiraSimulator, browser: str
) -> None:
    oauth_configured(home, jira)
    failing = script(tmp_path / "browser", "sys.exit(3)") if browser == "failing" else None
    process, lines = start_authorize(browser_env(home, failing))
    # No browser opened: the client says so, and the agent hands over an address whose
    # code Jira shows on the page (instead of a ten-minute wait for a callback).
    lines.wait_for(PROMPT)
    url = next(u for u in re.findall(r"https?://\S+", lines.text) if "oauth_token" in u)
    jira.oauth_auto_approve = "carol"  # the user logs in as carol and clicks Allow
    page = httpx.get(url, follow_redirects=True, timeout=10).text
    code = re.search(r"<code[^>]*>([^<]+)</code>", page)
    assert code, page
    returncode, out, err = finish(process, lines, code.group(1))
    assert returncode == 0, err
    assert "connected as Carol Chen" in out
    assert "issues" in issuebridge(home, "issues", "--limit", "2").stdout


def test_authorize_with_a_browser_that_opens_uses_the_callback(
    tmp_path: Path, home: Path, jira: JiraSimulator
) -> None:
    oauth_configured(home, jira)
    jira.oauth_auto_approve = "alice"
    # The browser follows Allow's redirect to the agent's loopback listener.
    browser = script(
        tmp_path / "browser", "import httpx\nhttpx.get(sys.argv[1], follow_redirects=True)"
    )
    run = subprocess.run(
        [sys.executable, "-m", "agent.cli", "authorize"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=browser_env(home, browser),
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "connected as Alice Anderson" in run.stdout


@pytest.mark.parametrize("stdin", ["--paste", "terminal"])
def test_paste_the_address_while_the_callback_waits(
    tmp_path: Path, home: Path, jira: JiraSimulator, stdin: str
) -> None:
    """The browser opened, but on another machine: the redirect to 127.0.0.1 goes
    nowhere, and the user pastes the address it shows (the prompt is there in a
    terminal, and with --paste for a pipe)."""
    oauth_configured(home, jira)
    browser = script(tmp_path / "browser", "sys.exit(0)")
    if stdin == "--paste":
        process, lines = start_authorize(browser_env(home, browser), "--paste")
    else:
        process, lines = start_authorize(browser_env(home, browser), tty=True)
    lines.wait_for(PROMPT)
    url = next(u for u in re.findall(r"https?://\S+", lines.text) if "oauth_token" in u)
    jira.oauth_auto_approve = "alice"
    redirect = httpx.get(url, follow_redirects=False, timeout=10)
    callback = redirect.headers["location"]
    assert callback.startswith("http://127.0.0.1:") and "oauth_verifier=" in callback
    returncode, out, err = finish(process, lines, callback)
    assert returncode == 0, err
    assert "connected as Alice Anderson" in out


# --- 2. next steps in the client's own words ----------------------------------------------


def test_a_rejected_token_names_the_configure_command(home: Path, jira: JiraSimulator) -> None:
    run = issuebridge(
        home,
        *("configure", "jira-server", "--base-url", jira.base_url + "/"),
        ISSUEBRIDGE_TOKEN="bad-token-000000000000000000000",
    )
    assert run.returncode == 1
    assert f"issuebridge configure jira-server --base-url {jira.base_url}" in run.stderr
    assert "issuebridge/" not in run.stderr  # no protocol method names


def test_an_unauthorized_instance_names_the_authorize_command(
    home: Path, jira: JiraSimulator
) -> None:
    instance_id = oauth_configured(home, jira)
    run = issuebridge(home, "issues")
    assert run.returncode == 1
    assert f"issuebridge authorize --instance {instance_id}" in run.stderr
    assert "issuebridge/" not in run.stderr


def test_next_steps_as_json(home: Path, jira: JiraSimulator) -> None:
    instance_id = oauth_configured(home, jira)
    run = issuebridge(home, "--json", "issues")
    assert run.returncode == 1 and run.stdout == ""
    error = json.loads(run.stderr)["error"]
    assert error["code"] == -32002 and error["data"]["action"] == "authorize"
    assert error["next"] == f"issuebridge authorize --instance {instance_id}"


def test_an_untrusted_certificate_names_the_ca_bundle_flag_which_works(home: Path) -> None:
    from simulators.jira_server import SimulatorConfig

    with JiraSimulator(SimulatorConfig(https=True)) as jira:
        configure = ("configure", "jira-server", "--base-url", jira.base_url, "--token-stdin")
        token = jira.user("alice").pat + "\n"
        run = issuebridge(home, *configure, stdin=token)
        assert run.returncode == 1
        assert "next: pass `--ca-bundle FILE`" in run.stderr
        run = issuebridge(home, "--ca-bundle", str(jira.ca_cert_path), *configure, stdin=token)
        assert run.returncode == 0, run.stderr
        assert "connected as Alice Anderson" in run.stdout
        run = issuebridge(
            home, "issues", "--limit", "1", ISSUEBRIDGE_CA_BUNDLE=str(jira.ca_cert_path)
        )
        assert run.returncode == 0, run.stderr


# --- 3 to 6. version, empty JQL, instance names, help -------------------------------------


def test_version(home: Path) -> None:
    from agent import __version__

    run = issuebridge(home, "--version")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"issuebridge {__version__}"


@pytest.mark.parametrize("jql", ["", "   "])
def test_an_empty_jql_is_an_error(home: Path, jira: JiraSimulator, jql: str) -> None:
    issuebridge(
        home,
        *("configure", "jira-server", "--base-url", jira.base_url),
        ISSUEBRIDGE_TOKEN=jira.user("alice").pat,
    )
    run = issuebridge(home, "issues", "--jql", jql)
    assert run.returncode == 2
    assert "--jql" in run.stderr and "empty" in run.stderr
    assert "issues" not in run.stdout


def test_instance_by_url_as_people_type_it(home: Path, jira: JiraSimulator) -> None:
    with JiraSimulator() as other:  # two instances, so --instance must pick
        for sim in (jira, other):
            run = issuebridge(
                home,
                *("configure", "jira-server", "--base-url", sim.base_url),
                ISSUEBRIDGE_TOKEN=sim.user("alice").pat,
            )
            assert run.returncode == 0, run.stderr
        typed = jira.base_url.replace("http://", "HTTP://") + "/"
        run = issuebridge(home, "issues", "--instance", typed, "--limit", "1")
    assert run.returncode == 0, run.stderr
    assert "1 issues" in run.stdout


def _commands() -> list[list[str]]:
    from agent.cli import build_parser

    found: list[list[str]] = []

    def walk(parser: Any, path: list[str]) -> None:
        for action in parser._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                for name, sub in action.choices.items():
                    found.append([*path, name])
                    walk(sub, [*path, name])

    walk(build_parser(), [])
    return found


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_command_has_help(home: Path, command: list[str]) -> None:
    from agent.cli import build_parser

    parser: Any = build_parser()
    for name in command:
        action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
        listed = {c.dest: c.help for c in action._choices_actions}
        assert listed.get(name), f"{name} has no help in its parent's --help"
        parser = action.choices[name]
    run = issuebridge(home, *command, "--help")
    assert run.returncode == 0, run.stderr
    for action in parser._actions:
        if action.help == "==SUPPRESS==":
            continue
        where = f"{' '.join(command)} {action.option_strings or action.dest}"
        assert action.help, f"{where} has no help"
        for flag in action.option_strings:
            assert flag in run.stdout, where


def test_top_level_help_names_the_global_flags(home: Path) -> None:
    run = issuebridge(home, "--help")
    assert run.returncode == 0, run.stderr
    for flag in ("--json", "--version", "--workspace", "--ca-bundle"):
        assert flag in run.stdout


# --- 7. --json for scripts ----------------------------------------------------------------


def test_json_output_for_scripts(home: Path, jira: JiraSimulator) -> None:
    run = issuebridge(home, "--json", "providers")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["providers"][0]["id"] == "jira-server"

    run = issuebridge(
        home,
        *("--json", "configure", "jira-server", "--base-url", jira.base_url, "--token-stdin"),
        stdin=jira.user("alice").pat + "\n",
    )
    assert run.returncode == 0, run.stderr
    instance = json.loads(run.stdout)["instance"]
    assert instance["state"] == "connected" and instance["user"]["name"] == "alice"

    run = issuebridge(home, "issues", "--json", "--limit", "3")
    assert run.returncode == 0, run.stderr
    fetched = json.loads(run.stdout)
    assert len(fetched["issues"]) == 3 and fetched["total"] >= 3
    assert "\r" not in run.stderr  # no progress bar

    run = issuebridge(home, "--json", "issues", "--jql", "project = NOPE")
    assert run.returncode == 1 and run.stdout == ""
    error = json.loads(run.stderr)["error"]
    assert error["code"] == -32004 and error["message"]

    run = issuebridge(home, "--json", "issues", "--instance", "nope")
    assert run.returncode != 0 and run.stdout == ""
    assert "nope" in json.loads(run.stderr)["error"]["message"]

    run = issuebridge(home, "keys", "generate", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")

    run = issuebridge(home, "--json", "disconnect", "--forget")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {
        "instanceId": instance["instanceId"],
        "baseUrl": jira.base_url,
        "forgotten": True,
    }

    run = issuebridge(home, "--json", "issues", "--jql", "")
    assert run.returncode == 2 and run.stdout == ""
    assert "--jql" in json.loads(run.stderr)["error"]["message"]


def test_json_authorize_out_of_band(home: Path, jira: JiraSimulator) -> None:
    oauth_configured(home, jira)
    process, lines = start_authorize(agent_env(home), "--oob", "--json")
    assert process.stderr is not None
    url = ""
    for line in iter(process.stderr.readline, ""):  # prompts go to stderr in --json mode
        if "oauth_token=" in line:
            url = line.strip()
            break
    jira.oauth_auto_approve = "carol"
    page = httpx.get(url, follow_redirects=True, timeout=10).text
    code = re.search(r"<code[^>]*>([^<]+)</code>", page).group(1)  # type: ignore[union-attr]
    returncode, out, err = finish(process, lines, code)
    assert returncode == 0, err
    assert json.loads(out)["instance"]["user"]["name"] == "carol"
