"""OAuth 2.0 provider: the authorization endpoint, the consent page and the code grant."""

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
    error_of,
    exchange,
    get_code,
    myself,
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
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("bearer", 3600, "WRITE")
    me = myself(http, sim, body["access_token"])
    assert me.status_code == 200 and me.json()["name"] == "carol"
    assert me.headers["X-AUSERNAME"] == "carol"


def test_state_is_echoed_exactly_and_omitted_when_none_came(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    sim.oauth_auto_approve = "alice"
    odd = "a b&c=d/é+%"
    echoed = http.get(authorize_url(sim), params=authorize_params(client, verifier(), state=odd))
    assert callback_query(echoed)["state"] == odd
    without = http.get(authorize_url(sim), params=authorize_params(client, None, state="<omit>"))
    assert set(callback_query(without)) == {"code"}


def test_redirect_uri_with_a_query_keeps_it(sim: JiraSimulator, http: httpx.Client) -> None:
    client = sim.add_oauth2_client("http://127.0.0.1:43917/cb?tenant=x")
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    assert exchange(http, sim, client, code, code_verifier).status_code == 200
    sim.oauth_auto_approve = "alice"
    location = http.get(authorize_url(sim), params=authorize_params(client, None)).headers[
        "Location"
    ]
    assert dict(parse_qsl(urlsplit(location).query))["tenant"] == "x"


def test_plain_code_flow_without_pkce(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code = get_code(http, sim, client, None)
    assert exchange(http, sim, client, code, None).status_code == 200


def test_plain_challenge_method(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    params = {"code_challenge": code_verifier, "code_challenge_method": "plain"}
    code = get_code(http, sim, client, None, **params)
    assert exchange(http, sim, client, code, code_verifier).status_code == 200


def test_client_credentials_by_http_basic(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    answer = http.post(
        token_url(sim),
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": client.redirect_uri,
            "code_verifier": code_verifier,
        },
        auth=(client.client_id, client.client_secret),
    )
    assert answer.status_code == 200, answer.text


# -- the browser: login, consent, deny -----------------------------------------------------


def test_login_then_consent_then_allow(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    first = http.get(authorize_url(sim), params=authorize_params(client, code_verifier))
    assert first.status_code == 302 and "/login.jsp?" in first.headers["Location"]
    destination = dict(parse_qsl(urlsplit(first.headers["Location"]).query))["os_destination"]
    assert destination.startswith("/rest/oauth2/latest/authorize?")
    login = http.post(
        f"{sim.base_url}/login.jsp",
        data={"os_username": "zoe", "os_password": "zoe", "os_destination": destination},
    )
    consent = http.get(login.headers["Location"])  # httpx keeps the session cookie
    assert consent.status_code == 200, consent.text
    assert "Zoë Ünal" in consent.text and 'id="approve"' in consent.text
    assert 'id="deny"' in consent.text and "WRITE" in consent.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', consent.text))
    assert fields["client_id"] == client.client_id and fields["atl_token"]
    allowed = http.post(authorize_url(sim), data={**fields, "approve": "Allow"})
    query = callback_query(allowed)
    assert query["state"] == "st-1"
    answer = exchange(http, sim, client, query["code"], code_verifier)
    assert myself(http, sim, answer.json()["access_token"]).json()["name"] == "zoe"


def consent_fields(http: httpx.Client, sim: JiraSimulator, client: OAuth2Client) -> dict[str, str]:
    http.post(f"{sim.base_url}/login.jsp", data={"os_username": "bob", "os_password": "bob"})
    consent = http.get(authorize_url(sim), params=authorize_params(client, verifier()))
    assert consent.status_code == 200, consent.text
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', consent.text))


def test_deny_redirects_with_access_denied(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    fields = consent_fields(http, sim, client)
    denied = callback_query(http.post(authorize_url(sim), data={**fields, "deny": "Deny"}))
    assert denied["error"] == "access_denied" and denied["state"] == "st-1"
    assert "code" not in denied


def test_consent_form_requires_the_xsrf_token(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    fields = consent_fields(http, sim, client)
    forged = http.post(
        authorize_url(sim), data={**fields, "atl_token": "forged", "approve": "Allow"}
    )
    assert forged.status_code == 403 and "Location" not in forged.headers


def test_auto_deny(sim: JiraSimulator, http: httpx.Client, client: OAuth2Client) -> None:
    sim.oauth_auto_approve = "deny"
    query = callback_query(http.get(authorize_url(sim), params=authorize_params(client, None)))
    assert query["error"] == "access_denied" and query["state"] == "st-1"


# -- authorize errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "error", "word"),
    [
        ({"client_id": "0" * 32}, "invalid_client", "client_id"),
        ({"client_id": "<omit>"}, "invalid_client", "client_id"),
        ({"redirect_uri": "http://127.0.0.1:43917/other"}, "invalid_request", "redirect_uri"),
        ({"redirect_uri": "http://127.0.0.1:43918/callback"}, "invalid_request", "redirect_uri"),
        ({"redirect_uri": "<omit>"}, "invalid_request", "redirect_uri"),
    ],
)
def test_unknown_client_or_wrong_redirect_is_not_redirected(
    sim: JiraSimulator,
    http: httpx.Client,
    client: OAuth2Client,
    override: dict[str, str],
    error: str,
    word: str,
) -> None:
    sim.oauth_auto_approve = "alice"  # not even an auto-approving Jira redirects these
    answer = http.get(authorize_url(sim), params=authorize_params(client, verifier(), **override))
    assert "Location" not in answer.headers
    assert error_of(answer, 400) == error
    assert word in answer.json()["error_description"]


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"response_type": "<omit>"}, "invalid_request"),
        ({"scope": "DELETE"}, "invalid_scope"),
        ({"scope": "read"}, "invalid_scope"),
        ({"scope": "ADMIN"}, "invalid_scope"),  # more than the link's WRITE
        ({"scope": "<omit>"}, "invalid_request"),
        ({"code_challenge_method": "S512"}, "invalid_request"),
        ({"code_challenge": "too-short"}, "invalid_request"),
        ({"code_challenge": "<omit>"}, "invalid_request"),  # a method without a challenge
    ],
)
def test_other_problems_go_back_to_the_redirect_uri(
    sim: JiraSimulator,
    http: httpx.Client,
    client: OAuth2Client,
    override: dict[str, str],
    error: str,
) -> None:
    sim.oauth_auto_approve = "alice"
    answer = http.get(authorize_url(sim), params=authorize_params(client, verifier(), **override))
    assert answer.headers["Location"].startswith(REDIRECT_URI + "?")
    query = callback_query(answer)
    assert query["error"] == error and query["error_description"]
    assert query["state"] == "st-1" and "code" not in query


def test_narrower_scope_than_the_link_is_granted(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    assert tokens(http, sim, client, scope="READ").body["scope"] == "READ"


# -- token endpoint errors -----------------------------------------------------------------


def test_wrong_secret_or_unknown_client_is_invalid_client(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    wrong = exchange(http, sim, client, code, code_verifier, client_secret="nope")
    assert error_of(wrong, 401) == "invalid_client"
    unknown = exchange(http, sim, client, code, code_verifier, client_id="f" * 32)
    assert error_of(unknown, 401) == "invalid_client"
    no_secret = exchange(http, sim, client, code, code_verifier, client_secret="<omit>")
    assert error_of(no_secret, 401) == "invalid_client"
    # The client check comes first and costs the code nothing: it still works.
    assert exchange(http, sim, client, code, code_verifier).status_code == 200


def test_dummy_code_with_right_credentials_is_invalid_grant(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    # What a client can use to check an id and secret without a user.
    answer = exchange(http, sim, client, "dummy", verifier())
    assert error_of(answer, 400) == "invalid_grant"


@pytest.mark.parametrize(
    ("override", "status", "error"),
    [
        ({"grant_type": "<omit>"}, 400, "invalid_request"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": "implicit"}, 400, "unsupported_grant_type"),
    ],
)
def test_malformed_token_requests(
    sim: JiraSimulator,
    http: httpx.Client,
    client: OAuth2Client,
    override: dict[str, str],
    status: int,
    error: str,
) -> None:
    answer = exchange(http, sim, client, "x", verifier(), **override)
    assert error_of(answer, status) == error
    assert answer.headers.get_list("Cache-Control") == ["no-store"]


def test_missing_code_is_invalid_request(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    answer = exchange(http, sim, client, "<omit>", verifier())
    assert error_of(answer, 400) == "invalid_request"


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


# -- PKCE ----------------------------------------------------------------------------------


def test_wrong_verifier_is_refused_and_uses_the_code_up(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    wrong = exchange(http, sim, client, code, verifier())
    assert error_of(wrong, 400) == "invalid_grant"
    assert error_of(exchange(http, sim, client, code, code_verifier), 400) == "invalid_grant"


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
    assert error_of(exchange(http, sim, client, code, None), 400) == "invalid_request"


def test_verifier_must_be_43_to_128_unreserved_characters(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    short = "a" * 42
    code = get_code(
        http, sim, client, None, code_challenge=challenge("b" * 43), code_challenge_method="S256"
    )
    assert error_of(exchange(http, sim, client, code, short), 400) == "invalid_grant"


# -- single use, expiry, redirect URI ------------------------------------------------------


def test_reused_code_is_refused_and_revokes_what_it_gave(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    first = exchange(http, sim, client, code, code_verifier).json()
    assert myself(http, sim, first["access_token"]).status_code == 200
    again = exchange(http, sim, client, code, code_verifier)
    assert error_of(again, 400) == "invalid_grant"
    assert "used" in again.json()["error_description"]
    # RFC 6749 10.5: a code presented twice may have been stolen.
    assert myself(http, sim, first["access_token"]).status_code == 401


def test_expired_code_is_refused(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    sim.oauth2_settings.code_seconds = 0
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    answer = exchange(http, sim, client, code, code_verifier)
    assert error_of(answer, 400) == "invalid_grant"
    assert "expired" in answer.json()["error_description"]


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
    assert error_of(exchange(http, sim, client, stale, code_verifier), 400) == "invalid_grant"


def test_redirect_uri_on_the_exchange_must_match(
    sim: JiraSimulator, http: httpx.Client, client: OAuth2Client
) -> None:
    code_verifier = verifier()
    code = get_code(http, sim, client, code_verifier)
    other = exchange(http, sim, client, code, code_verifier, redirect_uri=REDIRECT_URI + "/x")
    assert error_of(other, 400) == "invalid_grant"
    code = get_code(http, sim, client, code_verifier)
    missing = exchange(http, sim, client, code, code_verifier, redirect_uri="<omit>")
    assert error_of(missing, 400) == "invalid_request"


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
