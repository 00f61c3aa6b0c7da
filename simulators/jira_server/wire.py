"""Jira's own response shapes, over the values every simulator shares
(`simulators.common.wire`, re-exported here for the Jira modules)."""

from __future__ import annotations

from simulators.common.wire import (
    HTML_TYPE,
    JSON_TYPE,
    TEXT_TYPE,
    Headers,
    Request,
    Response,
    html_response,
    json_response,
    no_content,
    redirect,
)

__all__ = [
    "HTML_TYPE",
    "JSON_TYPE",
    "NOT_AUTHENTICATED",
    "TEXT_TYPE",
    "Headers",
    "Request",
    "Response",
    "error_response",
    "html_response",
    "json_response",
    "no_content",
    "redirect",
]

NOT_AUTHENTICATED = "You are not authenticated. Authentication required to perform this operation."


def error_response(
    status: int, messages: list[str] | None = None, errors: dict[str, str] | None = None
) -> Response:
    return json_response(status, {"errorMessages": messages or [], "errors": errors or {}})
