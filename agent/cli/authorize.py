"""`issuebridge authorize`: the browser step of OAuth (2.0 or 1.0a), wherever the browser is.

The agent asks us to open the authorize page (`window/showDocument`). We answer
with the truth: on a machine with no browser (SSH, a container) `webbrowser.open`
fails, we say `{success: false}`, and the agent answers at once with an address
whose code Jira shows; we print it and read the code. When a browser did open it
may still be on another machine, whose redirect to 127.0.0.1 goes nowhere: while
the callback waits we offer the same prompt (in a terminal, or with --paste), and
pass what is pasted, the code or the whole address, to completeAuthorization.
Whichever comes first, the callback or the paste, finishes the authorization.
"""

import argparse
import asyncio
import os
import sys
import threading
import webbrowser
from typing import Any

from agent.cli import render
from agent.cli.connection import AgentCallError, AgentConnection
from agent.cli.instances import choose_instance
from agent.cli.output import CliError, Output

AUTHORIZE = "issuebridge/providers/authorize"
COMPLETE = "issuebridge/providers/completeAuthorization"
PROMPT = "Browser didn't come back? Paste the code or the address it shows:"
INVALID_PARAMS = -32602


class StdinLines:
    """Lines from stdin, read on a daemon thread with os.read: the wait for the browser
    goes on meanwhile, and a read still blocked at exit holds no lock Python needs."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        self._started = False

    def _pump(self) -> None:
        buffer = b""
        fd = sys.stdin.fileno()
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                self._put(line.decode("utf-8", "replace"))
        if buffer:
            self._put(buffer.decode("utf-8", "replace"))
        self._put(None)

    def _put(self, line: str | None) -> None:
        self._loop.call_soon_threadsafe(self._queue.put_nowait, line)

    async def get(self) -> str | None:
        """The next line, None at end of input."""
        if not self._started:
            self._started = True
            threading.Thread(target=self._pump, daemon=True).start()
        return await self._queue.get()


class Authorization:
    def __init__(
        self,
        agent: AgentConnection,
        out: Output,
        instance: dict[str, Any],
        paste_while_waiting: bool,
    ) -> None:
        self.agent = agent
        self.out = out
        self.instance_id = str(instance["instanceId"])
        self.auth_method = instance.get("authMethod")
        self.redirect_uri = (instance.get("settings") or {}).get("redirectUri")
        self.paste_while_waiting = paste_while_waiting
        self.stdin = StdinLines()
        self.pasted: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._paste_task: asyncio.Task[None] | None = None

    async def show_document(self, params: Any) -> dict[str, bool]:
        url = str(params["uri"])
        # webbrowser.open can block (a terminal browser runs until it is closed).
        opened = await asyncio.to_thread(_open_browser, url)
        if not opened:
            self.out.say("No browser could be opened on this machine.")
            return {"success": False}
        self.out.say(f"Opened the authorize page in your browser:\n  {url}")
        self.out.say("Allow access there; waiting for Jira to send you back…")
        if self.paste_while_waiting:
            self._paste_task = asyncio.create_task(self._paste_until_done())
        return {"success": True}

    async def _paste_until_done(self) -> None:
        try:
            self.pasted.set_result(await self.read_and_complete(at_end=None))
        except BaseException as exc:  # the error goes to the waiting command
            if not self.pasted.done():
                self.pasted.set_exception(exc)

    async def read_and_complete(self, at_end: str | None) -> dict[str, Any]:
        """Prompt until a pasted code finishes the authorization. At end of input raise
        `at_end`, or (None) keep quiet and let the browser's callback finish it."""
        while True:
            self.out.prompt(PROMPT)
            line = await self.stdin.get()
            if line is None:
                self.out.say()
                if at_end is None:
                    await asyncio.Future()  # nothing to paste: wait for the callback
                raise CliError(at_end or "no code was pasted")
            if not line.strip():
                continue
            try:
                return dict(
                    await self.agent.request(
                        COMPLETE, {"instanceId": self.instance_id, "verifier": line.strip()}
                    )
                )
            except AgentCallError as exc:
                if exc.code != INVALID_PARAMS:
                    raise
                self.out.agent_error(exc)  # a typo: say why and ask again

    async def run(self, callback: str) -> dict[str, Any]:
        self.agent.on_request("window/showDocument", self.show_document)
        params = {"instanceId": self.instance_id, "callback": callback}
        waiting = asyncio.create_task(self.agent.request(AUTHORIZE, params))
        waiting.add_done_callback(_quiet)  # its error is read below, or not needed
        try:
            done, _ = await asyncio.wait(
                {waiting, self.pasted}, return_when=asyncio.FIRST_COMPLETED
            )
            if self.pasted in done:
                # The paste finished it; the agent answers the waiting request with the
                # same instance, which needs no waiting for.
                return self.pasted.result()
            result = dict(waiting.result())
            if self._paste_task is not None:
                self.out.say()  # the browser came back: end the prompt's line
        finally:
            if self._paste_task is not None:
                self._paste_task.cancel()
            if self.pasted.done():
                _quiet(self.pasted)
            self.pasted.cancel()
        if not result.get("authorizeUrl"):
            return result
        self.out.say(self._out_of_band_steps())
        self.out.say(f"  {result['authorizeUrl']}")
        return await self.read_and_complete(at_end="no code was pasted; authorize again")

    def _out_of_band_steps(self) -> str:
        if self.auth_method != "oauth2":
            return "Open this address in a browser, allow access, and copy the code Jira shows:"
        # Jira sends the browser to the registered redirect URL whatever happens; with
        # nothing listening there the page fails to load, but its address has the code.
        where = f" to {self.redirect_uri}" if self.redirect_uri else ""
        return (
            "Open this address in a browser and allow access. The browser is then sent"
            f"{where}, which may not load here: copy the whole address it shows (or the "
            "code in it) and paste it below:"
        )


def _open_browser(url: str) -> bool:
    try:
        return webbrowser.open(url)
    except Exception:  # a broken browser set-up is no browser
        return False


def _quiet(task: "asyncio.Future[Any]") -> None:
    if not task.cancelled():
        task.exception()


async def authorize(args: argparse.Namespace, agent: AgentConnection) -> int:
    out: Output = args.output
    instance = await choose_instance(agent, args.instance, out)
    paste_while_waiting = bool(args.paste) or sys.stdin.isatty()
    flow = Authorization(agent, out, instance, paste_while_waiting)
    result = await flow.run("oob" if args.oob else "loopback")
    if not out.result(result):
        render.instance_line(result["instance"])
    return 0
