"""State that must not tear: configuration and secrets change as one unit whatever
happens (a cancel, kill -9 at any write, two requests for one instance at once), and
damaged storage files are kept and reported, never silently dropped or overwritten.

Crash points are deterministic: the agent's test hooks kill it (or hold it) right
after its N-th storage write, and each test walks N over every write a request makes.
"""

import json
import os
import re
import shutil
import socket
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jira_flows import CONFIGURE, FETCH, configure_token, connect, error_of
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator

LIST = "issuebridge/providers/list"
DISCONNECT = "issuebridge/providers/disconnect"
MAX_WRITES = 8  # more than any single request makes


def _wait_until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def _secret_values(home: Path) -> set[str]:
    path = home / "secrets" / "secrets.json"
    if not path.exists():
        return set()
    data = json.loads(path.read_text())
    assert isinstance(data, dict)
    return {v for v in data.values() if isinstance(v, str)}


def _config_instances(home: Path) -> dict[str, Any]:
    path = home / "config.json"
    if not path.exists():
        return {}
    instances = json.loads(path.read_text()).get("instances", {})
    assert isinstance(instances, dict)
    return instances


def _listed(agent: RawAgent) -> list[dict[str, Any]]:
    instances = agent.call(LIST, {})["result"]["providers"][0]["instances"]
    assert isinstance(instances, list)
    return instances


def _fresh(home: Path) -> RawAgent:
    agent = RawAgent(agent_env(home))
    agent.initialize()
    return agent


@pytest.fixture
def connected_home(tmp_path: Path, jira: JiraSimulator) -> Iterator[tuple[Path, str]]:
    """A storage dir with alice's token instance, written by an agent that has exited."""
    home = tmp_path / "base"
    home.mkdir()
    agent = _fresh(home)
    try:
        instance_id = connect(agent, jira, "alice")
    finally:
        agent.kill()
    yield home, instance_id


@pytest.fixture
def alice_agent(
    tmp_path: Path, connected_home: tuple[Path, str]
) -> Iterator[tuple[Path, str, RawAgent]]:
    """An agent on a copy of `connected_home`: (its storage dir, the instance, the agent)."""
    base, instance_id = connected_home
    home = _copy(base, tmp_path / "run")
    agent = _fresh(home)
    try:
        yield home, instance_id, agent
    finally:
        agent.kill()


def _request_configure(agent: RawAgent, base_url: str, token: str) -> int:
    fields = {"baseUrl": base_url, "token": token}
    return agent.request(
        CONFIGURE, {"providerId": "jira-server", "authMethod": "token", "fields": fields}
    )


def _copy(home: Path, to: Path) -> Path:
    shutil.copytree(home, to)
    return to


# --- 1. cancel during a configure that replaces a token ----------------------------


def test_cancel_during_a_token_replacing_configure_changes_all_or_nothing(
    tmp_path: Path, jira: JiraSimulator, connected_home: tuple[Path, str]
) -> None:
    base, _ = connected_home
    alice, bob = jira.user("alice").pat, jira.user("bob").pat
    for n in range(1, MAX_WRITES):
        home = _copy(base, tmp_path / f"run{n}")
        pause = tmp_path / f"pause{n}"
        agent = RawAgent(
            agent_env(
                home,
                ISSUEBRIDGE_TEST_PAUSE_AFTER_WRITE=str(n),
                ISSUEBRIDGE_TEST_PAUSE_FILE=str(pause),
            )
        )
        try:
            agent.initialize()
            msg_id = _request_configure(agent, jira.base_url, bob)
            _wait_until(
                lambda: pause.exists() or bool(agent.responses_to(msg_id)),  # noqa: B023
                "the n-th write or the answer",
            )
            paused = pause.exists()
            if paused:  # cancel while the agent is between two writes
                agent.notify("$/cancelRequest", {"id": msg_id})
                agent.call("issuebridge/test/echo", {"after": "cancel"})
                pause.unlink()
            reply = agent.response(msg_id, timeout=20)
        finally:
            agent.kill()
        fresh = _fresh(home)
        try:
            (listed,) = _listed(fresh)
        finally:
            fresh.kill()
        stored = _secret_values(home)
        if "error" in reply:  # cancelled: nothing changed
            assert reply["error"]["code"] == -32800, reply
            assert (listed["user"]["name"], stored) == ("alice", {alice}), n
        else:  # answered: all changed
            assert (listed["user"]["name"], stored) == ("bob", {bob}), n
        if not paused:
            break
    else:
        raise AssertionError("configure made more writes than expected")


