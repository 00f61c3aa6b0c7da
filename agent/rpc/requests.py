"""Bind a typed service function to a contract method.

The handler pygls calls receives the params as plain JSON data, structures them
into the method's params type (a failure names the field, answered `-32602`),
awaits the service, and unstructures its result for the wire.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from pygls.lsp.server import LanguageServer

from protocol.converter import structure, unstructure
from protocol.methods import REQUESTS

Service = Callable[[Any], Awaitable[Any]]


def bind(server: LanguageServer, method: str, service: Service) -> None:
    params_type, _result_type = REQUESTS[method]

    async def handle(ls: LanguageServer, raw_params: Any) -> Any:
        params: Any = structure(raw_params, params_type)
        return unstructure(await service(params))

    handle.__name__ = f"handle_{method.rsplit('/', 1)[-1]}"
    server.feature(method)(handle)
