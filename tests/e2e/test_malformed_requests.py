"""Bad input gets exactly one clear answer, and the agent stays up.

Each case here is one of pygls 2.1's traps: left alone it answers nothing, or
answers with a traceback.
"""

from typing import Any

import pytest
from wire import RawAgent

CONFIGURE = "issuebridge/providers/configure"


def _error(reply: dict[str, Any]) -> dict[str, Any]:
    assert "error" in reply, reply
    assert "result" not in reply
    error = reply["error"]
    assert isinstance(error, dict)
    return error


def _still_serving(agent: RawAgent) -> None:
    assert "result" in agent.call("issuebridge/providers/list", {})


@pytest.mark.parametrize(
    ("params", "field"),
    [
        (None, "providerId"),  # `params` left out entirely
        ([], "params"),
        ("configure", "params"),
        ({"authMethod": "token", "fields": {}}, "providerId"),
        ({"providerId": 7, "authMethod": "token", "fields": {}}, "providerId"),
        ({"providerId": "jira-server", "authMethod": "token", "fields": []}, "fields"),
        (
            {"providerId": "jira-server", "authMethod": "token", "fields": {"baseUrl": 1}},
            "fields.baseUrl",
        ),
    ],
)
def test_malformed_params_get_invalid_params_naming_the_field(
    raw_agent: RawAgent, params: Any, field: str
) -> None:
    raw_agent.initialize()
    msg_id = raw_agent.request(CONFIGURE, params, omit_params=params is None)
    error = _error(raw_agent.response(msg_id))
    assert error["code"] == -32602
    assert error["data"]["kind"] == "invalidParams"
    assert error["data"]["field"] == field
    assert field in error["message"]
    _still_serving(raw_agent)
    assert len(raw_agent.responses_to(msg_id)) == 1


@pytest.mark.parametrize(
    ("method", "params", "field"),
    [
        ("issuebridge/issues/fetch", {"instanceId": "x", "limit": 0}, "limit"),
        ("issuebridge/issues/fetch", {"instanceId": "x", "limit": 10001}, "limit"),
        ("issuebridge/issues/fetch", {"instanceId": "x", "limit": True}, "limit"),
        ("issuebridge/issues/fetch", {"instanceId": "x", "jql": 3}, "jql"),
        ("issuebridge/keys/generate", {"bits": 1024}, "bits"),
        ("issuebridge/providers/authorize", {"instanceId": "x", "callback": "email"}, "callback"),
        ("issuebridge/providers/disconnect", {"instanceId": "x", "forget": "yes"}, "forget"),
        ("issuebridge/providers/completeAuthorization", {"instanceId": "x"}, "verifier"),
    ],
)
def test_every_method_validates_its_params(
    raw_agent: RawAgent, method: str, params: Any, field: str
) -> None:
    raw_agent.initialize()
    error = _error(raw_agent.call(method, params))
    assert (error["code"], error["data"]["field"]) == (-32602, field)


def test_initialize_with_malformed_params_is_answered(raw_agent: RawAgent) -> None:
    msg_id = raw_agent.request("initialize", {"processId": "not a number", "capabilities": {}})
    error = _error(raw_agent.response(msg_id))
    assert error["code"] == -32602
    assert error["data"]["field"] == "processId"
    # The client may try again with good params.
    assert "result" in raw_agent.initialize()


def test_initialize_with_bad_initialization_options_names_the_setting(raw_agent: RawAgent) -> None:
    reply = raw_agent.call(
        "initialize",
        {"capabilities": {}, "initializationOptions": {"http": {"timeoutSeconds": "soon"}}},
    )
    error = _error(reply)
    assert error["code"] == -32602
    assert error["data"]["field"] == "initializationOptions.http.timeoutSeconds"


