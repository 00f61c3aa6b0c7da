"""The one-shot HTTP listener that receives the OAuth callback from the browser.

It listens on 127.0.0.1 only, on a random port, answers only the callback path
with the expected `oauth_token` (anything else gets a 404 or 400 and the wait
goes on), tells the browser it may close the tab, and closes after one use.

Any local process can reach the port, so nothing is accepted before the request
token is known, and then only that exact token (compared in constant time) with
a verifier: a stray or hostile request cannot end or spoil the authorization.
The path may carry a prefix (`/proxy/PORT/callback`): a remote editor's proxy
may keep the prefix of the external URI it maps to this listener.
"""

import asyncio
import contextlib
import hmac
import html
import logging
from urllib.parse import parse_qs, urlsplit

import attrs

log = logging.getLogger("issuebridge.auth")

CALLBACK_PATH = "/callback"
MAX_REQUEST_BYTES = 16 * 1024


@attrs.frozen
class CallbackResult:
    verifier: str


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>issuebridge</title>
<style>body{{font:16px system-ui,sans-serif;margin:4em auto;max-width:32em;color:#222}}</style>
</head><body><h1>{title}</h1><p>{text}</p></body></html>"""


class CallbackListener:
    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self._expected_token: str | None = None
        self._result: asyncio.Future[CallbackResult] = asyncio.get_running_loop().create_future()
        self.port = 0

    @classmethod
    async def start(cls) -> "CallbackListener":
        listener = cls()
        listener._server = await asyncio.start_server(listener._handle, "127.0.0.1", 0)
        listener.port = listener._server.sockets[0].getsockname()[1]
        return listener

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{CALLBACK_PATH}"

    def expect(self, oauth_token: str) -> None:
        self._expected_token = oauth_token

    @property
    def result(self) -> "asyncio.Future[CallbackResult]":
        """Resolved by the one accepted callback; cancelled when the listener closes."""
        return self._result

    async def wait(self, timeout_seconds: float) -> CallbackResult:
        return await asyncio.wait_for(asyncio.shield(self._result), timeout_seconds)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1)
            self._server = None
        if not self._result.done():
            self._result.cancel()

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
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if method != "GET" or not parts.path.endswith(CALLBACK_PATH):
            await self._answer(
                writer, 404, "Not found", "This address only receives issuebridge's authorization."
            )
            return
        verifier = query.get("oauth_verifier", "")
        if self._result.done() or not verifier or not self._is_expected(query.get("oauth_token")):
            log.warning("Ignored a callback that is not for the pending authorization")
            await self._answer(
                writer,
                400,
                "Not the expected authorization",
                "This link does not belong to the authorization issuebridge is waiting for. "
                "Start the authorization again from your editor.",
            )
            return
        if verifier == "denied":
            await self._answer(
                writer, 200, "Access denied", "You denied access. You may close this tab."
            )
        else:
            await self._answer(
                writer,
                200,
                "issuebridge is connected",
                "Authorization complete. You may close this tab and return to your editor.",
            )
        self._result.set_result(CallbackResult(verifier=verifier))

    def _is_expected(self, token: str | None) -> bool:
        expected = self._expected_token
        if expected is None or token is None:
            return False  # never before the request token is known
        return hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8"))

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
