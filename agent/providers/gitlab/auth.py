"""A GitLab personal (or project, group) access token, sent as `PRIVATE-TOKEN`."""

from collections.abc import Generator

import httpx

from agent.secret import Secret


class PrivateTokenAuth(httpx.Auth):
    def __init__(self, token: Secret) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["PRIVATE-TOKEN"] = self._token.reveal()
        yield request
