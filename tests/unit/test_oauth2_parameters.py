"""OAuth 2.0's parameters as oauthlib builds them for the agent: the authorize URL's
PKCE challenge, the two grants' forms, the token answer and its errors; and how a
callback (or a pasted address) is read."""

import base64
import hashlib
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from agent.auth import callback, oauth2
from agent.secret import Secret


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_the_authorize_url_carries_an_s256_challenge_of_a_fresh_verifier() -> None:
    first = oauth2.authorization_request(
        "http://jira.test/rest/oauth2/latest/authorize", "cid", "http://127.0.0.1:1/cb", "WRITE"
    )
    second = oauth2.authorization_request(
        "http://jira.test/rest/oauth2/latest/authorize", "cid", "http://127.0.0.1:1/cb", "WRITE"
    )
    query = _query(first.url)
    assert query["response_type"] == "code" and query["client_id"] == "cid"
    assert query["redirect_uri"] == "http://127.0.0.1:1/cb" and query["scope"] == "WRITE"
    assert query["state"] == first.state.reveal()
    assert query["code_challenge_method"] == "S256"
    digest = hashlib.sha256(first.code_verifier.reveal().encode()).digest()
    assert query["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert len(first.code_verifier.reveal()) == 128
    assert first.code_verifier.reveal() not in first.url
    assert first.state != second.state and first.code_verifier != second.code_verifier


def test_the_grants_send_the_client_credentials_as_form_parameters() -> None:
    code = parse_qs(
        oauth2.code_grant_body("cid", Secret("sec-ret"), "the-code", "http://h/cb", Secret("ver"))
    )
    assert code == {
        "grant_type": ["authorization_code"],
        "client_id": ["cid"],
        "client_secret": ["sec-ret"],
        "code": ["the-code"],
        "redirect_uri": ["http://h/cb"],
        "code_verifier": ["ver"],
    }
    refresh = parse_qs(
        oauth2.refresh_grant_body("cid", Secret("sec-ret"), Secret("refresh-1"), "http://h/cb")
    )
    assert refresh == {
        "grant_type": ["refresh_token"],
        "client_id": ["cid"],
        "client_secret": ["sec-ret"],
        "refresh_token": ["refresh-1"],
        "redirect_uri": ["http://h/cb"],
    }


def test_a_token_answer_and_its_expiry() -> None:
    before = time.time()
    tokens = oauth2.parse_token_answer(
        "cid",
        '{"access_token": "acc-1", "token_type": "bearer", "expires_in": 3600,'
        ' "refresh_token": "ref-1", "scope": "WRITE"}',
    )
    assert tokens.access_token.reveal() == "acc-1" and tokens.lifetime == 3600
    assert tokens.refresh_token is not None and tokens.refresh_token.reveal() == "ref-1"
    assert tokens.expires_at is not None and before + 3600 <= tokens.expires_at
    again = oauth2.Tokens.from_secrets(tokens.secrets())
    assert again is not None and again.access_token == tokens.access_token
    assert again.expires_at == pytest.approx(tokens.expires_at, abs=1)
    bare = oauth2.parse_token_answer("cid", '{"access_token": "acc-2", "token_type": "bearer"}')
    assert bare.refresh_token is None and bare.expires_at is None


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ('{"error": "invalid_grant", "error_description": "used"}', "invalid_grant"),
        ('{"error": "invalid_client"}', "invalid_client"),
        ('{"error": "something_new"}', "something_new"),
        ('{"token_type": "bearer"}', "missing_token"),
        ("<html>not json</html>", "missing_token"),
    ],
)
def test_token_errors_are_problems_with_the_servers_words(body: str, error: str) -> None:
    with pytest.raises(oauth2.OAuth2Problem) as caught:
        oauth2.parse_token_answer("cid", body)
    assert caught.value.error == error


def test_a_callback_counts_only_with_the_expected_state() -> None:
    state = Secret("state-123456")
    form = callback.OAUTH2
    assert callback.read({"state": "state-123456", "code": "c"}, form, state) == callback.Callback(
        value="c"
    )
    assert callback.read({"state": "state-12345", "code": "c"}, form, state) is None
    assert callback.read({"code": "c"}, form, state) is None
    assert callback.read({"state": "state-123456", "code": "c"}, form, None) is None
    assert callback.read({"state": "state-123456"}, form, state) is None
    denied = callback.read(
        {"state": "state-123456", "error": "access_denied", "error_description": "no"}, form, state
    )
    assert denied == callback.Callback(error="access_denied", description="no")
