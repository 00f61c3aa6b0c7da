"""Request/response values shared by every simulator, independent of the HTTP server.

Handlers work on these plain values instead of on ``BaseHTTPRequestHandler`` so that
they can be unit-tested and so that a signature check sees exactly the bytes and the
URL that arrived on the wire.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

JSON_TYPE = "application/json;charset=UTF-8"
HTML_TYPE = "text/html;charset=UTF-8"
TEXT_TYPE = "text/plain;charset=UTF-8"


class Headers(Mapping[str, str]):
    """Case-insensitive header map (HTTP header names are case-insensitive)."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in items:
            self._items[name.lower()] = (name, value)

    def __getitem__(self, key: str) -> str:
        return self._items[key.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


@dataclass
class Request:
    """One HTTP request as the simulator received it."""

    method: str
    # Path below the context path, not percent-decoded, without the query.
    path: str
    # Full path on the wire (context path included), without the query.
    full_path: str
    query_string: str
    headers: Headers
    body: bytes
    scheme: str
    # The Host header as sent (what the server would use to rebuild the request URL).
    host: str
    base_url: str

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(self.query_string, keep_blank_values=True)

    def arg(self, name: str) -> str | None:
        for key, value in self.query:
            if key == name:
                return value
        return None

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def form(self) -> list[tuple[str, str]]:
        if self.content_type != "application/x-www-form-urlencoded":
            return []
        return parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    def form_arg(self, name: str) -> str | None:
        for key, value in self.form():
            if key == name:
                return value
        return None

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def cookie(self, name: str) -> str | None:
        raw = self.headers.get("Cookie", "")
        for part in raw.split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return None


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    # Set by fault injection: close the socket without writing anything.
    drop: bool = False

    def header(self, name: str, value: str) -> Response:
        self.headers.append((name, value))
        return self


def json_response(status: int, payload: Any, content_type: str = JSON_TYPE) -> Response:
    # Trackers serialise non-ASCII characters as raw UTF-8, not \u escapes; keeping
    # that matters for clients that frame or measure bodies in bytes.
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, content_type)


def html_response(status: int, html: str) -> Response:
    return Response(status, html.encode("utf-8"), HTML_TYPE)


def redirect(location: str, status: int = 302) -> Response:
    return Response(status, b"", TEXT_TYPE, [("Location", location)])


def no_content() -> Response:
    return Response(204)
