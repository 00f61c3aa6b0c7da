"""A minimal LSP framing client, independent of pygls and of the agent's code.

It spawns the agent, writes raw bytes, and parses stdout strictly: every byte
must belong to a `Content-Length`-framed JSON message, or the test fails.
"""

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

AGENT_COMMAND = [sys.executable, "-m", "agent", "--stdio"]
# How long to wait for the agent to end. The contract says 2 s; this bound only
# catches a hang, generously, so that a loaded test runner does not fail a test.
EXIT_DEADLINE = 15.0
# How long to wait for a message by default: a bound on a hang, not a speed test
# (an agent starting on a loaded 2-core runner can take several seconds).
WAIT_DEADLINE = 30.0


class FramingError(AssertionError):
    pass


def frame(message: Any) -> bytes:
    body = message if isinstance(message, bytes) else json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class RawAgent:
    def __init__(self, env: Mapping[str, str], args: list[str] | None = None) -> None:
        self.proc = subprocess.Popen(
            args or AGENT_COMMAND,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env),
        )
        self.raw_stdout = bytearray()
        self.stderr = bytearray()
        self.messages: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        self._eof = False
        self._framing_error: str | None = None
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self._next_id = 1

    # --- reading -------------------------------------------------------------

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        buffer = b""
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            self.raw_stdout.extend(chunk)
            buffer += chunk
            while True:
                parsed = self._parse_one(buffer)
                if parsed is None:
                    break
                message, buffer = parsed
                with self._cond:
                    self.messages.append(message)
                    self._cond.notify_all()
        with self._cond:
            if buffer and self._framing_error is None:
                self._framing_error = f"trailing bytes on stdout: {buffer[:200]!r}"
            self._eof = True
            self._cond.notify_all()

    def _parse_one(self, buffer: bytes) -> tuple[dict[str, Any], bytes] | None:
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            prefix = b"Content-"
            if not (buffer.startswith(prefix) or prefix.startswith(buffer)):
                self._fail(f"stdout does not start with a header: {buffer[:200]!r}")
            return None
        headers = buffer[:end].decode("ascii", "strict").split("\r\n")
        length = None
        for header in headers:
            name, sep, value = header.partition(": ")
            if not sep:
                self._fail(f"malformed header line {header!r}")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() != "content-type":
                self._fail(f"unexpected header {header!r}")
        if length is None:
            self._fail("a frame without Content-Length")
            return None
        start = end + 4
        if len(buffer) < start + length:
            return None
        body = buffer[start : start + length]
        try:
            message = json.loads(body.decode("utf-8"))
        except ValueError:
            self._fail(f"a frame whose body is not JSON: {body[:200]!r}")
        if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
            self._fail(f"not a JSON-RPC 2.0 message: {message!r}")
        return message, buffer[start + length :]

    def _fail(self, problem: str) -> None:
        with self._cond:
            self._framing_error = self._framing_error or problem
            self._cond.notify_all()
        raise FramingError(problem)

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        fd = self.proc.stderr.fileno()
        for chunk in iter(lambda: os.read(fd, 65536), b""):
            with self._cond:
                self.stderr.extend(chunk)
                self._cond.notify_all()

    def check_framing(self) -> None:
        if self._framing_error:
            raise FramingError(self._framing_error)

    # --- writing -------------------------------------------------------------

    def send_bytes(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: Any) -> None:
        self.send_bytes(frame(message))

    def request(self, method: str, params: Any = None, *, omit_params: bool = False) -> int:
        msg_id = self._next_id
        self._next_id += 1
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if not omit_params:
            message["params"] = params if params is not None else {}
        self.send(message)
        return msg_id

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params or {}})

    # --- waiting ---------------------------------------------------------------

    def wait_for(self, predicate: Any, timeout: float = WAIT_DEADLINE) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                self.check_framing()
                for message in self.messages:
                    if predicate(message):
                        return message
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._eof:
                    raise AssertionError(
                        f"no matching message within {timeout}s; got {self.messages!r}; "
                        f"stderr: {self.stderr_text()[-2000:]}"
                    )
                self._cond.wait(remaining)

    def response(self, msg_id: Any, timeout: float = WAIT_DEADLINE) -> dict[str, Any]:
        return self.wait_for(lambda m: m.get("id") == msg_id and "method" not in m, timeout)

    def call(
        self, method: str, params: Any = None, timeout: float = WAIT_DEADLINE
    ) -> dict[str, Any]:
        return self.response(self.request(method, params), timeout)

    def responses_to(self, msg_id: Any) -> list[dict[str, Any]]:
        with self._cond:
            return [m for m in self.messages if m.get("id") == msg_id and "method" not in m]

    def initialize(self, options: Any = None, capabilities: Any = None) -> dict[str, Any]:
        params: dict[str, Any] = {"processId": os.getpid(), "capabilities": capabilities or {}}
        if options is not None:
            params["initializationOptions"] = options
        reply = self.call("initialize", params)
        self.notify("initialized", {})
        return reply

    def stderr_text(self) -> str:
        return self.stderr.decode("utf-8", "replace")

    def wait_for_stderr(self, *needles: str, timeout: float = 20) -> str:
        """The log once every needle is in it: a line logged before an answer may still
        be on its way through the stderr pipe when the answer arrives on stdout."""
        with self._cond:
            self._cond.wait_for(lambda: all(n in self.stderr_text() for n in needles), timeout)
            return self.stderr_text()

    def close_stdin(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()

    def wait_exit(self, timeout: float = EXIT_DEADLINE) -> int:
        return self.proc.wait(timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def agent_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ISSUEBRIDGE_")}
    env["ISSUEBRIDGE_HOME"] = str(home)
    # A user home of the test's own, next to the storage: whatever a subprocess keeps
    # under ~ (caches, settings, a default storage dir) is neither the real user's nor
    # shared by tests running in parallel.
    env["HOME"] = str(home.parent / f"{home.name}-user")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env.pop(name, None)
    env["ISSUEBRIDGE_TEST_HOOKS"] = "1"
    # Never touch the OS keyring of whoever runs the tests; keyring tests opt in.
    env["ISSUEBRIDGE_SECRET_STORE"] = "file"
    env.update(extra)
    return env
