"""initialize / shutdown / exit, and ending when stdin closes.

The contract gives 2 s to end; the tests wait for the exit itself with a far longer
bound, so a loaded runner cannot fail them, while an agent that hangs still does.
"""

from wire import EXIT_DEADLINE, RawAgent


def test_initialize_answers_with_server_info(raw_agent: RawAgent) -> None:
    reply = raw_agent.initialize()
    assert reply["result"]["serverInfo"]["name"] == "issuebridge"
    assert "capabilities" in reply["result"]


def test_shutdown_then_exit_ends_with_status_0(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    reply = raw_agent.call("shutdown", None)
    assert "result" in reply and reply["result"] is None
    raw_agent.notify("exit")
    assert raw_agent.wait_exit(timeout=EXIT_DEADLINE) == 0
    raw_agent.check_framing()


def test_exit_without_shutdown_ends_with_status_1(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    raw_agent.notify("exit")
    assert raw_agent.wait_exit(timeout=EXIT_DEADLINE) == 1


def test_requests_after_shutdown_get_invalid_request(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    raw_agent.call("shutdown", None)
    reply = raw_agent.call("issuebridge/providers/list", {})
    assert reply["error"]["code"] == -32600
    assert "shutting down" in reply["error"]["message"]
    raw_agent.notify("exit")
    assert raw_agent.wait_exit() == 0


def test_agent_ends_when_stdin_closes(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    raw_agent.close_stdin()
    assert raw_agent.wait_exit(timeout=EXIT_DEADLINE) == 1  # no shutdown came first


def test_agent_ends_when_stdin_closes_mid_request(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    # Far longer than the wait below: the agent must not finish the request first.
    raw_agent.request("issuebridge/test/sleep", {"seconds": 10 * EXIT_DEADLINE})
    raw_agent.call("issuebridge/providers/list", {})  # the sleep is running now
    raw_agent.close_stdin()
    assert raw_agent.wait_exit(timeout=EXIT_DEADLINE) == 1


def test_startup_does_not_import_network_or_crypto_libraries(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    raw_agent.call("issuebridge/providers/list", {})
    loaded = set(raw_agent.call("issuebridge/test/modules", {})["result"])
    assert "pygls" in loaded  # the probe works
    assert not loaded & {"httpx", "cryptography", "oauthlib", "jwt", "platformdirs"}
