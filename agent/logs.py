"""Logging: to stderr always, and to the editor as `window/logMessage`.

Nothing logs to stdout (that is the protocol stream). Every record passes a filter
that scrubs known secret values, behind the first line of defence that secrets are
`Secret` objects which never format as their value. pygls' own loggers are held at
WARNING: at INFO they print every message body, tokens included.
"""

import logging
import os
import re
import sys
from collections.abc import Callable

from agent.secret import scrub

LOGGER_NAME = "issuebridge"
log = logging.getLogger(LOGGER_NAME)

# OAuth values by name, in every spelling a log line may hold them: a query or form
# (`oauth_verifier=X`), a header (`oauth_token="X"`), a repr (`('oauth_verifier', 'X')`),
# JSON, or percent-encoded inside another URL. The verifier is no `Secret` (it comes
# from the browser), so the scrubber of known values cannot catch it.
_OAUTH_VALUE = re.compile(
    r"((?:oauth_(?:verifier|token_secret|token|signature)|code_verifier|client_secret"
    r"|refresh_token|access_token)(?:[=:,'\"]\s?|%[0-9A-Fa-f]{2}){1,6})"
    r"(?!<secret>)([^&\s'\",;)\]}%<>]+)"
)
# OAuth 2.0's authorization code, in a query (`?code=X&state=…`), plain or
# percent-encoded; only there: "code" alone is too common a word (JSON-RPC's error code).
_OAUTH2_CODE = re.compile(
    r"((?:[?&]|%3[Ff]|%26)code(?:=|%3[Dd]))(?!<secret>)([^&\s'\",;)\]}%<>#]+)"
)


def redact(text: str) -> str:
    """`text` without known secret values and without OAuth tokens, secrets, verifiers
    or codes."""
    return _OAUTH2_CODE.sub(r"\1<secret>", _OAUTH_VALUE.sub(r"\1<secret>", scrub(text)))


class ScrubbingFormatter(logging.Formatter):
    """Formats a record, then removes every known secret value from the text."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class EditorFormatter(ScrubbingFormatter):
    """For `window/logMessage`: the message only. Tracebacks and their file paths
    stay in the stderr log; the editor's output panel gets what a user can read."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(f"{record.name}: {record.getMessage()}")


class EditorLogHandler(logging.Handler):
    """Forwards log records to the editor; `send(level, text)` does the sending."""

    def __init__(self, send: Callable[[int, str], None], level: int = logging.INFO) -> None:
        super().__init__(level)
        self._send = send
        self._busy = False

    def emit(self, record: logging.LogRecord) -> None:
        if self._busy:  # a failure while sending must not log its way back in here
            return
        self._busy = True
        try:
            self._send(record.levelno, self.format(record))
        except Exception:
            pass
        finally:
            self._busy = False


def configure(level_name: str | None = None) -> None:
    """Send agent logs to stderr; `ISSUEBRIDGE_LOG` (debug, info, ...) sets the level."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().handlers[:] = [handler]
    set_level(level_name or os.environ.get("ISSUEBRIDGE_LOG", "info"))


def set_level(level_name: str) -> None:
    """The level of the whole log; `initializationOptions.logLevel` changes it later."""
    level = getattr(logging, level_name.upper(), logging.INFO)
    logging.getLogger().setLevel(level)
    logging.getLogger("pygls").setLevel(max(level, logging.WARNING))
    # httpx logs each request URL at INFO; query strings may carry oauth_token.
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))
    logging.getLogger("httpcore").setLevel(max(level, logging.WARNING))
    # oauthlib logs signature base strings (verifier and token included) at DEBUG.
    logging.getLogger("oauthlib").setLevel(max(level, logging.WARNING))


def attach_editor(send: Callable[[int, str], None]) -> EditorLogHandler:
    handler = EditorLogHandler(send)
    handler.setFormatter(EditorFormatter())
    logging.getLogger(LOGGER_NAME).addHandler(handler)
    return handler
