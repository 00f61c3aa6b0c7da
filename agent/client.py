"""What the agent can ask of the editor: notifications, log lines, opening a URL,
and progress. Services talk to this, never to pygls directly."""

import asyncio
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final
from urllib.parse import urlsplit

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from protocol.converter import unstructure
from protocol.methods import WINDOW_EXTERNAL_URI
from protocol.types import ExternalUriParams

log = logging.getLogger("issuebridge.client")

# How long to wait for the editor to map a URI before using the local one.
EXTERNAL_URI_TIMEOUT_SECONDS: Final = 5.0
MAX_URI_LENGTH: Final = 2048

_LOG_LEVELS = {
    logging.ERROR: lsp.MessageType.Error,
    logging.WARNING: lsp.MessageType.Warning,
    logging.INFO: lsp.MessageType.Info,
}


class EditorClient:
    def __init__(self, server: LanguageServer) -> None:
        self._server = server

    def _capabilities(self) -> lsp.ClientCapabilities | None:
        return getattr(self._server.protocol, "client_capabilities", None)

    def notify(self, method: str, params: Any) -> None:
        self._server.protocol.notify(method, unstructure(params))

    def log_message(self, level: int, text: str) -> None:
        message_type = next(
            (t for lvl, t in _LOG_LEVELS.items() if level >= lvl), lsp.MessageType.Log
        )
        self._server.protocol.notify(
            lsp.WINDOW_LOG_MESSAGE, {"type": int(message_type), "message": text}
        )

    def show_warning(self, text: str) -> None:
        self._show(lsp.MessageType.Warning, text)

    def show_error(self, text: str) -> None:
        """Safe from any thread (store code reports from worker threads)."""
        self._show(lsp.MessageType.Error, text)

    def _show(self, kind: lsp.MessageType, text: str) -> None:
        self._server.protocol.notify(lsp.WINDOW_SHOW_MESSAGE, {"type": int(kind), "message": text})

    @property
    def can_show_document(self) -> bool:
        caps = self._capabilities()
        window = caps.window if caps else None
        return bool(window and window.show_document and window.show_document.support)

    @property
    def can_map_external_uri(self) -> bool:
        """The client declared `capabilities.experimental.issuebridge.externalUri`."""
        caps = self._capabilities()
        experimental = caps.experimental if caps else None
        ours = experimental.get("issuebridge") if isinstance(experimental, dict) else None
        return isinstance(ours, dict) and ours.get("externalUri") is True

    async def external_uri(self, uri: str) -> str | None:
        """The address of local `uri` that the user's browser can reach, as the editor
        maps it (`issuebridge/window/externalUri`); None if it cannot or will not."""
        params = unstructure(ExternalUriParams(uri=uri))
        protocol = self._server.protocol
        msg_id = f"externalUri-{uuid.uuid4()}"
        try:
            result = await asyncio.wait_for(
                asyncio.wrap_future(
                    protocol.send_request(WINDOW_EXTERNAL_URI, params, msg_id=msg_id)
                ),
                EXTERNAL_URI_TIMEOUT_SECONDS,
            )
        except TimeoutError:
            log.info("The editor did not map the callback address in time; using %s", uri)
            return None
        except Exception as exc:  # the editor answered with an error
            log.info("The editor could not map the callback address (%s); using %s", exc, uri)
            return None
        finally:
            # A late answer must find no (cancelled) future waiting for it.
            protocol._request_futures.pop(msg_id, None)
            protocol._result_types.pop(msg_id, None)
        # pygls hands over an untyped result as a namedtuple-like `Object`.
        mapped = result.get("uri") if isinstance(result, dict) else getattr(result, "uri", None)
        if not _is_web_url(mapped):
            log.warning("The editor mapped the callback address to something unusable")
            return None
        assert isinstance(mapped, str)
        return mapped

    async def show_document(self, url: str) -> bool:
        """Ask the editor to open `url` in the user's browser; True if it did."""
        try:
            result = await self._server.window_show_document_async(
                lsp.ShowDocumentParams(uri=url, external=True)
            )
        except Exception as exc:  # the editor answered with an error: it did not open it
            log.info("window/showDocument failed: %s", exc)
            return False
        return bool(getattr(result, "success", False))

    async def choose(self, message: str, choices: list[str]) -> str | None:
        """Ask the user to pick one of `choices` (`window/showMessageRequest`, one
        button each); the title picked, or None when dismissed or refused."""
        params = lsp.ShowMessageRequestParams(
            type=lsp.MessageType.Info,
            message=message,
            actions=[lsp.MessageActionItem(title=choice) for choice in choices],
        )
        try:
            picked = await self._server.window_show_message_request_async(params)
        except Exception as exc:  # the editor answered with an error: nothing was picked
            log.info("window/showMessageRequest failed: %s", exc)
            return None
        title = getattr(picked, "title", None)
        return title if isinstance(title, str) and title in choices else None

    async def apply_edit(self, label: str, edit: lsp.WorkspaceEdit) -> bool:
        """Ask the editor to apply `edit` (`workspace/applyEdit`); True if it did."""
        try:
            result = await self._server.workspace_apply_edit_async(
                lsp.ApplyWorkspaceEditParams(edit=edit, label=label)
            )
        except Exception as exc:  # the editor answered with an error: nothing changed
            log.info("workspace/applyEdit failed: %s", exc)
            return False
        return bool(getattr(result, "applied", False))

    @property
    def edits_versioned_documents(self) -> bool:
        """The client takes `documentChanges` (edits checked against a version)."""
        caps = self._capabilities()
        workspace = caps.workspace if caps else None
        edit = workspace.workspace_edit if workspace else None
        return bool(edit and edit.document_changes)

    @contextmanager
    def progress(self, token: lsp.ProgressToken | None, title: str) -> Iterator["Progress"]:
        """Work-done progress under the client's token; silent when there is none."""
        reporter = Progress(self._server, token, title)
        reporter.begin()
        try:
            yield reporter
        finally:
            reporter.end()


def _is_web_url(value: object) -> bool:
    if not isinstance(value, str) or len(value) > MAX_URI_LENGTH:
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class Progress:
    def __init__(self, server: LanguageServer, token: lsp.ProgressToken | None, title: str) -> None:
        self._server = server
        self._token = token
        self._title = title
        self._last_percent = -1

    def begin(self) -> None:
        if self._token is not None:
            self._server.work_done_progress.begin(
                self._token,
                lsp.WorkDoneProgressBegin(title=self._title, cancellable=True, percentage=0),
            )

    def report(self, message: str, percentage: int | None = None) -> None:
        if self._token is None or percentage == self._last_percent:
            return
        self._last_percent = percentage if percentage is not None else self._last_percent
        self._server.work_done_progress.report(
            self._token, lsp.WorkDoneProgressReport(message=message, percentage=percentage)
        )

    def end(self, message: str | None = None) -> None:
        if self._token is not None:
            self._server.work_done_progress.end(
                self._token, lsp.WorkDoneProgressEnd(message=message)
            )
            self._server.work_done_progress.tokens.pop(self._token, None)