def test_a_configure_cancelled_while_checking_the_server_changes_nothing(
    jira: JiraSimulator, alice_agent: tuple[Path, str, RawAgent]
) -> None:
    home, _instance_id, agent = alice_agent
    jira.faults.latency_seconds = 1.0  # the check is still under way when the cancel comes
    msg_id = _request_configure(agent, jira.base_url, jira.user("bob").pat)
    agent.notify("$/cancelRequest", {"id": msg_id})
    assert error_of(agent.response(msg_id, timeout=20))["code"] == -32800
    jira.faults.latency_seconds = 0
    assert [i["user"]["name"] for i in _listed(agent)] == ["alice"]
    assert _secret_values(home) == {jira.user("alice").pat}


# --- 2. kill -9 at every write of a disconnect ---------------------------------------


def _crash_at_each_write(
    base: Path, runs: Path, send: Callable[[RawAgent], int], check: Callable[[RawAgent, Path], str]
) -> set[str]:
    """Run `send` in a copy of `base` once per crash point (before the n-th rename, after
    the n-th write) until a run completes; `check` (with a fresh agent on what was left)
    asserts and says which state it found. Returns the states found."""
    seen = set()
    points = [(hook, n) for n in range(1, MAX_WRITES) for hook in ("BEFORE_RENAME", "AFTER_WRITE")]
    for hook, n in points:
        home = _copy(base, runs / f"run{n}{hook}")
        agent = RawAgent(agent_env(home, **{f"ISSUEBRIDGE_TEST_CRASH_{hook}": str(n)}))
        agent.initialize()
        msg_id = send(agent)
        _wait_until(
            lambda: agent.proc.poll() is not None or bool(agent.responses_to(msg_id)),  # noqa: B023
            "the crash or the answer",
        )
        completed = agent.proc.poll() is None
        agent.kill()
        if completed:
            assert "result" in agent.responses_to(msg_id)[0]
        fresh = _fresh(home)
        try:
            seen.add(check(fresh, home))
        finally:
            fresh.kill()
        if completed and hook == "AFTER_WRITE":
            return seen
    raise AssertionError("the request made more writes than expected")


@pytest.mark.parametrize("forget", [False, True])
def test_kill_9_at_any_write_of_a_disconnect_leaves_the_old_or_the_new_state(
    tmp_path: Path, jira: JiraSimulator, connected_home: tuple[Path, str], forget: bool
) -> None:
    base, instance_id = connected_home
    token = jira.user("alice").pat

    def check(fresh: RawAgent, home: Path) -> str:
        states = [(i["instanceId"], i["state"]) for i in _listed(fresh)]
        if states == [(instance_id, "connected")]:  # the old state, whole
            assert _secret_values(home) == {token}
            assert "result" in fresh.call(FETCH, {"instanceId": instance_id, "limit": 1})
            return "old"
        # The new state, whole, and no orphan secret left behind.
        assert states == ([] if forget else [(instance_id, "needsAuthorization")])
        assert _secret_values(home) == set()
        assert not forget or _config_instances(home) == {}
        return "new"

    def send(agent: RawAgent) -> int:
        return agent.request(DISCONNECT, {"instanceId": instance_id, "forget": forget})

    assert _crash_at_each_write(base, tmp_path, send, check) == {"old", "new"}


