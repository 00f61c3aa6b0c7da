"""Basic authentication with `email:api_token`, the token revealed per request only."""

import base64
from collections.abc import Generator

import httpx

from agent.secret import Secret


class ApiTokenAuth(httpx.Auth):
    def __init__(self, email: str, token: Secret) -> None:
        self._email = email
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        pair = f"{self._email}:{self._token.reveal()}".encode()
        request.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        yield request
