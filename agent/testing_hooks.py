"""Extra methods for the end-to-end tests, present only with ISSUEBRIDGE_TEST_HOOKS=1.

They let tests provoke what real methods must survive: a slow request to cancel,
code and a child process writing to stdout, an unexpected exception, and an echo
of arbitrary (e.g. non-ASCII) text for framing checks.
"""

import asyncio
import os
import subprocess
import sys
from typing import Any

from pygls.lsp.server import LanguageServer

ENV_FLAG = "ISSUEBRIDGE_TEST_HOOKS"


def enabled() -> bool:
    return os.environ.get(ENV_FLAG) == "1"


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
