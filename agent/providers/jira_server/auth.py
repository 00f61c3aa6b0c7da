"""How requests prove who they are: one `httpx.Auth` per method, signing every request."""

from collections.abc import Generator

import httpx

from agent.secret import Secret


class BearerAuth(httpx.Auth):
    """A personal access token (Jira 8.14+)."""

    def __init__(self, token: Secret) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token.reveal()}"
        yield request