def test_kill_9_at_any_write_of_a_token_replacing_configure_leaves_the_old_or_the_new_state(
    tmp_path: Path, jira: JiraSimulator, connected_home: tuple[Path, str]
) -> None:
    base, instance_id = connected_home
    alice, bob = jira.user("alice").pat, jira.user("bob").pat

    def check(fresh: RawAgent, home: Path) -> str:
        (listed,) = _listed(fresh)
        user = str(listed["user"]["name"])
        # alice's configuration with alice's token only, or bob's with bob's only.
        assert (user, _secret_values(home)) in (("alice", {alice}), ("bob", {bob}))
        assert "result" in fresh.call(FETCH, {"instanceId": instance_id, "limit": 1})
        return user

    def send(agent: RawAgent) -> int:
        return _request_configure(agent, jira.base_url, bob)

    assert _crash_at_each_write(base, tmp_path, send, check) == {"alice", "bob"}


def test_no_secret_is_cleaned_away_while_the_configuration_is_unreadable(
    tmp_path: Path, jira: JiraSimulator, connected_home: tuple[Path, str]
) -> None:
    home = _copy(connected_home[0], tmp_path / "run")
    (home / "config.json").write_text('{"version": 1, "instances": {', encoding="utf-8")
    agent = _fresh(home)
    try:
        assert _listed(agent) == []  # set aside and reported, as before
    finally:
        agent.kill()
    # The secrets stay: restoring the kept configuration brings the instance back whole.
    assert _secret_values(home) == {jira.user("alice").pat}


# --- 3. configure and disconnect of one instance at once ----------------------------


def test_a_disconnect_sent_while_a_configure_is_checking_wins(
    jira: JiraSimulator, alice_agent: tuple[Path, str, RawAgent]
) -> None:
    home, instance_id, agent = alice_agent
    jira.faults.latency_seconds = 1.5  # the configure is still checking the server
    configure_id = _request_configure(agent, jira.base_url, jira.user("bob").pat)
    disconnect_id = agent.request(DISCONNECT, {"instanceId": instance_id, "forget": False})
    assert "result" in agent.response(configure_id, timeout=30)
    assert "result" in agent.response(disconnect_id, timeout=30)
    jira.faults.latency_seconds = 0
    # The disconnect came last, so it wins, fully: no token stays on disk.
    assert [i["state"] for i in _listed(agent)] == ["needsAuthorization"]
    assert _secret_values(home) == set()
    # And the other way round: the configure comes last and wins.
    disconnect_id = agent.request(DISCONNECT, {"instanceId": instance_id, "forget": True})
    reply = configure_token(agent, jira.base_url, jira.user("bob").pat)
    assert "result" in agent.response(disconnect_id) and "result" in reply
    assert [(i["state"], i["user"]["name"]) for i in _listed(agent)] == [("connected", "bob")]
    assert _secret_values(home) == {jira.user("bob").pat}


def test_a_fetch_rejected_with_the_old_token_does_not_fail_the_new_configuration(
    jira: JiraSimulator, alice_agent: tuple[Path, str, RawAgent]
) -> None:
    _home, instance_id, agent = alice_agent
    jira.revoke_pat(jira.user("alice").pat)
    jira.faults.latency_seconds = 1.0
    fetch_id = agent.request(FETCH, {"instanceId": instance_id, "limit": 1})
    reply = configure_token(agent, jira.base_url, jira.user("bob").pat)
    assert "result" in reply, reply
    assert error_of(agent.response(fetch_id, timeout=30))["code"] == -32001
    jira.faults.latency_seconds = 0
    # The rejection was of alice's token; bob's configuration, stored after, stands.
    assert [(i["state"], i["user"]["name"]) for i in _listed(agent)] == [("connected", "bob")]
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 1})


# --- 4. and 5. a damaged or unsafe secrets.json -------------------------------------


