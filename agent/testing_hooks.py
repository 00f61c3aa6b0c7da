"""Extra methods for the end-to-end tests, present only with ISSUEBRIDGE_TEST_HOOKS=1.

They let tests provoke what real methods must survive: a slow request to cancel,
code and a child process writing to stdout, an unexpected exception, and an echo
of arbitrary (e.g. non-ASCII) text for framing checks.

`storage_write` lets crash tests stop the agent at a chosen point of its storage
writes, deterministically: counting atomic file writes from the start of the process,
ISSUEBRIDGE_TEST_CRASH_AFTER_WRITE=N kills it (SIGKILL) right after the N-th write,
ISSUEBRIDGE_TEST_CRASH_BEFORE_RENAME=N with the N-th temp file written but not renamed,
and ISSUEBRIDGE_TEST_PAUSE_AFTER_WRITE=N holds the writing thread after the N-th write
until the file ISSUEBRIDGE_TEST_PAUSE_FILE (which it creates) is removed.
"""

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from pygls.lsp.server import LanguageServer

ENV_FLAG = "ISSUEBRIDGE_TEST_HOOKS"


def enabled() -> bool:
    return os.environ.get(ENV_FLAG) == "1"


_writes = itertools.count(1)
_renames = itertools.count(1)


def storage_write(stage: str) -> None:
    """Called by `atomic_write` at `stage` "beforeRename" and "afterWrite"."""
    if not enabled():
        return
    env = os.environ
    if stage == "beforeRename":
        if env.get("ISSUEBRIDGE_TEST_CRASH_BEFORE_RENAME") == str(next(_renames)):
            os.kill(os.getpid(), signal.SIGKILL)
        return
    n = str(next(_writes))
    if env.get("ISSUEBRIDGE_TEST_CRASH_AFTER_WRITE") == n:
        os.kill(os.getpid(), signal.SIGKILL)
    if env.get("ISSUEBRIDGE_TEST_PAUSE_AFTER_WRITE") == n:
        marker = Path(env["ISSUEBRIDGE_TEST_PAUSE_FILE"])
        marker.touch()
        deadline = time.monotonic() + 60  # never hang a test run for good
        while marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)


def register(server: LanguageServer) -> None:
    @server.feature("issuebridge/test/sleep")
    async def sleep(ls: LanguageServer, params: Any) -> dict[str, Any]:
        await asyncio.sleep(float((params or {}).get("seconds", 30)))
        return {"slept": True}

    @server.feature("issuebridge/test/print")
    async def write_to_stdout(ls: LanguageServer, params: Any) -> dict[str, Any]:
        print("print() from a handler")
        sys.stdout.write("sys.stdout.write from a handler\n")
        sys.stdout.flush()
        os.write(1, b"os.write(1) from a handler\n")
        subprocess.run(["echo", "a child process writing to its stdout"], check=True)
        return {"printed": True}

    @server.feature("issuebridge/test/crash")
    async def crash(ls: LanguageServer, params: Any) -> None:
        secret_path = os.path.join(os.path.dirname(__file__), "internal.py")
        raise RuntimeError(f"boom in {secret_path}")

    @server.feature("issuebridge/test/modules")
    async def loaded_modules(ls: LanguageServer, params: Any) -> list[str]:
        return sorted(name for name in sys.modules if "." not in name)

    @server.feature("issuebridge/test/echo")
    async def echo(ls: LanguageServer, params: Any) -> Any:
        return params


def authorize_wait_seconds() -> float | None:
    """How long a loopback authorization waits for the browser, shortened for a test
    (ISSUEBRIDGE_TEST_AUTHORIZE_WAIT_SECONDS); None outside the tests."""
    value = os.environ.get("ISSUEBRIDGE_TEST_AUTHORIZE_WAIT_SECONDS")
    return float(value) if enabled() and value else None


def proxy_loopback() -> bool:
    """ISSUEBRIDGE_TEST_PROXY_LOOPBACK=1 lets requests to loopback go through a proxy,
    which outside the tests they never do. The simulator listens on 127.0.0.1 only, and
    tests neither edit /etc/hosts nor depend on outside DNS for a name that leads back
    here; so this one exemption is lifted for them, and only it (agent/proxy.py)."""
    return enabled() and os.environ.get("ISSUEBRIDGE_TEST_PROXY_LOOPBACK") == "1"
