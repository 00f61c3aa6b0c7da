"""`initializationOptions.logLevel` sets the level of the agent's stderr log."""

import time

import pytest
from wire import RawAgent

IGNORED = "issuebridge/test/nobodyListens"
MARKER = "Skipping a frame without a valid Content-Length header"


def _log_after_noise(agent: RawAgent) -> str:
    """Stderr once a debug line (an ignored notification) and then a warning were logged.

    The notification is handled before the request after it is answered, and the
    warning is logged only once the answer is here: once the warning is on stderr,
    the debug line is there too, if it was written at all.
    """
    agent.notify(IGNORED, {})
    assert "result" in agent.call("issuebridge/providers/list", {})
    agent.send_bytes(b"X-Not-A-Length: 1\r\n\r\n")
    deadline = time.monotonic() + 10
    while MARKER not in agent.stderr_text():
        assert time.monotonic() < deadline, agent.stderr_text()[-2000:]
        time.sleep(0.02)
    return agent.stderr_text()


def test_debug_lines_reach_stderr_at_log_level_debug(raw_agent: RawAgent) -> None:
    raw_agent.initialize({"logLevel": "debug"})
    assert f"DEBUG issuebridge.rpc: Ignoring notification {IGNORED}" in _log_after_noise(raw_agent)


@pytest.mark.parametrize("options", [None, {"logLevel": "info"}, {"logLevel": "warning"}])
def test_no_debug_lines_below_debug(raw_agent: RawAgent, options: dict[str, str] | None) -> None:
    raw_agent.initialize(options)
    text = _log_after_noise(raw_agent)
    assert " DEBUG " not in text
    assert "Ignoring notification" not in text


def test_an_unknown_log_level_is_refused_by_name(raw_agent: RawAgent) -> None:
    reply = raw_agent.initialize({"logLevel": "loud"})
    assert reply["error"]["data"]["field"] == "initializationOptions.logLevel"
