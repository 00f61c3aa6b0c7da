"""pygls' LanguageServerProtocol, with the traps of pygls 2.1 closed.

What pygls does on its own, and what this class does instead:

- A request whose params fail to structure (or that has no `params`) raises inside
  the JSON decoder and is never answered. Here custom methods receive their params
  as plain JSON data (the typed layer structures them and names the bad field),
  and a standard LSP message that fails to structure is answered `-32602`.
- Unexpected exceptions are answered `-32603` with the traceback in `data`. Here
  the traceback goes to stderr and the client gets a clean message.
- Every message body is logged at INFO. Here nothing logs a body.
- `Content-Length` counts characters, not bytes, so any non-ASCII text breaks the
  framing. Here the body is encoded first and its bytes are counted.
- Requests after `shutdown` are dropped silently. Here they get `-32600`.
- `exit` raises SystemExit inside a callback, where it is swallowed and the exit
  status lost. Here `exit` records the status and stops the serving loop.
- `textDocument/didOpen|didChange|didClose` update pygls' workspace copy of each
  document, which rebuilds the whole text at every change. Here they only call the
  server's handlers: the agent keeps documents itself (agent.documents), changing
  only the lines an edit touches.
"""

import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import attrs
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcMethodNotFound
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    MsgId,
)

from agent.rpc import errors
from agent.rpc.encode import batches, encode
from protocol.converter import failure_path
from protocol.errors import ErrorKind

log = logging.getLogger("issuebridge.rpc")


@attrs.define
class RejectedMessage:
    """A message that could not be turned into a request; answered with `error`."""

    id: MsgId | None
    error: dict[str, Any]
    jsonrpc: str = "2.0"


