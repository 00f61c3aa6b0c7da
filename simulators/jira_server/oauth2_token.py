"""``POST {base}/rest/oauth2/latest/token``: the two grants, checked in Jira's order.

Jira's token resource reads ``grant_type``, ``code``, ``redirect_uri``, ``client_id``,
``client_secret``, ``refresh_token`` and ``code_verifier`` as form parameters (never
HTTP Basic, never ``scope``). It checks the grant first and the client's secret last,
so a made-up code answers ``invalid_request`` whatever the secret, and a wrong secret
only shows once everything else is right. Answers and errors carry
``Cache-Control: no-store`` and ``Pragma: no-cache``.
"""

from __future__ import annotations

import hmac
from typing import Any

from .oauth2 import (
    VERIFIER_PATTERN,
    AuthorizationCode,
    OAuth2Error,
    OAuth2Provider,
    no_store,
    parameters,
    s256,
)
from .wire import Request, Response, json_response


def _missing(name: str) -> OAuth2Error:
    return OAuth2Error("invalid_request", f"Missing required parameter: {name}")


def _unauthenticated() -> OAuth2Error:
    return OAuth2Error("invalid_client", "Client authentication failed", 401)


class TokenEndpoint:
    def __init__(self, provider: OAuth2Provider) -> None:
        self.provider = provider

    def handle(self, request: Request) -> Response:
        if request.method != "POST":
            return Response(405, b"", None, [("Allow", "POST")])
        params = parameters(request)
        try:
            return no_store(json_response(200, self._grant(params)))
        except OAuth2Error as error:
            return error.response()

    def _grant(self, params: dict[str, str]) -> dict[str, Any]:
        grant_type = params.get("grant_type")
        if not grant_type:
            raise _missing("grant_type")
        if grant_type == "authorization_code":
            return self._authorization_code(params)
        if grant_type == "refresh_token":
            return self._refresh(params)
        raise OAuth2Error("unsupported_grant_type", "The grant type is not supported")

    @staticmethod
    def _require(params: dict[str, str], names: tuple[str, ...]) -> None:
        for name in names:
            if not params.get(name):
                raise _missing(name)

    def _check_secret(self, params: dict[str, str]) -> None:
        client = self.provider.client(params["client_id"])
        secret = params.get("client_secret") or ""
        if client is None or not hmac.compare_digest(client.client_secret, secret):
            raise _unauthenticated()

    # -- grant_type=authorization_code --------------------------------------------------

    def _authorization_code(self, params: dict[str, str]) -> dict[str, Any]:
        self._require(params, ("grant_type", "code", "redirect_uri", "client_id"))
        provider = self.provider
        with provider.lock:
            code = provider.codes.get(params["code"])
            if code is not None and code.used:
                # RFC 6749 10.5, and Jira: a code redeemed twice ends every token that
                # descends from it, refreshed ones included.
                for value in [v for v, t in provider.tokens.items() if t.code == code.code]:
                    del provider.tokens[value]
                raise OAuth2Error("invalid_grant", "The authorization code was already used")
            if code is None or provider.clock() >= code.expires:
                raise OAuth2Error("invalid_request", "The authorization code is invalid")
            if params["redirect_uri"] != code.redirect_uri:
                raise OAuth2Error("invalid_grant", "The redirect URI does not match")
            client = provider.client(params["client_id"])
            if client is None or client.redirect_uri != params["redirect_uri"]:
                raise _unauthenticated()
            if code.client_id != client.client_id:
                raise OAuth2Error("invalid_grant", "Client authentication failed")
            _check_verifier(code, params.get("code_verifier"))
            self._check_secret(params)
            # Redeemed only now: a refused attempt leaves the code for the right one.
            code.used = True
            return provider.issue_tokens(client.client_id, code.user_name, code.scope, code.code)

    # -- grant_type=refresh_token ---------------------------------------------------------

    def _refresh(self, params: dict[str, str]) -> dict[str, Any]:
        self._require(params, ("grant_type", "refresh_token", "client_id"))
        provider = self.provider
        settings = provider.settings
        with provider.lock:
            token = provider.tokens.get(params["refresh_token"])
            if (
                token is None
                or token.kind != "refresh"
                or token.revoked
                or token.client_id != params["client_id"]
                or provider.clock() >= token.expires
            ):
                raise OAuth2Error("invalid_grant", "The refresh token is invalid")
            client = provider.client(token.client_id)
            if settings.refresh_checks_redirect_uri and (
                client is None or params.get("redirect_uri") != client.redirect_uri
            ):
                raise OAuth2Error("invalid_grant", "The redirect URI does not match")
            self._check_secret(params)
            # A refresh ends the access token issued with this refresh token; with
            # rotation the refresh token goes too and a new one comes back.
            if token.partner is not None:
                provider.tokens.pop(token.partner, None)
            kept = None if settings.rotate_refresh_tokens else token
            if kept is None:
                del provider.tokens[token.value]
            return provider.issue_tokens(
                token.client_id, token.user_name, token.scope, refresh=kept, code=token.code
            )


def _check_verifier(code: AuthorizationCode, verifier: str | None) -> None:
    if code.challenge is None:
        return  # the plain authorization code flow, without PKCE
    if not verifier:
        raise OAuth2Error("invalid_grant", "The code verifier is missing")
    if not VERIFIER_PATTERN.fullmatch(verifier):
        raise OAuth2Error("invalid_grant", "The code verifier is invalid")
    expected = s256(verifier) if code.challenge_method == "S256" else verifier
    if not hmac.compare_digest(expected, code.challenge):
        raise OAuth2Error("invalid_grant", "The code verifier does not match the code challenge")
