"""The one-shot HTTP listener that receives an authorization's callback from the browser.

It listens on 127.0.0.1 only, on the port and path the provider asks for (any free
port for OAuth 1.0a, the registered redirect URI's for OAuth 2.0), answers only the
callback path with the expected identifying value (anything else gets a 404 or 400
and the wait goes on), tells the browser it may close the tab, and closes after
one use. What the callback carries is read by `agent.auth.callback`.

For OAuth 1.0a the path may carry a prefix (`/proxy/PORT/callback`): a remote
editor's proxy may keep the prefix of the external URI it maps to this listener. A
registered redirect URI is matched exactly: the server sends the browser nowhere else.
"""

import asyncio
import contextlib
import errno
import html
import logging
from urllib.parse import urlsplit

import attrs

from agent.auth import callback
from agent.auth.callback import Callback, CallbackFormat
from agent.secret import Secret

log = logging.getLogger("issuebridge.auth")

CALLBACK_PATH = "/callback"
MAX_REQUEST_BYTES = 16 * 1024


@attrs.frozen
class ListenAt:
    """Where the browser comes back to. `registered`: the redirect URI registered with
    the server (its port and path fixed, never mapped to another address)."""

    port: int = 0  # 0: any free port
    path: str = CALLBACK_PATH
    registered: str | None = None


class PortInUse(Exception):
    def __init__(self, port: int) -> None:
        super().__init__(f"port {port} is in use")
        self.port = port


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>issuebridge</title>
<style>body{{font:16px system-ui,sans-serif;margin:4em auto;max-width:32em;color:#222}}</style>
</head><body><h1>{title}</h1><p>{text}</p></body></html>"""


class CallbackListener:
    def __init__(self, where: ListenAt) -> None:
        self._where = where
        self._form: CallbackFormat = callback.OAUTH1
        self._server: asyncio.Server | None = None
        self._expected: Secret | None = None
        self._result: asyncio.Future[Callback] = asyncio.get_running_loop().create_future()
        self.port = where.port

    @classmethod
    async def start(cls, where: ListenAt = ListenAt()) -> "CallbackListener":
        listener = cls(where)
        try:
            listener._server = await asyncio.start_server(listener._handle, "127.0.0.1", where.port)
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise PortInUse(where.port) from None
            raise
        listener.port = listener._server.sockets[0].getsockname()[1]
        return listener

    @property
    def url(self) -> str:
        return self._where.registered or f"http://127.0.0.1:{self.port}{self._where.path}"

    def expect(self, value: Secret | None, form: CallbackFormat) -> None:
        """The identifying value the callback must carry (request token, or state), and
        the parameters it comes in."""
        self._expected, self._form = value, form

    @property
    def result(self) -> "asyncio.Future[Callback]":
        """Resolved by the one accepted callback; cancelled when the listener closes."""
        return self._result

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1)
            self._server = None
        if not self._result.done():
            self._result.cancel()

    def _on_path(self, path: str) -> bool:
        if self._where.registered is not None:
            return path == self._where.path
        return path.endswith(self._where.path)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            writer.close()
            return
        if len(head) > MAX_REQUEST_BYTES:
            await self._answer(writer, 431, "Request too large", "")
            return
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        method, _, rest = request_line.partition(" ")
        target = rest.rpartition(" ")[0] or rest
        parts = urlsplit(target)
        if method != "GET" or not self._on_path(parts.path):
            await self._answer(
                writer, 404, "Not found", "This address only receives issuebridge's authorization."
            )
            return
        found = callback.read(callback.query_of(parts.query), self._form, self._expected)
        if self._result.done() or found is None:
            log.warning("Ignored a callback that is not for the pending authorization")
            await self._answer(
                writer,
                400,
                "Not the expected authorization",
                "This link does not belong to the authorization issuebridge is waiting for. "
                "Start the authorization again from your editor.",
            )
            return
        if found.error == "access_denied" or found.value == "denied":  # OAuth 2.0, 1.0a
            await self._answer(
                writer, 200, "Access denied", "You denied access. You may close this tab."
            )
        elif found.error:
            await self._answer(
                writer,
                200,
                "The authorization failed",
                "The server did not authorize issuebridge; your editor says why. "
                "You may close this tab.",
            )
        else:
            await self._answer(
                writer,
                200,
                "issuebridge is connected",
                "Authorization complete. You may close this tab and return to your editor.",
            )
        self._result.set_result(found)

    async def _answer(
        self, writer: asyncio.StreamWriter, status: int, title: str, text: str
    ) -> None:
        body = _PAGE.format(title=html.escape(title), text=html.escape(text)).encode("utf-8")
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 431: "Too Large"}[status]
        writer.write(
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\n"
            "Connection: close\r\n\r\n".encode()
            + body
        )
        with contextlib.suppress(Exception):
            await writer.drain()
            writer.close()
