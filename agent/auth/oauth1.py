"""OAuth 1.0a request signing (RSA-SHA1) as an `httpx.Auth`: every request signed in one place.

oauthlib computes the signature; this class only feeds it the request as the
server will see it. JSON bodies are not part of an OAuth 1.0a signature (only
form bodies are), so they are left out of the signing.
"""

from collections.abc import Generator

import httpx
from oauthlib.oauth1 import SIGNATURE_RSA, Client

from agent.secret import Secret


class OAuth1Auth(httpx.Auth):
    def __init__(
        self,
        consumer_key: str,
        private_key: Secret,
        token: Secret | None = None,
        token_secret: Secret | None = None,
        callback_uri: str | None = None,
        verifier: str | None = None,
    ) -> None:
        self._consumer_key = consumer_key
        self._private_key = private_key
        self._token = token
        self._token_secret = token_secret
        self._callback_uri = callback_uri
        self._verifier = verifier

    def _client(self) -> Client:
        # A fresh client per request: a new nonce and timestamp every time.
        return Client(
            self._consumer_key,
            signature_method=SIGNATURE_RSA,  # always RSA-SHA1: Jira rejects HMAC for these links
            rsa_key=self._private_key.reveal(),
            resource_owner_key=self._token.reveal() if self._token else None,
            resource_owner_secret=self._token_secret.reveal() if self._token_secret else None,
            callback_uri=self._callback_uri,
            verifier=self._verifier,
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        form = request.headers.get("Content-Type", "").startswith(
            "application/x-www-form-urlencoded"
        )
        body = request.content.decode("utf-8") if form and request.content else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else None
        _uri, signed_headers, _body = self._client().sign(
            str(request.url), http_method=request.method, body=body, headers=headers
        )
        request.headers["Authorization"] = signed_headers["Authorization"]
        yield request
