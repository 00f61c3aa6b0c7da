"""Failures as values: a kind, a message a person can act on, a hint, and extra data.

Errors are made where the fault is understood (a provider knows what an
`oauth_problem` means) and turned into JSON-RPC errors in one place,
`agent.rpc.errors`. Messages never carry secrets: callers pass `Secret` values
around, and a `Secret` cannot be formatted into a string by accident.
"""

import contextlib
from collections.abc import Iterator
from typing import Any

from protocol.errors import ErrorKind
from protocol.types import ErrorAction


class AgentError(Exception):
    kind: ErrorKind = ErrorKind.INTERNAL_ERROR

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        action: ErrorAction | None = None,
        **data: Any,
    ) -> None:
        # `action` (data.action) is the machine-readable next step; `hint` says it in
        # neutral prose, naming no protocol method and no client's command.
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.data = {k: v for k, v in {"action": action, **data}.items() if v is not None}


class InvalidParams(AgentError):
    kind = ErrorKind.INVALID_PARAMS

    def __init__(
        self,
        field: str,
        message: str,
        *,
        hint: str | None = None,
        action: ErrorAction | None = None,
        field_errors: dict[str, str] | None = None,
    ) -> None:
        # `fieldErrors`: a form's message for each wrong field, by the field's name.
        super().__init__(message, hint=hint, action=action, field=field, fieldErrors=field_errors)
        self.field = field


class AuthenticationFailed(AgentError):
    kind = ErrorKind.AUTHENTICATION_FAILED


class AuthorizationExpired(AuthenticationFailed):
    """The server will not renew a browser authorization (a refused OAuth 2.0 refresh):
    the instance needs authorizing again (state needsAuthorization, not error)."""


class NotConnected(AgentError):
    kind = ErrorKind.NOT_CONNECTED


class Unreachable(AgentError):
    """The server could not be reached. `offline`: the failure is one that passes by
    itself (no answer, a connection refused or cut, a host name that resolves only on
    the VPN), so a result kept from before may stand in; not a TLS failure or a wrong
    scheme, which someone has to fix. By default: every `retry` failure that is not TLS.
    `transient`: a connection refused or cut, which an idempotent request may be sent
    again for (agent.retry); never a TLS, DNS or timeout failure."""

    kind = ErrorKind.UNREACHABLE

    def __init__(
        self,
        message: str,
        *,
        offline: bool | None = None,
        transient: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.transient = transient
        self.offline = (
            offline
            if offline is not None
            else not self.data.get("tls") and self.data.get("action") == "retry"
        )


class RemoteError(AgentError):
    kind = ErrorKind.REMOTE_ERROR


class UnsupportedServer(AgentError):
    kind = ErrorKind.UNSUPPORTED_SERVER


class RateLimited(AgentError):
    kind = ErrorKind.RATE_LIMITED


class StorageError(AgentError):
    """A storage file (configuration, secrets, team configuration) that is damaged or
    unsafe: it is kept as it is, and `path` names it for the person to repair."""

    kind = ErrorKind.STORAGE_ERROR

    def __init__(self, message: str, path: object, *, hint: str) -> None:
        super().__init__(message, hint=hint, action="repairStorage", path=str(path))


@contextlib.contextmanager
def about_instance(instance_id: str) -> Iterator[None]:
    """Give `notConnected` errors raised inside the `instanceId` the contract promises."""
    try:
        yield
    except NotConnected as exc:
        exc.data.setdefault("instanceId", instance_id)
        raise
