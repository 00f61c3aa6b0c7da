"""OAuth values are redacted from log lines in every spelling a line may hold them."""

import pytest

from agent.logs import redact


@pytest.mark.parametrize(
    "line",
    [
        "GET /callback?oauth_token=tok1&oauth_verifier=ver1 HTTP/1.1",
        "Collected params: [('oauth_verifier', 'ver1'), ('oauth_token', 'tok1')]",
        'Authorization: OAuth oauth_token="tok1", oauth_verifier="ver1"',
        "next=http%3A%2F%2Fh%2Fcb%3Foauth_token%3Dtok1%26oauth_verifier%3Dver1",
        'body {"oauth_token": "tok1", "oauth_token_secret": "sec1"}',
        "oauth_token=tok1&oauth_token_secret=sec1&oauth_expires_in=157680000",
        # OAuth 2.0
        "GET /callback?code=tok1&state=s HTTP/1.1",
        "GET /callback?state=s&code=tok1 HTTP/1.1",
        "next=http%3A%2F%2Fh%2Fcb%3Fcode%3Dtok1%26state%3Ds",
        "grant_type=authorization_code&code=tok1&code_verifier=ver1&client_secret=sec1",
        "grant_type=refresh_token&refresh_token=tok1&client_secret=sec1",
        '{"access_token": "tok1", "refresh_token": "sec1", "expires_in": 3600}',
    ],
)
def test_oauth_values_are_redacted(line: str) -> None:
    text = redact(line)
    for value in ("tok1", "ver1", "sec1"):
        assert value not in text
    assert "<secret>" in text


def test_prose_about_oauth_parameters_is_left_alone() -> None:
    text = "Jira's answer has no oauth_token in it (oauth_problem=token_rejected)."
    assert redact(text) == text
    json_rpc = '{"code": -32001, "message": "Jira refused the code", "data": {}}'
    assert redact(json_rpc) == json_rpc
