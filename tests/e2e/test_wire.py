"""Every byte on stdout is a well-framed protocol message, whatever the agent does."""

from wire import RawAgent


def test_code_and_child_processes_printing_cannot_reach_stdout(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    reply = raw_agent.call("issuebridge/test/print", {})
    assert reply["result"] == {"printed": True}
    assert "result" in raw_agent.call("issuebridge/providers/list", {})
    raw_agent.call("shutdown", None)
    raw_agent.notify("exit")
    assert raw_agent.wait_exit() == 0
    raw_agent.check_framing()
    assert b"from a handler" not in raw_agent.raw_stdout
    assert b"child process" not in raw_agent.raw_stdout
    # What they printed went to stderr, the log.
    for text in ("print() from a handler", "os.write(1) from a handler", "a child process"):
        assert text in raw_agent.wait_for_stderr(text)


def test_non_ascii_text_is_framed_by_bytes(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    text = "Zoë Ünal — 日本語 ✓ " * 50
    reply = raw_agent.call("issuebridge/test/echo", {"text": text})
    assert reply["result"] == {"text": text}
    # The frame after it must still parse: a character-counted length would
    # have cut this one short and corrupted the next.
    assert "result" in raw_agent.call("issuebridge/providers/list", {})
    raw_agent.check_framing()


def test_a_whole_session_is_well_framed(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    raw_agent.call("issuebridge/providers/list", {})
    raw_agent.call("issuebridge/providers/configure", {})
    raw_agent.call("nothing", {})
    raw_agent.send(b"not json")
    raw_agent.call("shutdown", None)
    raw_agent.notify("exit")
    raw_agent.wait_exit()
    raw_agent.check_framing()
    assert raw_agent.raw_stdout.startswith(b"Content-Length: ")
    total = sum(len(m) for m in raw_agent.messages)
    assert total >= 5


def test_log_lines_reach_the_editor_as_log_messages(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    raw_agent.call("issuebridge/test/crash", {})
    message = raw_agent.wait_for(
        lambda m: m.get("method") == "window/logMessage" and m["params"]["type"] == 1  # Error
    )
    assert (
        "failed unexpectedly" in message["params"]["message"].lower()
        or "unexpected" in message["params"]["message"].lower()
    )
    # Never a traceback or the agent's file paths on the wire.
    for sent in raw_agent.messages:
        assert "Traceback" not in str(sent) and ".py" not in str(sent)