def test_unknown_method_gets_method_not_found(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    error = _error(raw_agent.call("issuebridge/nothing/here", {}))
    assert error["code"] == -32601
    assert error["data"]["kind"] == "methodNotFound"
    assert "issuebridge/nothing/here" in error["message"]


def test_invalid_json_gets_parse_error_and_the_agent_goes_on(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    raw_agent.send(b'{"jsonrpc": "2.0", "id": 99, "method": ')
    error = raw_agent.wait_for(lambda m: m.get("error", {}).get("code") == -32700)
    assert error["id"] is None
    _still_serving(raw_agent)


@pytest.mark.parametrize(
    "message",
    [
        {"id": 5, "method": "issuebridge/providers/list", "params": {}},  # no "jsonrpc"
        {"jsonrpc": "1.0", "id": 5, "method": "issuebridge/providers/list"},
        {"jsonrpc": "2.0", "id": 5, "method": 42},
        [{"jsonrpc": "2.0", "id": 5, "method": "issuebridge/providers/list"}],  # a batch
    ],
)
def test_invalid_requests_get_invalid_request(raw_agent: RawAgent, message: Any) -> None:
    raw_agent.initialize()
    raw_agent.send(message)
    error = raw_agent.wait_for(lambda m: m.get("error", {}).get("code") == -32600)
    assert error["error"]["data"]["kind"] == "invalidRequest"
    _still_serving(raw_agent)


def test_unexpected_exception_is_internal_error_without_traceback(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    error = _error(raw_agent.call("issuebridge/test/crash", {}))
    assert error["code"] == -32603
    assert error["data"] == {"kind": "internalError", "hint": error["data"]["hint"]}
    text = repr(error)
    assert "Traceback" not in text and "boom" not in text and ".py" not in text
    # The details go to the log instead.
    _still_serving(raw_agent)
    log = raw_agent.wait_for_stderr("Traceback", "boom")
    assert "Traceback" in log and "boom" in log


def test_notifications_are_never_answered(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    raw_agent.notify("issuebridge/unknown/notification", {"x": 1})
    raw_agent.notify("$/cancelRequest", {"id": 12345})
    raw_agent.notify("workspace/didChangeConfiguration", {"settings": {"http": {"proxy": 5}}})
    before = len(raw_agent.messages)
    _still_serving(raw_agent)
    answers = [m for m in raw_agent.messages[before:] if "id" in m and "method" not in m]
    assert len(answers) == 1


def test_every_request_in_a_burst_gets_exactly_one_answer(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    ids: list[int] = []
    malformed: list[Any] = [
        None,
        {},
        [],
        {"providerId": 1},
        {"providerId": "nope", "authMethod": "x", "fields": {}},
    ]
    for params in malformed:
        ids.append(raw_agent.request(CONFIGURE, params, omit_params=params is None))
        ids.append(raw_agent.request("issuebridge/providers/list", params or {}))
        ids.append(raw_agent.request("no/such/method", params))
    last = raw_agent.request("issuebridge/providers/list", {})
    raw_agent.response(last)
    for msg_id in ids:
        raw_agent.response(msg_id)
        assert len(raw_agent.responses_to(msg_id)) == 1, msg_id


@pytest.mark.parametrize(
    "after_header",
    [b"", b"x" * 200_000, b'{"jsonrpc": "2.0", "id": 77, "method": "x"}' * 1000],
    ids=["header only", "some body bytes", "json-looking body bytes"],
)
def test_an_oversized_frame_is_refused_at_once_and_later_requests_are_answered(
    raw_agent: RawAgent, after_header: bytes
) -> None:
    raw_agent.initialize()
    # A declared 2 GB frame, of which the client sends little or nothing: reading it
    # in full would block every request after it.
    raw_agent.send_bytes(b"Content-Length: 2147483648\r\n\r\n" + after_header)
    refused = raw_agent.wait_for(lambda m: m.get("error", {}).get("code") == -32600)
    assert refused["id"] is None and "too large" in refused["error"]["message"]
    _still_serving(raw_agent)
    # A frame right behind the oversized one (no newline between) is found as well.
    raw_agent.send_bytes(b"Content-Length: 3000000000\r\n\r\nabc")
    _still_serving(raw_agent)
    assert raw_agent.proc.poll() is None


@pytest.mark.parametrize(
    "target", [{"nested": 1}, [1, 2], 1.5, True, None, "a-request-never-made", -7]
)
def test_cancel_with_an_odd_id_is_ignored_quietly(raw_agent: RawAgent, target: Any) -> None:
    raw_agent.initialize()
    raw_agent.notify("$/cancelRequest", {"id": target})
    raw_agent.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": [target]})
    raw_agent.send({"jsonrpc": "2.0", "method": "$/cancelRequest"})
    _still_serving(raw_agent)
    sleeping = raw_agent.request("issuebridge/test/sleep", {"seconds": 30})
    raw_agent.notify("$/cancelRequest", {"id": sleeping})
    assert _error(raw_agent.response(sleeping))["code"] == -32800
    assert "Traceback" not in raw_agent.stderr_text()
    assert "WARNING" not in raw_agent.stderr_text()
    assert not any("error" in m and m.get("id") is None for m in raw_agent.messages)
