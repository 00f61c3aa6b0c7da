"""The token on every request, as GitHub documents it: `Authorization: Bearer <token>`
(fine-grained and classic tokens alike)."""

from collections.abc import Generator

import httpx

from agent.secret import Secret


class TokenAuth(httpx.Auth):
    def __init__(self, token: Secret) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token.reveal()}"
        yield request
