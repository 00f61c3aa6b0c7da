"""Fault injection and HTTPS mode."""

from __future__ import annotations

import ssl
import threading
import time

import httpx
import pytest
from sim_helpers import bearer

from simulators.jira_server import JiraSimulator, SimulatorConfig


def info(sim: JiraSimulator, client: httpx.Client) -> httpx.Response:
    return client.get(f"{sim.base_url}/rest/api/2/serverInfo")


def test_html_502_once_then_normal(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.faults.html_502()
    bad = info(sim, http)
    assert bad.status_code == 502
    assert bad.headers["content-type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in bad.text
    assert info(sim, http).status_code == 200


def test_non_json_200(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.faults.non_json_200(times=2)
    for _ in range(2):
        response = info(sim, http)
        assert response.status_code == 200
        with pytest.raises(ValueError):
            response.json()
    assert info(sim, http).json()["deploymentType"] == "Server"


def test_drop_connection(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.faults.drop_connection()
    with pytest.raises(httpx.RemoteProtocolError):
        info(sim, http)
    assert info(sim, http).status_code == 200


def test_slow_response_past_client_timeout(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.faults.slow_response(seconds=300)
    with httpx.Client(timeout=0.3) as impatient, pytest.raises(httpx.ReadTimeout):
        info(sim, impatient)
    # Once only; the next answer comes at once (asked with a patient client, as a
    # loaded machine may take longer than 0.3 s for any answer).
    assert info(sim, http).status_code == 200


def test_rate_limit_with_headers(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.faults.rate_limit(n_times=2, retry_after=7)
    for _ in range(2):
        limited = info(sim, http)
        assert limited.status_code == 429
        assert limited.headers["Retry-After"] == "7"
        assert limited.headers["X-RateLimit-Remaining"] == "0"
        for name in ("X-RateLimit-Limit", "X-RateLimit-FillRate", "X-RateLimit-Interval-Seconds"):
            assert name in limited.headers
    assert info(sim, http).status_code == 200


def test_latency_per_request(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.faults.latency_seconds = 0.15
    # A lower bound: load only makes requests slower, so it cannot fail spuriously.
    started = time.monotonic()
    info(sim, http)
    info(sim, http)
    assert time.monotonic() - started >= 0.3


def test_fault_can_target_a_path(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.faults.html_502(match="/search")
    assert info(sim, http).status_code == 200
    search = http.get(f"{sim.base_url}/rest/api/2/search", headers=bearer(sim.user("alice").pat))
    assert search.status_code == 502
    assert (
        http.get(
            f"{sim.base_url}/rest/api/2/search", headers=bearer(sim.user("alice").pat)
        ).status_code
        == 200
    )


def test_stop_does_not_wait_for_slow_responses() -> None:
    sim = JiraSimulator(SimulatorConfig()).start()
    sim.faults.slow_response(seconds=300)
    with httpx.Client(timeout=0.2) as client, pytest.raises(httpx.ReadTimeout):
        info(sim, client)
    # The slow answer is still pending; stopping must not wait for it.
    stopper = threading.Thread(target=sim.stop, daemon=True)
    stopper.start()
    stopper.join(timeout=20)
    assert not stopper.is_alive(), "stop() waited for a slow response"


def test_https_with_ca_bundle() -> None:
    with JiraSimulator(SimulatorConfig(https=True)) as sim:
        assert sim.base_url.startswith("https://127.0.0.1:")
        assert sim.ca_cert_path is not None and sim.ca_cert_pem
        assert sim.ca_cert_path.read_text() == sim.ca_cert_pem
        context = ssl.create_default_context(cafile=str(sim.ca_cert_path))
        with httpx.Client(verify=context) as client:
            assert info(sim, client).json()["baseUrl"] == sim.base_url
            by_name = client.get(f"https://localhost:{sim.port}/jira/rest/api/2/serverInfo")
            assert by_name.status_code == 200
        with httpx.Client() as untrusting, pytest.raises(httpx.ConnectError):
            info(sim, untrusting)
        ca_path = sim.ca_cert_path
    assert not ca_path.exists()


def test_unavailable_503_for_one_method_only(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.faults.unavailable_503(1, match="/rest/api/2/issue", method="POST", retry_after=2)
    auth = {"Authorization": f"Bearer {sim.user('alice').pat}"}
    read = http.get(f"{sim.base_url}/rest/api/2/issue/ISB-1", headers=auth)
    assert read.status_code == 200  # a GET of the same path is not the one armed
    body = {"fields": {"project": {"key": "ISB"}, "issuetype": {"name": "Task"}, "summary": "x"}}
    refused = http.post(f"{sim.base_url}/rest/api/2/issue", headers=auth, json=body)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "2"
    assert http.post(f"{sim.base_url}/rest/api/2/issue", headers=auth, json=body).status_code == 201


def test_captcha_answers_as_seraph_does(sim: JiraSimulator, http: httpx.Client) -> None:
    sim.faults.captcha(1, match="/myself")
    auth = {"Authorization": f"Bearer {sim.user('alice').pat}"}
    denied = http.get(f"{sim.base_url}/rest/api/2/myself", headers=auth)
    assert denied.status_code == 403
    assert denied.headers["X-Seraph-LoginReason"] == "AUTHENTICATION_DENIED"
    assert denied.headers["X-Authentication-Denied-Reason"] == (
        f"CAPTCHA_CHALLENGE; login-url={sim.base_url}/login.jsp"
    )
    assert http.get(f"{sim.base_url}/rest/api/2/myself", headers=auth).status_code == 200
