"""The terminal client's side of the protocol: spawn the agent and talk to it.

Deliberately independent of pygls: a small asyncio JSON-RPC client with LSP
framing, the same wire any editor uses.
"""

import asyncio
import contextlib
import itertools
import json
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

NotificationHandler = Callable[[Any], None]
RequestHandler = Callable[[Any], Awaitable[Any]]


class AgentCallError(Exception):
    """The agent answered a request with an error."""

    def __init__(self, code: int, message: str, data: dict[str, Any] | None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data or {}

    @property
    def hint(self) -> str | None:
        hint = self.data.get("hint")
        return hint if isinstance(hint, str) else None

    @property
    def action(self) -> str | None:
        """The next step the agent suggests (`data.action`), for the client to word."""
        action = self.data.get("action")
        return action if isinstance(action, str) else None


def agent_command() -> list[str]:
    return [sys.executable, "-m", "agent", "--stdio"]


class AgentConnection:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._notification_handlers: dict[str, NotificationHandler] = {}
        self._request_handlers: dict[str, RequestHandler] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._reader = asyncio.create_task(self._read_loop())

    @classmethod
    async def start(
        cls, *, env: dict[str, str] | None = None, verbose: bool = False
    ) -> "AgentConnection":
        child_env = dict(os.environ if env is None else env)
        if not verbose:
            child_env.setdefault("ISSUEBRIDGE_LOG", "warning")
        process = await asyncio.create_subprocess_exec(
            *agent_command(),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=child_env,
            limit=64 * 1024 * 1024,
        )
        return cls(process)

    def on_notification(self, method: str, handler: NotificationHandler) -> None:
        self._notification_handlers[method] = handler

    def on_request(self, method: str, handler: RequestHandler) -> None:
        self._request_handlers[method] = handler

    # --- sending -------------------------------------------------------------------

    def _write(self, message: dict[str, Any]) -> None:
        assert self._process.stdin is not None
        if self._process.stdin.is_closing():
            return  # a late answer (the browser came back after we finished): nobody listens
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        self._process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def request(self, method: str, params: Any = None) -> Any:
        msg_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = future
        self._write({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params or {}})
        try:
            return await future
        except asyncio.CancelledError:
            # Ctrl-C or a timeout here: tell the agent to stop working on it too.
            with contextlib.suppress(Exception):
                self.notify("$/cancelRequest", {"id": msg_id})
            raise

    def notify(self, method: str, params: Any = None) -> None:
        self._write({"jsonrpc": "2.0", "method": method, "params": params or {}})

    # --- receiving -----------------------------------------------------------------

    async def _read_loop(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        try:
            while True:
                length = None
                while True:
                    line = await stdout.readline()
                    if not line:
                        return
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("ascii", "replace").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length is None:
                    continue
                self._dispatch(json.loads(await stdout.readexactly(length)))
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(
                        AgentCallError(-32099, "The issuebridge agent stopped unexpectedly.", None)
                    )

    def _dispatch(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if method is None:
            future = self._pending.pop(message.get("id"), None)  # type: ignore[arg-type]
            if future is None or future.done():
                return
            if "error" in message:
                error = message["error"]
                future.set_exception(
                    AgentCallError(
                        error.get("code", 0), error.get("message", ""), error.get("data")
                    )
                )
            else:
                future.set_result(message.get("result"))
        elif "id" in message:
            task = asyncio.create_task(self._answer(message["id"], method, message.get("params")))
            self._tasks.add(task)  # keep a reference until it is done
            task.add_done_callback(self._tasks.discard)
        elif (handler := self._notification_handlers.get(method)) is not None:
            handler(message.get("params"))

    async def _answer(self, msg_id: Any, method: str, params: Any) -> None:
        handler = self._request_handlers.get(method)
        if handler is None:
            # Progress creation and the like need no more than an acknowledgement.
            self._write({"jsonrpc": "2.0", "id": msg_id, "result": None})
            return
        try:
            result = await handler(params)
            self._write({"jsonrpc": "2.0", "id": msg_id, "result": result})
        except Exception as exc:
            error = {"code": -32603, "message": str(exc)}
            self._write({"jsonrpc": "2.0", "id": msg_id, "error": error})

    # --- lifecycle -----------------------------------------------------------------

    async def initialize(
        self,
        *,
        show_document: bool = True,
        workspace: str | None = None,
        options: dict[str, Any] | None = None,
    ) -> Any:
        capabilities = {
            "window": {"workDoneProgress": True, "showDocument": {"support": show_document}}
        }
        params: dict[str, Any] = {"processId": os.getpid(), "capabilities": capabilities}
        if options:
            params["initializationOptions"] = options
        if workspace:
            uri = Path(workspace).resolve().as_uri()
            params["workspaceFolders"] = [{"uri": uri, "name": Path(workspace).name}]
        result = await self.request("initialize", params)
        self.notify("initialized", {})
        return result

    async def close(self) -> int:
        """Shut the agent down politely; kill it if it does not go."""
        for task in list(self._tasks):  # answers still in the making (a browser opening)
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.request("shutdown"), timeout=5)
            self.notify("exit")
            assert self._process.stdin is not None
            self._process.stdin.close()
        try:
            return await asyncio.wait_for(self._process.wait(), timeout=5)
        except TimeoutError:
            self._process.kill()
            return await self._process.wait()
        finally:
            self._reader.cancel()
