"""OAuth 2.0 provider: the authorize endpoint, the consent and error pages, the code grant."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from oauth2_helpers import (
    REDIRECT_URI,
    authorize_params,
    authorize_url,
    callback_query,
    challenge,
    consent_form,
    consent_url,
    error_of,
    error_page_query,
    exchange,
    get_code,
    hidden_fields,
    log_in,
    myself,
    refresh,
    token_url,
    tokens,
    verifier,
)

from simulators.jira_server import JiraSimulator
from simulators.jira_server.oauth2 import OAuth2Client


@pytest.fixture
def client(sim: JiraSimulator) -> OAuth2Client:
    return sim.add_oauth2_client(REDIRECT_URI)


# -- the happy path ------------------------------------------------------------------------


def test_code_with_pkce_gives_tokens_that_act_as_the_user(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    assert re.fullmatch(r"[0-9a-f]{32}", client.client_id)
    assert len(client.client_secret) > len(client.client_id)
    code_verifier = verifier()
    sim.oauth_auto_approve = "carol"
    redirect = http.get(authorize_url(sim), params=authorize_params(client, code_verifier))
    assert redirect.headers["Location"].startswith(REDIRECT_URI + "?")
    query = callback_query(redirect)
    assert set(query) == {"code", "state"} and query["state"] == "st-1"
    answer = exchange(http, sim, client, query["code"], code_verifier)
    assert answer.status_code == 200, answer.text
    assert answer.headers.get_list("Cache-Control") == ["no-store"]
    assert answer.headers["Pragma"] == "no-cache"
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("bearer", 3600, "WRITE")
    # Shaped like Jira's: a JWT (header.payload.signature).
    assert re.fullmatch(r"eyJ[\w-]+\.[\w-]+\.[\w-]+", body["access_token"])
    me = myself(http, sim, body["access_token"])
    assert me.status_code == 200 and me.json()["name"] == "carol"
    assert me.headers["X-AUSERNAME"] == "carol"


@pytest.mark.parametrize("state", ["<omit>", ""])
def test_state_is_left_out_when_none_or_blank_came(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client, state: str
) -> None:
    sim.oauth_auto_approve = "alice"
    answer = http.get(authorize_url(sim), params=authorize_params(client, None, state=state))
    assert set(callback_query(answer)) == {"code"}


def test_state_is_echoed_exactly(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    sim.oauth_auto_approve = "alice"
    odd = "a b&c=d/é+%"
    echoed = http.get(authorize_url(sim), params=authorize_params(client, verifier(), state=odd))
    assert callback_query(echoed)["state"] == odd


def test_redirect_uri_with_a_query_keeps_it(sim: JiraSimulator, http: httpx.Client) -> None:
    client = sim.add_oauth2_client("http://127.0.0.1:43917/cb?tenant=x")
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    assert exchange(http, sim, client, code, code_verifier).status_code == 200
    sim.oauth_auto_approve = "alice"
    answer = http.get(authorize_url(sim), params=authorize_params(client, None))
    assert dict(parse_qsl(urlsplit(answer.headers["Location"]).query))["tenant"] == "x"


def test_plain_code_flow_without_pkce(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code = get_code(http, sim, client, None)
    assert exchange(http, sim, client, code, None).status_code == 200


@pytest.mark.parametrize("method", ["plain", "<omit>"])  # plain is the default
def test_plain_challenge_method(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client, method: str
) -> None:
    code_verifier = verifier()
    code = get_code(
        http, sim, client, None, code_challenge=code_verifier, code_challenge_method=method
    )
    assert exchange(http, sim, client, code, code_verifier).status_code == 200
    code = get_code(
        http, sim, client, None, code_challenge=code_verifier, code_challenge_method=method
    )
    assert error_of(exchange(http, sim, client, code, verifier()), 400) == "invalid_grant"


def test_narrower_scope_than_the_link_is_granted(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    assert tokens(http, sim, client, scope="READ").body["scope"] == "READ"


# -- the browser: authorize → consent page → login → allow / deny --------------------------


def test_authorize_goes_to_the_consent_page_then_login_then_back(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    params = authorize_params(client, code_verifier)
    first = http.get(authorize_url(sim), params=params)
    assert first.status_code == 302
    location = first.headers["Location"]
    assert location.startswith(consent_url(sim) + "?")
    assert dict(parse_qsl(urlsplit(location).query)) == params  # forwarded unchanged
    to_login = http.get(location)
    assert to_login.status_code == 302 and "/login.jsp?" in to_login.headers["Location"]
    login_query = dict(parse_qsl(urlsplit(to_login.headers["Location"]).query))
    destination = login_query["os_destination"]
    assert destination.startswith("/plugins/servlet/oauth2/consent?")
    login = http.post(
        f"{sim.base_url}/login.jsp",
        data={"os_username": "zoe", "os_password": "zoe", "os_destination": destination},
    )
    consent = http.get(login.headers["Location"])  # httpx keeps the session cookie
    assert consent.status_code == 200, consent.text
    assert "Zoë Ünal" in consent.text and "issuebridge" in consent.text
    assert 'id="approve"' in consent.text and 'id="deny"' in consent.text
    assert re.search(r'id="scope"><strong>WRITE', consent.text)
    fields = hidden_fields(consent.text)
    assert fields["client_id"] == client.client_id and fields["atl_token"]
    allowed = http.post(authorize_url(sim), data={**fields, "approve": "Allow"})
    query = callback_query(allowed)
    assert query["state"] == "st-1"
    answer = exchange(http, sim, client, query["code"], code_verifier)
    assert myself(http, sim, answer.json()["access_token"]).json()["name"] == "zoe"


def test_deny_redirects_with_access_denied(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    log_in(http, sim)
    fields = consent_form(http, sim, authorize_params(client, verifier()))
    denied = callback_query(http.post(authorize_url(sim), data={**fields, "deny": "Deny"}))
    assert denied["error"] == "access_denied" and denied["state"] == "st-1"
    assert "code" not in denied


def test_consent_answer_needs_the_xsrf_token(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    log_in(http, sim)
    fields = consent_form(http, sim, authorize_params(client, verifier()))
    forged = http.post(authorize_url(sim), data={**fields, "atl_token": "x", "approve": "Allow"})
    assert error_page_query(sim, forged)["errorName"] == "invalid_request"


def test_auto_deny(sim: JiraSimulator, http: httpx.Client, client: OAuth2Client) -> None:
    sim.oauth_auto_approve = "deny"
    query = callback_query(http.get(authorize_url(sim), params=authorize_params(client, None)))
    assert query["error"] == "access_denied" and query["state"] == "st-1"


# -- what is wrong, and where Jira says so -----------------------------------------------------


def test_unknown_client_reaches_the_consent_page_which_refuses_it(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    params = authorize_params(client, verifier(), client_id="0" * 32)
    # The authorize URL does not know yet: anonymous, it only forwards to the consent
    # page, and that one first wants a login.
    first = http.get(authorize_url(sim), params=params)
    assert first.headers["Location"].startswith(consent_url(sim) + "?")
    assert "/login.jsp?" in http.get(first.headers["Location"]).headers["Location"]
    log_in(http, sim)
    refused = http.get(first.headers["Location"])
    assert refused.status_code == 400 and "client does not exist" in refused.text
    assert "Location" not in refused.headers
    sim.oauth_auto_approve = "alice"  # what the user would see at once
    assert http.get(authorize_url(sim), params=params).status_code == 400


def test_wrong_redirect_uri_is_refused_on_jiras_error_page_after_allow(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    params = authorize_params(client, verifier(), redirect_uri="http://127.0.0.1:43918/callback")
    log_in(http, sim)
    fields = consent_form(http, sim, params)  # the consent page does not check it
    allowed = http.post(authorize_url(sim), data={**fields, "approve": "Allow"})
    error = error_page_query(sim, allowed)
    assert error["errorName"] == "invalid_request" and "redirect_uri" in error["errorDescription"]
    shown = http.get(allowed.headers["Location"])
    assert shown.status_code == 200 and "redirect_uri" in shown.text
    denied = http.post(authorize_url(sim), data={**fields, "deny": "Deny"})
    assert error_page_query(sim, denied)["errorName"] == "invalid_request"
    sim.oauth_auto_approve = "alice"
    auto = http.get(authorize_url(sim), params=params)
    assert "redirect_uri" in error_page_query(sim, auto)["errorDescription"]


@pytest.mark.parametrize("name", ["client_id", "redirect_uri", "response_type"])
def test_missing_parameter_goes_to_jiras_error_page(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client, name: str
) -> None:
    # Never back to the client: Jira's own error page says what is missing.
    answer = http.get(authorize_url(sim), params=authorize_params(client, None, **{name: "<omit>"}))
    error = error_page_query(sim, answer)
    assert error["errorName"] == "invalid_request" and name in error["errorDescription"]


@pytest.mark.parametrize("scope", ["DELETE", "read", "ADMIN", "READ WRITE", "<omit>"])
def test_scope_the_link_does_not_allow_goes_back_at_once(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client, scope: str
) -> None:
    # Jira checks a known client's scope first, before it even looks for a login.
    answer = http.get(authorize_url(sim), params=authorize_params(client, None, scope=scope))
    assert answer.headers["Location"].startswith(REDIRECT_URI + "?")
    query = callback_query(answer)
    assert query["error"] == "invalid_scope" and query["error_description"]
    assert query["state"] == "st-1" and "code" not in query


def test_redirect_uri_that_is_no_url_is_412_on_the_consent_page(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    log_in(http, sim)
    params = authorize_params(client, None, redirect_uri="not a url")
    to_consent = http.get(authorize_url(sim), params=params)
    assert http.get(to_consent.headers["Location"]).status_code == 412


@pytest.mark.parametrize(
    ("override", "error"),
    [({"response_type": "token"}, "unsupported_response_type")],
)
def test_response_type_problem_goes_back_after_allow(
    sim: JiraSimulator,
    http: httpx.Client,
    client: OAuth2Client,
    override: dict[str, str],
    error: str,
) -> None:
    sim.oauth_auto_approve = "alice"
    answer = http.get(authorize_url(sim), params=authorize_params(client, verifier(), **override))
    query = callback_query(answer)
    assert query["error"] == error and query["state"] == "st-1"


@pytest.mark.parametrize(
    "override",
    [
        {"code_challenge_method": "S512"},
        {"code_challenge": "too-short"},
        {"code_challenge": "<omit>"},  # a method without a challenge
    ],
)
def test_pkce_parameter_problems_go_to_jiras_error_page(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client, override: dict[str, str]
) -> None:
    sim.oauth_auto_approve = "alice"
    answer = http.get(authorize_url(sim), params=authorize_params(client, verifier(), **override))
    assert error_page_query(sim, answer)["errorName"] == "invalid_request"


# -- token endpoint: what is checked, in which order ---------------------------------------------


def test_secret_is_checked_last_and_a_refusal_leaves_the_code(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    wrong = exchange(http, sim, client, code, code_verifier, client_secret="nope")
    assert error_of(wrong, 401) == "invalid_client"
    no_secret = exchange(http, sim, client, code, code_verifier, client_secret="<omit>")
    assert error_of(no_secret, 401) == "invalid_client"
    assert exchange(http, sim, client, code, code_verifier).status_code == 200


def test_made_up_code_is_invalid_request_whatever_the_secret(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    # Jira checks the code before the secret: a dummy code cannot test a secret.
    right = exchange(http, sim, client, "dummy", verifier())
    assert error_of(right, 400) == "invalid_request"
    wrong = exchange(http, sim, client, "dummy", verifier(), client_secret="nope")
    assert error_of(wrong, 400) == "invalid_request"


def test_unknown_client_id_with_a_real_code(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    unknown = exchange(http, sim, client, code, code_verifier, client_id="f" * 32)
    assert error_of(unknown, 401) == "invalid_client"


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"grant_type": "<omit>"}, "invalid_request"),
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"grant_type": "client_credentials"}, "unsupported_grant_type"),
        ({"redirect_uri": "<omit>"}, "invalid_request"),
        ({"client_id": "<omit>"}, "invalid_request"),
    ],
)
def test_malformed_token_requests(
    sim: JiraSimulator,
    http: httpx.Client,
    client: OAuth2Client,
    override: dict[str, str],
    error: str,
) -> None:
    answer = exchange(http, sim, client, "x", verifier(), **override)
    assert error_of(answer, 400) == error
    assert answer.headers.get_list("Cache-Control") == ["no-store"]


def test_missing_code_is_invalid_request(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    answer = exchange(http, sim, client, "<omit>", verifier())
    assert error_of(answer, 400) == "invalid_request"
    assert "code" in answer.json()["error_description"]


def test_client_credentials_by_http_basic_are_not_read(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": client.redirect_uri,
        "code_verifier": code_verifier,
    }
    basic = http.post(token_url(sim), data=data, auth=(client.client_id, client.client_secret))
    assert error_of(basic, 400) == "invalid_request"  # no client_id form parameter
    assert sim.request_log[-1].headers["Authorization"] == "Basic [redacted]"
    with_id = http.post(
        token_url(sim),
        data={**data, "client_id": client.client_id},
        auth=(client.client_id, client.client_secret),
    )
    assert error_of(with_id, 401) == "invalid_client"  # the secret must be a form field


def test_token_endpoint_takes_only_post(sim: JiraSimulator, http: httpx.Client) -> None:
    assert http.get(token_url(sim)).status_code == 405


def test_code_of_another_client_is_invalid_grant(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    other = sim.add_oauth2_client(REDIRECT_URI, name="other")
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    answer = exchange(http, sim, other, code, code_verifier)
    assert error_of(answer, 400) == "invalid_grant"


# -- PKCE -----------------------------------------------------------------------------------------


def test_wrong_verifier_is_refused(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    wrong = exchange(http, sim, client, code, verifier())
    assert error_of(wrong, 400) == "invalid_grant"
    assert "verifier" in wrong.json()["error_description"]
    # Refused, not redeemed: the right verifier still works (as in Jira).
    assert exchange(http, sim, client, code, code_verifier).status_code == 200


def test_verifier_of_another_authorization_is_refused(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    first, second = verifier(), verifier()
    get_code(http, sim, client, first)
    code = get_code(http, sim, client, second)
    assert error_of(exchange(http, sim, client, code, first), 400) == "invalid_grant"


def test_pkce_code_without_verifier_is_refused(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code = get_code(http, sim, client, verifier())
    assert error_of(exchange(http, sim, client, code, None), 400) == "invalid_grant"


def test_verifier_must_be_43_to_128_unreserved_characters(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code = get_code(
        http, sim, client, None, code_challenge=challenge("b" * 43), code_challenge_method="S256"
    )
    assert error_of(exchange(http, sim, client, code, "a" * 42), 400) == "invalid_grant"
    assert exchange(http, sim, client, code, "b" * 43).status_code == 200


# -- single use, expiry, redirect URI ------------------------------------------------------------


def test_reused_code_is_refused_and_ends_every_token_it_gave(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    first = exchange(http, sim, client, code, code_verifier).json()
    renewed = refresh(http, sim, client, first["refresh_token"]).json()
    assert myself(http, sim, renewed["access_token"]).status_code == 200
    again = exchange(http, sim, client, code, code_verifier)
    assert error_of(again, 400) == "invalid_grant"
    assert "used" in again.json()["error_description"]
    # RFC 6749 10.5: a code presented twice may have been stolen.
    assert myself(http, sim, renewed["access_token"]).status_code == 401
    assert error_of(refresh(http, sim, client, renewed["refresh_token"]), 400) == "invalid_grant"


def test_expired_code_is_refused(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    sim.oauth2_settings.code_seconds = 0
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    answer = exchange(http, sim, client, code, code_verifier)
    assert error_of(answer, 400) == "invalid_request"


def test_code_lifetime_follows_the_clock(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    now = [1_000_000.0]
    sim.oauth2.clock = lambda: now[0]
    code_verifier = verifier()
    fresh = get_code(http, sim, client, code_verifier)
    now[0] += 9.9  # Jira's default lifetime is 10 s
    assert exchange(http, sim, client, fresh, code_verifier).status_code == 200
    stale = get_code(http, sim, client, code_verifier)
    now[0] += 10
    assert error_of(exchange(http, sim, client, stale, code_verifier), 400) == "invalid_request"


def test_redirect_uri_on_the_exchange_must_match(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    other = exchange(http, sim, client, code, code_verifier, redirect_uri=REDIRECT_URI + "/x")
    assert error_of(other, 400) == "invalid_grant"


def test_parameters_in_the_query_work_too(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    # Atlassian's own curl examples put every parameter in the token URL's query.
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    params = {
        "grant_type": "authorization_code",
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "code": code,
        "redirect_uri": client.redirect_uri,
        "code_verifier": code_verifier,
    }
    assert http.post(token_url(sim), params=params).status_code == 200
    logged = sim.request_log[-1]
    assert client.client_secret not in logged.query_string and code not in logged.query_string


def test_request_log_keeps_the_grant_type_but_not_the_secrets(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    body = exchange(http, sim, client, code, code_verifier).json()
    logged = [r for r in sim.request_log if r.path.endswith("/rest/oauth2/latest/token")]
    assert len(logged) == 1 and logged[0].form["grant_type"] == "authorization_code"
    assert logged[0].form["client_id"] == client.client_id
    raw = logged[0].body.decode()
    for secret in (client.client_secret, code, code_verifier):
        assert secret not in raw
    assert body["access_token"] not in raw
    admin_view = http.get(f"{sim.base_url}/_sim/requests").json()
    assert [r["grantType"] for r in admin_view if r["grantType"]] == ["authorization_code"]
