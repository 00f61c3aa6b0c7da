"""Jira's side of OAuth 1.0a: the three servlet endpoints of an incoming Application Link.

request token (signed with the consumer key only) -> the user allows access in
the browser -> access token (signed with the request token and the verifier).
Every request is signed RSA-SHA1 by `agent.auth.oauth1.OAuth1Auth`.
"""

from urllib.parse import urlencode

import attrs

from agent.auth.oauth1 import OAuth1Auth
from agent.errors import RemoteError
from agent.providers.jira_server.api import JiraApi
from agent.secret import Secret

REQUEST_TOKEN_PATH = "/plugins/servlet/oauth/request-token"
AUTHORIZE_PATH = "/plugins/servlet/oauth/authorize"
ACCESS_TOKEN_PATH = "/plugins/servlet/oauth/access-token"
OOB = "oob"


@attrs.frozen
class TokenPair:
    token: Secret
    secret: Secret


async def request_token(
    api: JiraApi, consumer_key: str, private_key: Secret, callback: str
) -> TokenPair:
    auth = OAuth1Auth(consumer_key, private_key, callback_uri=callback)
    form = await api.request_form(
        "POST", REQUEST_TOKEN_PATH, what="the OAuth request-token request", auth=auth
    )
    return _pair(form, "request token")


def authorize_url(base_url: str, token: Secret) -> str:
    return f"{base_url}{AUTHORIZE_PATH}?{urlencode({'oauth_token': token.reveal()})}"


async def access_token(
    api: JiraApi, consumer_key: str, private_key: Secret, request: TokenPair, verifier: str
) -> TokenPair:
    # A denied authorization still goes to Jira ("denied" is the verifier Jira sent):
    # its answer, permission_denied, is the authoritative one.
    auth = OAuth1Auth(
        consumer_key,
        private_key,
        token=request.token,
        token_secret=request.secret,
        verifier=verifier,
    )
    form = await api.request_form(
        "POST", ACCESS_TOKEN_PATH, what="the OAuth access-token request", auth=auth
    )
    return _pair(form, "access token")


def _pair(form: dict[str, str], what: str) -> TokenPair:
    if not form.get("oauth_token") or not form.get("oauth_token_secret"):
        raise RemoteError(
            f"Jira's answer to the OAuth {what} request has no token.",
            hint="Check that the base URL points at Jira itself, not a proxy's page.",
            httpStatus=200,
            messages=[f"no oauth_token in the {what} answer"],
        )
    return TokenPair(Secret(form["oauth_token"]), Secret(form["oauth_token_secret"]))
