"""Dropping the network: the simulator stops listening (connection refused) and comes
back on the same port; or, from the admin API, cuts every connection while it is down."""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sim_helpers import bearer

from simulators.jira_server import JiraSimulator, SimulatorConfig

ROOT = Path(__file__).resolve().parents[2]


def myself(sim: JiraSimulator, client: httpx.Client, token: str) -> httpx.Response:
    return client.get(f"{sim.base_url}/rest/api/2/myself", headers=bearer(token))


def test_drop_network_refuses_connections_until_restored_on_the_same_port(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    token = sim.user("alice").pat
    base_url = sim.base_url
    added = sim.add_issue("ISB", "made before the drop", assignee="alice")
    assert myself(sim, http, token).status_code == 200  # a kept-alive connection is open

    sim.drop_network()
    assert not sim.network_up
    with pytest.raises(httpx.ConnectError):
        myself(sim, http, token)
    sim.drop_network()  # twice is harmless

    sim.restore_network()
    assert sim.network_up and sim.base_url == base_url
    assert myself(sim, http, token).json()["name"] == "alice"
    found = http.get(f"{base_url}/rest/api/2/issue/{added.key}", headers=bearer(token))
    assert found.status_code == 200  # everything it held is still there


def test_an_https_simulator_keeps_its_certificate_across_a_drop() -> None:
    with JiraSimulator(SimulatorConfig(https=True)) as sim:
        assert sim.ca_cert_path is not None
        trust = ssl.create_default_context(cafile=str(sim.ca_cert_path))
        with httpx.Client(verify=trust, timeout=10) as client:
            assert client.get(f"{sim.base_url}/rest/api/2/serverInfo").status_code == 200
            sim.drop_network()
            sim.restore_network()
            assert client.get(f"{sim.base_url}/rest/api/2/serverInfo").status_code == 200


def test_the_admin_network_switch_cuts_connections_but_not_the_admin_api(
    sim: JiraSimulator, http: httpx.Client
) -> None:
    token = sim.user("alice").pat
    down = http.put(f"{sim.base_url}/_sim/network", json={"down": True})
    assert down.json()["faults"]["networkDown"] is True
    for _ in range(2):  # every request, not one
        with pytest.raises(httpx.RemoteProtocolError):
            myself(sim, http, token)
    assert http.get(f"{sim.base_url}/_sim/state").status_code == 200
    assert http.put(f"{sim.base_url}/_sim/network", json={"down": "yes"}).status_code == 400
    up = http.put(f"{sim.base_url}/_sim/network", json={"down": False})
    assert up.json()["faults"]["networkDown"] is False
    assert myself(sim, http, token).status_code == 200

    sim.faults.network_down = True
    assert http.delete(f"{sim.base_url}/_sim/faults").status_code == 204  # clears it too
    assert myself(sim, http, token).status_code == 200


def _start_cli(port: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "simulators.jira_server", "--port", str(port), "--issues", "40"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def _stop_cli(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_the_command_line_simulator_restarts_on_the_same_port_with_the_same_tokens() -> None:
    first, base_url = _start_cli(0)
    try:
        users = httpx.get(f"{base_url}/_sim/users", timeout=10).json()
        token = next(u["pat"] for u in users if u["name"] == "alice")
    finally:
        _stop_cli(first)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base_url}/rest/api/2/serverInfo", timeout=10)
    port = int(base_url.split(":")[2].split("/")[0])
    second, again = _start_cli(port)
    try:
        assert again == base_url
        me = httpx.get(f"{base_url}/rest/api/2/myself", headers=bearer(token), timeout=10)
        assert me.json()["name"] == "alice"  # same seed: same users and tokens
    finally:
        _stop_cli(second)