def test_a_truncated_secret_file_is_kept_and_reported_not_overwritten(
    tmp_path: Path, connected_home: tuple[Path, str]
) -> None:
    home = _copy(connected_home[0], tmp_path / "run")
    secrets_file = home / "secrets" / "secrets.json"
    damaged = secrets_file.read_text()[:40]
    secrets_file.write_text(damaged)
    agent = _fresh(home)
    try:
        # Any write to the secret store (here: a generated key).
        assert "result" in agent.call("issuebridge/keys/generate", {"bits": 2048}, timeout=30)
        shown = agent.wait_for(lambda m: m.get("method") == "window/showMessage")
        assert shown["params"]["type"] == 1
        kept = list(secrets_file.parent.glob("secrets.json.corrupt-*"))
        assert len(kept) == 1 and str(kept[0]) in shown["params"]["message"]
        assert kept[0].read_text() == damaged
        assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    finally:
        agent.kill()


def test_a_secret_file_that_is_a_json_array_gets_a_repair_error(
    agent: RawAgent, jira: JiraSimulator, home: Path
) -> None:
    secrets_file = home / "secrets" / "secrets.json"
    secrets_file.parent.mkdir(mode=0o700)
    secrets_file.write_text('["not", "an", "object"]')
    secrets_file.chmod(0o600)
    error = error_of(configure_token(agent, jira.base_url, jira.user("alice").pat))
    assert error["code"] != -32603 and error["data"]["kind"] == "storageError", error
    assert error["data"]["action"] == "repairStorage"
    assert error["data"]["path"] == str(secrets_file)
    assert "issuebridge/" not in error["data"]["hint"]
    assert secrets_file.read_text() == '["not", "an", "object"]'  # kept as it was


def test_a_secret_file_others_can_read_gets_a_repair_error_with_the_chmod(
    agent: RawAgent, jira: JiraSimulator, home: Path
) -> None:
    connect(agent, jira)
    secrets_file = home / "secrets" / "secrets.json"
    secrets_file.chmod(0o644)
    error = error_of(configure_token(agent, jira.base_url, jira.user("bob").pat))
    assert error["code"] != -32603 and error["data"]["kind"] == "storageError", error
    assert error["data"]["action"] == "repairStorage"
    assert error["data"]["path"] == str(secrets_file)
    assert f"chmod 600 {secrets_file}" in error["data"]["hint"]


# --- 6. temp files left by kill -9 --------------------------------------------------


def test_temp_files_left_by_kill_9_are_cleaned_at_start(
    tmp_path: Path, jira: JiraSimulator, connected_home: tuple[Path, str]
) -> None:
    home = _copy(connected_home[0], tmp_path / "run")
    for n in (1, 2):  # die with the n-th temp file written and not yet renamed
        agent = RawAgent(agent_env(home, ISSUEBRIDGE_TEST_CRASH_BEFORE_RENAME=str(n)))
        agent.initialize()
        _request_configure(agent, jira.base_url, jira.user("bob").pat)
        agent.proc.wait(20)

    def temp_files() -> list[str]:
        known = re.compile(r"^(config|secrets|keyring-index)\.json(\.lock)?$")
        return sorted(p.name for p in home.rglob("*") if p.is_file() and not known.match(p.name))

    assert temp_files()  # the crashes left them
    # A temp file of a process that is still running, and a file that is not ours, stay.
    live = home / f".config.json.{os.getpid()}.x1y2z3.tmp"
    live.write_text("{}")
    (home / ".notes").write_text("mine")
    agent = _fresh(home)
    try:
        assert [i["user"]["name"] for i in _listed(agent)] == ["alice"]
    finally:
        agent.kill()
    assert temp_files() == sorted([live.name, ".notes"])


