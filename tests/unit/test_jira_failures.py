"""Reading Jira's refusals from real httpx responses built from Jira's wire format."""

import httpx

from agent.providers.jira_server.failures import authentication_failure, oauth_parameters


def _response(status: int, headers: dict[str, str], body: str = "") -> httpx.Response:
    request = httpx.Request("GET", "https://jira.example.com/rest/api/2/myself")
    return httpx.Response(status, headers=headers, text=body, request=request)


def test_a_captcha_challenge_asks_for_one_browser_login() -> None:
    response = _response(
        403,
        {
            "X-Seraph-LoginReason": "AUTHENTICATION_DENIED",
            "X-Authentication-Denied-Reason": "CAPTCHA_CHALLENGE; login-url=https://jira.example.com/login.jsp",
        },
    )
    error = authentication_failure(response, "token")
    assert "CAPTCHA" in error.message
    assert error.hint and "https://jira.example.com/login.jsp" in error.hint
    assert error.data == {
        "httpStatus": 403,
        "loginReason": "AUTHENTICATION_DENIED",
        "loginUrl": "https://jira.example.com/login.jsp",
        "action": "configure",
    }


def test_a_captcha_login_url_of_another_server_is_not_offered() -> None:
    denied = "CAPTCHA_CHALLENGE; login-url=https://evil.example.net/login.jsp"
    response = _response(
        403,
        {"X-Seraph-LoginReason": "AUTHENTICATION_DENIED", "X-Authentication-Denied-Reason": denied},
    )
    error = authentication_failure(response, "oauth1")
    assert "evil.example.net" not in error.message + (error.hint or "")
    assert "loginUrl" not in error.data and error.data["action"] == "authorize"


def test_oauth_problems_come_from_the_header_or_the_body() -> None:
    header = 'OAuth realm="https%3A%2F%2Fjira.example.com", oauth_problem="consumer_key_unknown"'
    assert (
        oauth_parameters(_response(401, {"WWW-Authenticate": header}))["oauth_problem"]
        == "consumer_key_unknown"
    )
    body = "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1-2"
    params = oauth_parameters(_response(400, {}, body))
    assert params["oauth_problem"] == "timestamp_refused"
    error = authentication_failure(_response(401, {"WWW-Authenticate": header}), "oauth1")
    assert error.data["oauthProblem"] == "consumer_key_unknown"
    assert error.hint and "Application Link" in error.hint
