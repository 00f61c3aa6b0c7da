"""A progress bar on stderr, fed by the agent's `$/progress` notifications."""

import sys
from typing import Any, TextIO


class ProgressBar:
    def __init__(self, token: str, out: TextIO = sys.stderr, width: int = 30) -> None:
        self.token = token
        self._out = out
        self._width = width
        self._live = out.isatty()
        self._drawn = False

    def on_progress(self, params: Any) -> None:
        if not isinstance(params, dict) or params.get("token") != self.token:
            return
        value = params.get("value") or {}
        kind = value.get("kind")
        if kind == "end":
            self.finish()
            return
        percent = value.get("percentage")
        message = value.get("message") or value.get("title") or ""
        if self._live and isinstance(percent, int):
            filled = self._width * percent // 100
            bar = "#" * filled + "-" * (self._width - filled)
            self._out.write(f"\r[{bar}] {percent:3d}% {message}\x1b[K")
            self._out.flush()
            self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self._out.write("\r\x1b[K")
            self._out.flush()
            self._drawn = False
