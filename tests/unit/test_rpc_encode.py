"""Outgoing JSON in pieces: the same value as json.dumps, whatever the list lengths."""

import json
import math

import pytest

from agent.rpc.encode import CHUNK_ITEMS, ITEMWISE_FROM, batches, encode


def issue(n: int) -> dict[str, object]:
    return {"id": str(n), "key": f"ISB-{n}", "title": f"Zoë 🚀 {n}", "tags": [n, None, True]}


@pytest.mark.parametrize(
    "count",
    [0, 1, ITEMWISE_FROM - 1, ITEMWISE_FROM, CHUNK_ITEMS + 1, 2 * CHUNK_ITEMS, 3 * CHUNK_ITEMS + 7],
)
def test_pieces_join_to_the_value(count: int) -> None:
    message = {"jsonrpc": "2.0", "id": 7, "result": {"issues": [issue(n) for n in range(count)]}}
    pieces = encode(message, str)
    assert json.loads(b"".join(pieces)) == message
    assert b"".join(batches(pieces, 1000)) == b"".join(pieces)
    assert "Zoë 🚀".encode() in b"".join(pieces) or count == 0  # raw UTF-8, not \\u


def test_nan_is_refused_in_a_long_list_too() -> None:
    values = [1.0] * (CHUNK_ITEMS + 3) + [math.nan]
    with pytest.raises(ValueError):
        encode({"result": values}, str)