def _valid_id(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


class AgentProtocol(LanguageServerProtocol):
    exit_code: int | None = None
    on_exit: Callable[[], None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._send_lock = threading.Lock()
        self._methods_in_flight: dict[MsgId, str] = {}

    # --- incoming ---------------------------------------------------------------

    def structure_message(self, data: Any) -> Any:
        """Turn one decoded JSON message into a pygls message or a RejectedMessage."""
        if not isinstance(data, dict):
            return RejectedMessage(None, _invalid_request("a message must be a JSON object"))
        msg_id = data.get("id")
        has_id = "id" in data
        if data.get("jsonrpc") != "2.0":
            return RejectedMessage(
                msg_id if _valid_id(msg_id) else None,
                _invalid_request('"jsonrpc" must be "2.0"'),
            )
        if has_id and not _valid_id(msg_id):
            return RejectedMessage(None, _invalid_request('"id" must be a string or an integer'))
        method = data.get("method")
        if "method" in data and not isinstance(method, str):
            return RejectedMessage(msg_id, _invalid_request('"method" must be a string'))
        if method is None:
            if not has_id:
                return RejectedMessage(None, _invalid_request("a message needs a method or an id"))
            return self._structure_response(data)

        if method == lsp.CANCEL_REQUEST:
            return _cancel_notification(data.get("params"))
        # Methods outside LSP (all of the contract's) have no lsprotocol type: their
        # params stay plain JSON, and `agent.rpc.requests` structures them.
        message_type = self.get_message_type(method)
        if message_type is None:
            params = data.get("params")
            if has_id:
                return JsonRPCRequestMessage(
                    id=data["id"], method=method, jsonrpc="2.0", params=params
                )
            return JsonRPCNotification(method=method, jsonrpc="2.0", params=params)
        try:
            return self._converter.structure(data, message_type)
        except Exception as exc:
            field, problem = failure_path(exc)
            field = field.removeprefix("params.") if field != "params" else field
            log.warning("Malformed %s: %s %s", method, field, problem)
            return RejectedMessage(
                msg_id if has_id else None, errors.invalid_params(field, problem)
            )

    def _structure_response(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except Exception:
            log.warning("Ignoring a malformed response to request %r", data.get("id"))
            return None

    def handle_message(self, message: Any) -> None:
        if message is None:
            return
        if isinstance(message, RejectedMessage):
            # A notification is never answered, even when it is malformed.
            if message.id is not None or message.error["code"] != -32602:
                self._send_error(message.id, message.error)
            return
        method = getattr(message, "method", None)
        if self._shutdown and method != lsp.EXIT:
            if hasattr(message, "id") and method is not None:
                self._send_error(
                    message.id,
                    errors.error_object(
                        ErrorKind.INVALID_REQUEST,
                        "The agent is shutting down and takes no more requests.",
                    ),
                )
            return
        super().handle_message(message)

    def _handle_request(self, msg_id: MsgId, method_name: str, params: Any) -> None:
        try:
            handler = self._get_handler(method_name)
        except JsonRpcMethodNotFound:
            self._send_error(
                msg_id,
                errors.error_object(
                    ErrorKind.METHOD_NOT_FOUND, f"The agent has no method {method_name!r}."
                ),
            )
            return
        self._ctx_msg_id.set(msg_id)
        self._methods_in_flight[msg_id] = method_name
        try:
            self._execute_handler(
                msg_id=msg_id,
                handler=handler,
                args=(params,),
                callback=lambda future: self._send_handler_result(future, msg_id=msg_id),
            )
        except Exception as exc:
            self._methods_in_flight.pop(msg_id, None)
            self._send_error(msg_id, errors.from_exception(exc, method_name))

    def _handle_notification(self, method_name: str, params: Any) -> None:
        if method_name == lsp.CANCEL_REQUEST:
            target = getattr(params, "id", None)
            # Only requests of the client in flight; a late cancel (the answer crossed
            # it) or one naming the agent's own request to the client is no event.
            if target in self._methods_in_flight:
                self._handle_cancel_notification(target)
            else:
                log.debug("Ignoring $/cancelRequest for %r: no such request in flight", target)
            return
        try:
            handler = self._get_handler(method_name)
        except JsonRpcMethodNotFound:
            log.debug("Ignoring notification %s", method_name)
            return
        try:
            self._execute_handler(
                msg_id=f"notification:{method_name}",
                handler=handler,
                args=(params,),
                callback=self._check_handler_result,
            )
        except Exception:
            log.exception("Notification %s failed", method_name)

    def _check_handler_result(self, future: Future[Any]) -> None:
        if not future.cancelled() and (exc := future.exception()) is not None:
            log.error("Notification handler failed", exc_info=(type(exc), exc, exc.__traceback__))

    # --- outgoing ---------------------------------------------------------------

    def _send_handler_result(self, future: Future[Any], *, msg_id: MsgId) -> None:
        self._request_futures.pop(msg_id, None)
        method = self._methods_in_flight.pop(msg_id, "a request")
        if future.cancelled():
            self._send_error(msg_id, errors.cancelled())
            return
        exc = future.exception()
        if exc is not None:
            self._send_error(msg_id, errors.from_exception(exc, method))
            return
        self._send_response(msg_id, result=future.result())

    def _send_response(
        self, msg_id: MsgId, result: Any | None = None, error: Any | None = None
    ) -> None:
        # Results of the contract's methods are plain JSON already: wrapping them in
        # pygls' attrs message made cattrs walk every issue once more for nothing.
        self._result_types.pop(msg_id, None)
        if error is not None:
            self._send_data(
                {"jsonrpc": "2.0", "id": msg_id, "error": self._converter.unstructure(error)}
            )
            return
        if attrs.has(type(result)):
            result = self._converter.unstructure(result)
        self._send_data({"jsonrpc": "2.0", "id": msg_id, "result": result})

    def notify(self, method: str, params: Any | None = None) -> None:
        # pygls wraps known LSP notifications in their lsprotocol class, which then
        # fails to encode plain-dict params; send plain JSON, unstructuring attrs.
        if attrs.has(type(params)):
            params = self._converter.unstructure(params)
        self._send_data({"jsonrpc": "2.0", "method": method, "params": params})

    def _send_error(self, msg_id: MsgId | None, error: dict[str, Any]) -> None:
        self._send_data({"jsonrpc": "2.0", "id": msg_id, "error": error})

    def _send_data(self, data: Any) -> None:
        if not data or self.writer is None:
            return
        try:
            pieces = encode(data, self._serialize_message)
        except (TypeError, ValueError):
            # A result that cannot be encoded (never a Secret's value: it refuses).
            log.exception("Could not encode an outgoing message")
            msg_id = data.get("id") if isinstance(data, dict) else getattr(data, "id", None)
            if msg_id is not None:
                error = errors.error_object(
                    ErrorKind.INTERNAL_ERROR, "The agent built an answer it could not encode."
                )
                pieces = [json.dumps({"jsonrpc": "2.0", "id": msg_id, "error": error}).encode()]
            else:
                return
        header = b"Content-Length: %d\r\n\r\n" % sum(map(len, pieces))
        with self._send_lock:
            # The pieces in batches: a large answer never exists as one more whole copy.
            self.writer.write(header)
            for batch in batches(pieces):
                self.writer.write(batch)

    # --- lifecycle --------------------------------------------------------------

    # pygls declares these as generators; plain functions are run the same way.
    @lsp_method(lsp.EXIT)
    def lsp_exit(self, *args: Any) -> None:  # type: ignore[override]
        self.exit_code = 0 if self._shutdown else 1
        if self.on_exit is not None:
            self.on_exit()

    @lsp_method(lsp.SHUTDOWN)
    def lsp_shutdown(self, *args: Any) -> None:  # type: ignore[override]
        current = self.msg_id
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != current and not future.done():
                future.cancel()
        self._shutdown = True

    # --- text documents: the agent's store only (agent.documents) ---------------

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: lsp.DidOpenTextDocumentParams) -> Any:
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams) -> Any:
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: lsp.DidCloseTextDocumentParams) -> Any:
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


def _cancel_notification(params: Any) -> JsonRPCNotification | None:
    """`$/cancelRequest` names a request by its id; any other id cannot match a request,
    so the notification is dropped (notifications are never answered)."""
    target = params.get("id") if isinstance(params, dict) else None
    if not isinstance(target, int | str) or isinstance(target, bool):
        log.debug("Ignoring a $/cancelRequest without a usable id")
        return None
    return JsonRPCNotification(
        method=lsp.CANCEL_REQUEST, jsonrpc="2.0", params=lsp.CancelParams(id=target)
    )


def _invalid_request(problem: str) -> dict[str, Any]:
    return errors.error_object(ErrorKind.INVALID_REQUEST, f"Invalid request: {problem}.")
