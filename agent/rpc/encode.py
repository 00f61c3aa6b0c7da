"""JSON for outgoing messages, as UTF-8 bytes, without one giant intermediate string.

`json.dumps` of a result with 10,000 issues builds ~300,000 small strings, joins them
into one string (4 bytes per character as soon as one emoji is in it) and only then
is it encoded: three copies at once, ~40 MB. Long lists are encoded here a few
hundred items at a time instead, straight to bytes, and written in batches of 256 KiB.
(One encoder call per item cost a third more CPU than the encoding itself: each call
sets up a new C encoder.)
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

# Lists longer than this are encoded in chunks; shorter values in one go.
ITEMWISE_FROM = 256
# Items per chunk: ~100 KB of JSON for issues.
CHUNK_ITEMS = 256
# How deep into objects to look for long lists (message -> result -> issues).
DEPTH = 3
# Pieces are written in batches of about this size.
BATCH_BYTES = 256 * 1024


def encode(data: Any, default: Callable[[Any], Any]) -> list[bytes]:
    """The JSON text of `data` in UTF-8 pieces, to be written in order; raises
    TypeError/ValueError like json.dumps."""
    # allow_nan=False: JSON has no Infinity or NaN, and JSON.parse in every editor
    # rejects them; such a value fails here, loudly, instead of on the client.
    encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=default)
    pieces: list[bytes] = []
    _encode(data, encoder.encode, pieces, DEPTH)
    return pieces


def batches(pieces: list[bytes], size: int = BATCH_BYTES) -> Iterator[bytes]:
    """The pieces joined into writes of about `size` bytes."""
    batch: list[bytes] = []
    length = 0
    for piece in pieces:
        batch.append(piece)
        length += len(piece)
        if length >= size:
            yield b"".join(batch)
            batch, length = [], 0
    if batch:
        yield b"".join(batch)


def _encode(value: Any, dumps: Callable[[Any], str], out: list[bytes], depth: int) -> None:
    if isinstance(value, list) and len(value) >= ITEMWISE_FROM:
        out.append(b"[")
        for start in range(0, len(value), CHUNK_ITEMS):
            if start:
                out.append(b",")
            # "[a, b, c]" without its brackets.
            out.append(dumps(value[start : start + CHUNK_ITEMS])[1:-1].encode("utf-8"))
        out.append(b"]")
    elif isinstance(value, dict) and depth > 0 and all(isinstance(k, str) for k in value):
        out.append(b"{")
        for index, (key, item) in enumerate(value.items()):
            out.append(b"%s%s:" % (b"," if index else b"", dumps(key).encode("utf-8")))
            _encode(item, dumps, out, depth - 1)
        out.append(b"}")
    else:
        out.append(dumps(value).encode("utf-8"))
