"""Every exception becomes a contract error here, and only here."""

import asyncio
import logging
import math
from typing import Any

from pygls.exceptions import JsonRpcException

from agent.errors import AgentError
from protocol.converter import ParamsError
from protocol.errors import ErrorCode, ErrorKind

log = logging.getLogger("issuebridge.rpc")

_KIND_OF_CODE = {kind.code: kind for kind in ErrorKind}


def error_object(
    kind: ErrorKind, message: str, *, hint: str | None = None, **data: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": kind.value}
    if hint:
        body["hint"] = hint
    body.update({k: v for k, v in _finite(data).items() if v is not None})
    return {"code": int(kind.code), "message": message, "data": body}


def _finite(value: Any) -> Any:
    """JSON has no Infinity or NaN (JSON.parse rejects them): such numbers are dropped."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def invalid_params(field: str, problem: str) -> dict[str, Any]:
    label = field or "params"
    return error_object(ErrorKind.INVALID_PARAMS, f"Invalid `{label}`: {problem}.", field=label)


def cancelled() -> dict[str, Any]:
    return error_object(ErrorKind.CANCELLED, "The request was cancelled.")


def from_exception(exc: BaseException, method: str) -> dict[str, Any]:
    """The JSON-RPC error for `exc`. Unknown exceptions are logged, never sent."""
    if isinstance(exc, AgentError):
        return error_object(exc.kind, exc.message, hint=exc.hint, **exc.data)
    if isinstance(exc, ParamsError):
        return invalid_params(exc.field, exc.problem)
    if isinstance(exc, asyncio.CancelledError):
        return cancelled()
    if isinstance(exc, JsonRpcException) and exc.code in _KIND_OF_CODE:
        # pygls' own errors: keep the code, drop its data (it may hold a traceback).
        kind = _KIND_OF_CODE[ErrorCode(exc.code)]
        return error_object(kind, exc.message or kind.value)
    log.error("Unexpected failure in %s", method, exc_info=(type(exc), exc, exc.__traceback__))
    return error_object(
        ErrorKind.INTERNAL_ERROR,
        f"The agent failed unexpectedly while handling {method}.",
        hint="This is a bug in issuebridge; the agent's log (stderr) has the details.",
    )
