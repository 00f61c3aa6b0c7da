"""Serve the agent over stdin/stdout with LSP framing, owning fds 0 and 1.

Only the protocol writer may write to the real stdout. Before serving, the
protocol streams are moved to private descriptors; fd 1 then points at stderr (so
a stray `print()` or a child process's output lands in the log, not in the
stream) and fd 0 at /dev/null (so a child process cannot eat requests).
"""

import asyncio
import contextlib
import json
import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Final

from agent.rpc import errors
from agent.rpc.protocol import AgentProtocol
from protocol.errors import ErrorKind

log = logging.getLogger("issuebridge.rpc")

MAX_FRAME_BYTES: Final = 64 * 1024 * 1024
_END_OF_INPUT: Final = object()
_EXIT: Final = object()
_OVERSIZED: Final = object()


def take_stdio() -> tuple[int, int]:
    """Move the protocol streams to private fds and neuter fds 0 and 1."""
    sys.stdout.flush()
    in_fd, out_fd = os.dup(0), os.dup(1)  # non-inheritable: children never get them
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    return in_fd, out_fd


class FdWriter:
    """Writes whole frames to a file descriptor (pygls' writer interface)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)


def read_frames(fd: int, deliver: Callable[[object], None]) -> None:
    """Read LSP frames from `fd` (in a thread) and hand each body to `deliver`."""
    reader = _FrameReader(fd)
    try:
        while True:
            length = reader.headers()
            if length is None:
                log.warning("Skipping a frame without a valid Content-Length header")
                continue
            if length > MAX_FRAME_BYTES:
                # Refuse it now, without reading it: a declared 2 GB body would block
                # every request behind it. Then find the next frame's header.
                log.warning(
                    "Refused a frame of %d bytes (the limit is %d)", length, MAX_FRAME_BYTES
                )
                deliver(_OVERSIZED)
                reader.skip_to_header()
                continue
            deliver(reader.body(length))
    except EOFError:
        pass
    except OSError as exc:
        log.warning("Reading stdin failed: %s", exc)
    finally:
        deliver(_END_OF_INPUT)


_HEADER: Final = b"content-length:"
_MAX_HEADER_LINE: Final = 8192


class _FrameReader:
    """LSP framing over a raw fd, with its own buffer so that it can resynchronise:
    after a refused frame it scans for the next `Content-Length:` header instead of
    consuming the declared number of bytes."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = bytearray()

    def _fill(self) -> None:
        chunk = os.read(self._fd, 64 * 1024)
        if not chunk:
            raise EOFError
        self._buffer += chunk

    def _line(self) -> bytes:
        """One header line (up to 8 KiB of a longer one)."""
        while True:
            end = self._buffer.find(b"\n", 0, _MAX_HEADER_LINE)
            if end >= 0 or len(self._buffer) >= _MAX_HEADER_LINE:
                cut = end + 1 if end >= 0 else _MAX_HEADER_LINE
                line = bytes(self._buffer[:cut])
                del self._buffer[:cut]
                return line
            self._fill()

    def headers(self) -> int | None:
        """The frame's Content-Length, or None if it has no valid one."""
        length: int | None = None
        while True:
            line = self._line()
            if line in (b"\r\n", b"\n"):
                return length if length is None or length >= 0 else None
            name, _, value = line.decode("ascii", "replace").partition(":")
            if name.strip().lower() == "content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    length = None

    def body(self, length: int) -> bytes:
        while len(self._buffer) < length:
            self._fill()
        body = bytes(self._buffer[:length])
        del self._buffer[:length]
        return body

    def skip_to_header(self) -> None:
        """Drop bytes up to the next `Content-Length:` header."""
        while True:
            found = self._buffer.lower().find(_HEADER)
            if found >= 0:
                del self._buffer[:found]
                return
            # Keep a tail that may be the start of a header split across reads.
            del self._buffer[: max(0, len(self._buffer) - len(_HEADER) + 1)]
            self._fill()


def dispatch(protocol: AgentProtocol, body: bytes) -> None:
    """Decode one frame body and hand it to the protocol; never raises."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        protocol._send_error(
            None, errors.error_object(ErrorKind.PARSE_ERROR, "The message is not valid JSON.")
        )
        return
    try:
        if isinstance(data, list):
            protocol._send_error(
                None,
                errors.error_object(
                    ErrorKind.INVALID_REQUEST,
                    "Batch messages are not supported: send one at a time.",
                ),
            )
            return
        protocol.handle_message(protocol.structure_message(data))
    except Exception:
        log.exception("Failed to handle a message")


async def serve(protocol: AgentProtocol, in_fd: int) -> int:
    """Serve until `exit` or end of input; return the process exit status."""
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[object] = asyncio.Queue()

    def deliver(item: object) -> None:
        # After `exit` the loop is closed; whatever still arrives is dropped.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(inbox.put_nowait, item)

    protocol.on_exit = lambda: inbox.put_nowait(_EXIT)
    threading.Thread(target=read_frames, args=(in_fd, deliver), name="stdin", daemon=True).start()
    while True:
        item = await inbox.get()
        if item is _EXIT:
            return protocol.exit_code if protocol.exit_code is not None else 1
        if item is _END_OF_INPUT:
            log.info("stdin closed; stopping")
            return 0 if protocol._shutdown else 1
        if item is _OVERSIZED:
            protocol._send_error(
                None,
                errors.error_object(
                    ErrorKind.INVALID_REQUEST,
                    f"The message is too large (the limit is {MAX_FRAME_BYTES >> 20} MiB); "
                    "it was skipped unread.",
                ),
            )
            continue
        assert isinstance(item, bytes)
        dispatch(protocol, item)


def run(protocol: AgentProtocol) -> int:
    """Take over stdio, serve, and return the exit status (the caller exits with it)."""
    in_fd, out_fd = take_stdio()
    protocol.set_writer(FdWriter(out_fd), include_headers=True)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(serve(protocol, in_fd))
    except BrokenPipeError:
        log.info("The client closed the protocol stream")
        return 1
