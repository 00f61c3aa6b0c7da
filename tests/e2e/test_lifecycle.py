"""initialize / shutdown / exit, and ending when stdin closes."""

import time

from wire import RawAgent


def test_initialize_answers_with_server_info(raw_agent: RawAgent) -> None:
    reply = raw_agent.initialize()
    assert reply["result"]["serverInfo"]["name"] == "issuebridge"
    assert "capabilities" in reply["result"]


def test_shutdown_then_exit_ends_with_status_0(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    reply = raw_agent.call("shutdown", None)
    assert "result" in reply and reply["result"] is None
    started = time.monotonic()
    raw_agent.notify("exit")
    assert raw_agent.wait_exit(timeout=5) == 0
    assert time.monotonic() - started < 2.0
    raw_agent.check_framing()


def test_exit_without_shutdown_ends_with_status_1(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    raw_agent.notify("exit")
    assert raw_agent.wait_exit(timeout=5) == 1


def test_requests_after_shutdown_get_invalid_request(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    raw_agent.call("shutdown", None)
    reply = raw_agent.call("issuebridge/providers/list", {})
    assert reply["error"]["code"] == -32600
    assert "shutting down" in reply["error"]["message"]
    raw_agent.notify("exit")
    assert raw_agent.wait_exit() == 0


def test_agent_ends_within_two_seconds_when_stdin_closes(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    started = time.monotonic()
    raw_agent.close_stdin()
    raw_agent.wait_exit(timeout=5)
    assert time.monotonic() - started < 2.0


def test_agent_ends_when_stdin_closes_mid_request(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    raw_agent.request("issuebridge/test/sleep", {"seconds": 30})
    started = time.monotonic()
    raw_agent.close_stdin()
    raw_agent.wait_exit(timeout=5)
    assert time.monotonic() - started < 2.0


def test_startup_does_not_import_network_or_crypto_libraries(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    raw_agent.call("issuebridge/providers/list", {})
    loaded = set(raw_agent.call("issuebridge/test/modules", {})["result"])
    assert "pygls" in loaded  # the probe works
    assert not loaded & {"httpx", "cryptography", "oauthlib", "jwt", "platformdirs"}
