"""Error codes and kinds of the editor contract.

Each failure a client can see is one row here: the JSON-RPC code and the
`data.kind` string that travels with it. The agent raises errors carrying a
`ErrorKind`; the code is looked up here, so the two can never disagree.
"""

from enum import IntEnum, StrEnum


class ErrorCode(IntEnum):
    PARSE_ERROR = -32700
    INVALID_REQUEST = -32600
    METHOD_NOT_FOUND = -32601
    INVALID_PARAMS = -32602
    INTERNAL_ERROR = -32603
    REQUEST_CANCELLED = -32800
    AUTHENTICATION_FAILED = -32001
    NOT_CONNECTED = -32002
    UNREACHABLE = -32003
    REMOTE_ERROR = -32004
    UNSUPPORTED_SERVER = -32005
    RATE_LIMITED = -32006
    STORAGE_ERROR = -32007


class ErrorKind(StrEnum):
    PARSE_ERROR = "parseError"
    INVALID_REQUEST = "invalidRequest"
    METHOD_NOT_FOUND = "methodNotFound"
    INVALID_PARAMS = "invalidParams"
    INTERNAL_ERROR = "internalError"
    CANCELLED = "cancelled"
    AUTHENTICATION_FAILED = "authenticationFailed"
    NOT_CONNECTED = "notConnected"
    UNREACHABLE = "unreachable"
    REMOTE_ERROR = "remoteError"
    UNSUPPORTED_SERVER = "unsupportedServer"
    RATE_LIMITED = "rateLimited"
    STORAGE_ERROR = "storageError"

    @property
    def code(self) -> ErrorCode:
        return _CODE_OF_KIND[self]


_CODE_OF_KIND: dict[ErrorKind, ErrorCode] = {
    ErrorKind.PARSE_ERROR: ErrorCode.PARSE_ERROR,
    ErrorKind.INVALID_REQUEST: ErrorCode.INVALID_REQUEST,
    ErrorKind.METHOD_NOT_FOUND: ErrorCode.METHOD_NOT_FOUND,
    ErrorKind.INVALID_PARAMS: ErrorCode.INVALID_PARAMS,
    ErrorKind.INTERNAL_ERROR: ErrorCode.INTERNAL_ERROR,
    ErrorKind.CANCELLED: ErrorCode.REQUEST_CANCELLED,
    ErrorKind.AUTHENTICATION_FAILED: ErrorCode.AUTHENTICATION_FAILED,
    ErrorKind.NOT_CONNECTED: ErrorCode.NOT_CONNECTED,
    ErrorKind.UNREACHABLE: ErrorCode.UNREACHABLE,
    ErrorKind.REMOTE_ERROR: ErrorCode.REMOTE_ERROR,
    ErrorKind.UNSUPPORTED_SERVER: ErrorCode.UNSUPPORTED_SERVER,
    ErrorKind.RATE_LIMITED: ErrorCode.RATE_LIMITED,
    ErrorKind.STORAGE_ERROR: ErrorCode.STORAGE_ERROR,
}
