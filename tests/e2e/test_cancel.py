"""`$/cancelRequest` stops a slow request, which answers -32800 once."""

import asyncio

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient
from wire import RawAgent

# Far longer than any wait here: an answer can only come from the cancellation.
SLEEP = {"seconds": 300}


async def test_cancelling_a_slow_request_answers_request_cancelled(client: LanguageClient) -> None:
    future = client.protocol.send_request("issuebridge/test/sleep", SLEEP)
    msg_id = next(k for k, v in client.protocol._request_futures.items() if v is future)
    # Requests are read in order: once this is answered, the sleep is running.
    assert await client.protocol.send_request_async("issuebridge/providers/list", {})
    client.protocol.notify("$/cancelRequest", lsp.CancelParams(id=msg_id))
    with pytest.raises(JsonRpcException) as caught:
        await asyncio.wait_for(asyncio.wrap_future(future), timeout=20)
    assert caught.value.code == -32800
    # The agent is still there.
    assert await client.protocol.send_request_async("issuebridge/providers/list", {})


def test_cancelled_request_is_answered_exactly_once(raw_agent: RawAgent) -> None:
    raw_agent.initialize()
    msg_id = raw_agent.request("issuebridge/test/sleep", SLEEP)
    raw_agent.call("issuebridge/providers/list", {})  # the sleep is running now
    raw_agent.notify("$/cancelRequest", {"id": msg_id})
    reply = raw_agent.response(msg_id, timeout=20)
    assert reply["error"]["code"] == -32800
    assert reply["error"]["data"]["kind"] == "cancelled"
    raw_agent.notify("$/cancelRequest", {"id": msg_id})  # too late: ignored
    raw_agent.call("issuebridge/providers/list", {})
    assert len(raw_agent.responses_to(msg_id)) == 1