# --- 7. a team.json with scrypt parameters set by hand -------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        {"n": 2**20},
        {"n": 2**60},
        {"r": 10**9},
        {"p": 2**31},
        {"n": "many"},
        {"nonce": "AAAAAAA="},  # 5 bytes
        {"salt": ""},
    ],
    ids=["n=2^20", "n=2^60", "r=10^9", "p=2^31", "n-not-a-number", "5-byte-nonce", "no-salt"],
)
def test_a_team_key_with_hand_set_scrypt_parameters_is_reported_damaged(
    tmp_path: Path, jira: JiraSimulator, damage: dict[str, Any]
) -> None:
    from jira_flows import oauth_instance

    workspace = tmp_path / "project"
    workspace.mkdir()
    admin, teammate = _fresh(tmp_path / "admin_home"), None
    try:
        instance_id = oauth_instance(admin, jira)
        shared = admin.call(
            "issuebridge/team/share", {"instanceId": instance_id, "workspaceFolder": str(workspace)}
        )["result"]
        team_path = Path(shared["path"])
        document = json.loads(team_path.read_text())
        (entry,) = document["instances"]
        box = next(v for v in entry.values() if isinstance(v, dict) and "kdf" in v)
        for field, value in damage.items():
            (box["kdf"] if field in ("n", "r", "p", "salt") else box)[field] = value
        team_path.write_text(json.dumps(document))
        (tmp_path / "mate_home").mkdir()
        teammate = RawAgent(agent_env(tmp_path / "mate_home"))
        teammate.call(
            "initialize",
            {"capabilities": {}, "workspaceFolders": [{"uri": workspace.as_uri(), "name": "p"}]},
        )
        reply = teammate.call(
            "issuebridge/team/unlock",
            {"instanceId": instance_id, "passphrase": shared["passphrase"]},
            timeout=60,
        )
        error = error_of(reply)
        assert error["code"] != -32603, error
        assert "damaged" in error["message"]
        assert error["data"]["action"] == "repairStorage"
        assert error["data"]["path"] == str(team_path)
        assert "result" in teammate.call(LIST, {})  # still alive and answering
    finally:
        admin.kill()
        if teammate is not None:
            teammate.kill()


# --- 8. the log scrubber forgets secrets that are gone ------------------------------


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_failed_configures_with_huge_tokens_do_not_keep_them_in_memory(home: Path) -> None:
    # A port that refuses connections: every configure fails at once.
    refusing = socket.socket()
    refusing.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{refusing.getsockname()[1]}"
    agent = RawAgent(agent_env(home, ISSUEBRIDGE_LOG="debug"))
    try:
        agent.initialize()

        def fail_configure(n: int) -> None:
            token = f"hugetoken{n:04d}" + "x" * 1_000_000
            reply = configure_token(agent, base_url, token)
            assert "error" in reply and reply["error"]["code"] != -32603, reply["error"]

        for n in range(5):  # warm up: allocator pools, imports
            fail_configure(n)
        baseline = _rss_kib(agent.proc.pid)
        for n in range(5, 105):
            fail_configure(n)
        grown_mib = (_rss_kib(agent.proc.pid) - baseline) / 1024
        print(f"VmRSS {baseline / 1024:.1f} MiB after 5 configures, +{grown_mib:.1f} after 100")
        # 100 MB of tokens were sent; keeping them would grow RSS by ~100 MiB.
        assert grown_mib < 30, f"RSS grew {grown_mib:.1f} MiB over {baseline / 1024:.1f} MiB"
        agent.call("shutdown", None)
        agent.notify("exit")
        agent.wait_exit()
    finally:
        agent.kill()
        refusing.close()
    assert "hugetoken" not in agent.stderr_text()
    assert "hugetoken" not in repr(agent.messages)  # window/logMessage and the answers
    assert "xxxxxxxxxxxxxxxx" not in agent.stderr_text()


# --- 9. where secrets are kept, in providers/list -----------------------------------


def test_providers_list_says_where_secrets_are_kept(tmp_path: Path, home: Path) -> None:
    agent = _fresh(home)
    try:
        result = agent.call(LIST, {})["result"]
        assert result["secretStorage"] == {
            "kind": "file",
            "path": str(home / "secrets" / "secrets.json"),
        }
    finally:
        agent.kill()
    env = agent_env(
        home,
        ISSUEBRIDGE_SECRET_STORE="keyring",
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        XDG_DATA_HOME=str(tmp_path / "keyring"),
    )
    agent = RawAgent(env)
    try:
        agent.initialize()
        assert agent.call(LIST, {})["result"]["secretStorage"] == {"kind": "keyring"}
    finally:
        agent.kill()
