"""OAuth 1.0a provider: the full dance signed by oauthlib, and every oauth_problem."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qsl, quote, urlsplit

import httpx
import pytest
from oauthlib.oauth1 import SIGNATURE_HMAC, SIGNATURE_TYPE_BODY, SIGNATURE_TYPE_QUERY, Client
from sim_helpers import (
    CONSUMER_KEY,
    KeyPair,
    access_token,
    approve,
    form,
    oauth_client,
    request_token,
    signed_get,
    signed_post,
)

from simulators.jira_server import JiraSimulator


def problem_of(response: httpx.Response) -> str:
    return form(response)["oauth_problem"]


def assert_problem(response: httpx.Response, sim: JiraSimulator, problem: str, status: int) -> None:
    assert response.status_code == status, response.text
    assert problem_of(response) == problem
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith(f'OAuth realm="{quote(sim.base_url, safe="")}"')
    assert f'oauth_problem="{problem}"' in challenge


def rt_url(sim: JiraSimulator) -> str:
    return f"{sim.base_url}/plugins/servlet/oauth/request-token"


def at_url(sim: JiraSimulator) -> str:
    return f"{sim.base_url}/plugins/servlet/oauth/access-token"


def myself_url(sim: JiraSimulator) -> str:
    return f"{sim.base_url}/rest/api/2/myself"


# -- happy paths -----------------------------------------------------------------------


def test_full_dance_with_callback(sim: JiraSimulator, http: httpx.Client, keys: KeyPair) -> None:
    temp = request_token(http, sim, keys, callback="http://127.0.0.1:7777/cb?state=x")
    assert len(temp["oauth_token"]) == 32 and temp["oauth_callback_confirmed"] == "true"
    sim.oauth_auto_approve = "carol"
    redirect = http.get(
        f"{sim.base_url}/plugins/servlet/oauth/authorize",
        params={"oauth_token": temp["oauth_token"]},
    )
    assert redirect.status_code == 302
    location = urlsplit(redirect.headers["Location"])
    assert (location.netloc, location.path) == ("127.0.0.1:7777", "/cb")
    query = dict(parse_qsl(location.query))
    assert query["state"] == "x" and query["oauth_token"] == temp["oauth_token"]
    assert len(query["oauth_verifier"]) == 6
    access = signed_post(
        http, oauth_client(keys, temp["oauth_token"], query["oauth_verifier"]), at_url(sim)
    )
    assert access.status_code == 200
    granted = form(access)
    assert len(granted["oauth_token"]) == 32
    assert granted["oauth_expires_in"] == "157680000"
    assert granted["oauth_authorization_expires_in"] == "160272000"
    assert granted["oauth_session_handle"]
    me = signed_get(http, oauth_client(keys, granted["oauth_token"]), myself_url(sim))
    assert me.status_code == 200 and me.json()["name"] == "carol"
    assert me.headers["X-AUSERNAME"] == "carol"


def test_signed_search_post_with_json_body(
    sim: JiraSimulator, http: httpx.Client, keys: KeyPair
) -> None:
    token = access_token(http, sim, keys)["oauth_token"]
    client = oauth_client(keys, token)
    body = '{"jql": "assignee = currentUser()", "maxResults": 5}'
    # JSON bodies are not part of the signature; only the header parameters are.
    uri, headers, _ = client.sign(
        f"{sim.base_url}/rest/api/2/search",
        http_method="POST",
        body=body,
        headers={"Content-Type": "application/json"},
    )
    response = http.post(uri, content=body, headers=headers)
    assert response.status_code == 200
    assert {i["fields"]["assignee"]["name"] for i in response.json()["issues"]} == {"alice"}
    logged = [r for r in sim.request_log if r.path.endswith("/search")]
    assert logged and logged[-1].headers["Authorization"].startswith("OAuth ")


def test_query_and_form_signatures_are_accepted(
    sim: JiraSimulator, http: httpx.Client, keys: KeyPair
) -> None:
    query_client = oauth_client(keys, callback="oob", signature_type=SIGNATURE_TYPE_QUERY)
    uri, headers, _ = query_client.sign(rt_url(sim), http_method="POST")
    assert "oauth_signature=" in uri
    assert http.post(uri, headers=headers).status_code == 200
    body_client = oauth_client(keys, callback="oob", signature_type=SIGNATURE_TYPE_BODY)
    uri, headers, body = body_client.sign(
        rt_url(sim),
        http_method="POST",
        body="",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert "oauth_signature=" in (body or "")
    assert http.post(uri, content=body, headers=headers).status_code == 200


def test_oob_shows_verification_code(sim: JiraSimulator, http: httpx.Client, keys: KeyPair) -> None:
    temp = request_token(http, sim, keys, callback="oob")
    sim.oauth_auto_approve = "alice"
    page = http.get(
        f"{sim.base_url}/plugins/servlet/oauth/authorize",
        params={"oauth_token": temp["oauth_token"]},
    )
    assert page.status_code == 200
    match = re.search(r"Your verification code is '(?:<[^>]+>)?([A-Za-z0-9]{6})", page.text)
    assert match, page.text
    access = signed_post(http, oauth_client(keys, temp["oauth_token"], match.group(1)), at_url(sim))
    assert access.status_code == 200


def test_browser_login_then_allow(sim: JiraSimulator, http: httpx.Client, keys: KeyPair) -> None:
    temp = request_token(http, sim, keys, callback="http://127.0.0.1:7777/cb")
    authorize = f"{sim.base_url}/plugins/servlet/oauth/authorize"
    first = http.get(authorize, params={"oauth_token": temp["oauth_token"]})
    assert first.status_code == 302 and "/login.jsp?" in first.headers["Location"]
    destination = dict(parse_qsl(urlsplit(first.headers["Location"]).query))["os_destination"]
    login_page = http.get(first.headers["Location"])
    assert 'name="os_password"' in login_page.text
    login = http.post(
        f"{sim.base_url}/login.jsp",
        data={"os_username": "zoe", "os_password": "zoe", "os_destination": destination},
    )
    assert login.status_code == 302
    consent = http.get(login.headers["Location"])  # httpx keeps the session cookie
    assert consent.status_code == 200
    assert "Allow" in consent.text and "Deny" in consent.text and "Zoë Ünal" in consent.text
    xsrf = re.search(r'name="atl_token" value="([^"]+)"', consent.text)
    assert xsrf
    allowed = http.post(
        authorize,
        data={"oauth_token": temp["oauth_token"], "atl_token": xsrf.group(1), "approve": "Allow"},
    )
    assert allowed.status_code == 302
    verifier = dict(parse_qsl(urlsplit(allowed.headers["Location"]).query))["oauth_verifier"]
    access = form(signed_post(http, oauth_client(keys, temp["oauth_token"], verifier), at_url(sim)))
    me = signed_get(http, oauth_client(keys, access["oauth_token"]), myself_url(sim))
    assert me.json()["name"] == "zoe"


def test_consent_form_requires_xsrf_token(
    sim: JiraSimulator, http: httpx.Client, keys: KeyPair
) -> None:
    temp = request_token(http, sim, keys)
    http.post(f"{sim.base_url}/login.jsp", data={"os_username": "bob", "os_password": "bob"})
    forged = http.post(
        f"{sim.base_url}/plugins/servlet/oauth/authorize",
        data={"oauth_token": temp["oauth_token"], "approve": "Allow"},
    )
    assert forged.status_code == 403


# -- problems ---------------------------------------------------------------------------


def test_wrong_private_key_is_signature_invalid(
    sim: JiraSimulator, http: httpx.Client, other_keys: KeyPair
) -> None:
    response = signed_post(http, oauth_client(other_keys, callback="oob"), rt_url(sim))
    assert_problem(response, sim, "signature_invalid", 401)
    base = form(response)["oauth_signature_base_string"]
    # The echoed base string is what Jira saw: including the context path.
    assert base.startswith(
        "POST&" + quote(f"{sim.base_url}/plugins/servlet/oauth/request-token", safe="")
    )
    assert "oauth_callback%3Doob" in base


def test_signature_over_another_url_is_invalid(
    sim: JiraSimulator, http: httpx.Client, keys: KeyPair
) -> None:
    # Signed for the URL without the context path, as a misconfigured base URL would.
    wrong = rt_url(sim).replace("/jira/", "/")
    _, headers, _ = oauth_client(keys, callback="oob").sign(wrong, http_method="POST")
    response = http.post(rt_url(sim), headers=headers)
    assert_problem(response, sim, "signature_invalid", 401)


def test_host_and_scheme_case_and_default_port_are_normalised(
    sim: JiraSimulator, http: httpx.Client, keys: KeyPair
) -> None:
    shouting = rt_url(sim).replace("http://127.0.0.1", "HTTP://127.0.0.1")
    _, headers, _ = oauth_client(keys, callback="oob").sign(shouting, http_method="POST")
    assert http.post(rt_url(sim), headers=headers).status_code == 200


def test_unknown_consumer(sim: JiraSimulator, http: httpx.Client, keys: KeyPair) -> None:
    client = Client(
        "nobody", signature_method="RSA-SHA1", rsa_key=keys.private_pem, callback_uri="oob"
    )
    assert_problem(signed_post(http, client, rt_url(sim)), sim, "consumer_key_unknown", 401)


def test_removed_consumer_is_unknown(sim: JiraSimulator, http: httpx.Client, keys: KeyPair) -> None:
    token = access_token(http, sim, keys)["oauth_token"]
    assert sim.remove_oauth_consumer(CONSUMER_KEY)
    response = signed_get(http, oauth_client(keys, token), myself_url(sim))
    assert_problem(response, sim, "consumer_key_unknown", 401)


def test_stale_timestamp_is_refused(sim: JiraSimulator, http: httpx.Client, keys: KeyPair) -> None:
    stale = str(int(time.time()) - 301)
    client = oauth_client(keys, callback="oob", timestamp=stale)
    response = signed_post(http, client, rt_url(sim))
    assert_problem(response, sim, "timestamp_refused", 400)
    low, high = map(int, form(response)["oauth_acceptable_timestamps"].split("-"))
    assert high - low == 600 and low <= time.time() <= high


def test_reused_nonce(sim: JiraSimulator, http: httpx.Client, keys: KeyPair) -> None:
    token = access_token(http, sim, keys)["oauth_token"]
    uri, headers, _ = oauth_client(keys, token).sign(myself_url(sim))
    assert http.get(uri, headers=headers).status_code == 200
    assert_problem(http.get(uri, headers=headers), sim, "nonce_used", 401)


def test_denied_authorization(sim: JiraSimulator, http: httpx.Client, keys: KeyPair) -> None:
    temp = request_token(http, sim, keys)
    sim.oauth_auto_approve = "deny"
    redirect = http.get(
        f"{sim.base_url}/plugins/servlet/oauth/authorize",
        params={"oauth_token": temp["oauth_token"]},
    )
    verifier = dict(parse_qsl(urlsplit(redirect.headers["Location"]).query))["oauth_verifier"]
    assert verifier == "denied"
    response = signed_post(http, oauth_client(keys, temp["oauth_token"], verifier), at_url(sim))
    assert_problem(response, sim, "permission_denied", 401)


def test_access_token_before_approval(
    sim: JiraSimulator, http: httpx.Client, keys: KeyPair
) -> None:
    temp = request_token(http, sim, keys)
    response = signed_post(http, oauth_client(keys, temp["oauth_token"], "abcdef"), at_url(sim))
    assert_problem(response, sim, "permission_unknown", 401)


def test_expired_request_token(sim: JiraSimulator, http: httpx.Client, keys: KeyPair) -> None:
    sim.config.request_token_ttl_seconds = 0.2
    temp = request_token(http, sim, keys)
    verifier = approve(http, sim, temp["oauth_token"])
    time.sleep(0.3)
    response = signed_post(http, oauth_client(keys, temp["oauth_token"], verifier), at_url(sim))
    assert_problem(response, sim, "token_expired", 401)


def test_expired_token_cannot_be_authorized(
    sim: JiraSimulator, http: httpx.Client, keys: KeyPair
) -> None:
    sim.config.request_token_ttl_seconds = 0.1
    temp = request_token(http, sim, keys)
    time.sleep(0.2)
    sim.oauth_auto_approve = "alice"
    page = http.get(
        f"{sim.base_url}/plugins/servlet/oauth/authorize",
        params={"oauth_token": temp["oauth_token"]},
    )
    assert page.status_code == 401 and "token_expired" in page.text


def test_request_token_used_twice(sim: JiraSimulator, http: httpx.Client, keys: KeyPair) -> None:
    temp = request_token(http, sim, keys)
    verifier = approve(http, sim, temp["oauth_token"])
    first = signed_post(http, oauth_client(keys, temp["oauth_token"], verifier), at_url(sim))
    assert first.status_code == 200
    again = signed_post(http, oauth_client(keys, temp["oauth_token"], verifier), at_url(sim))
    assert_problem(again, sim, "token_used", 401)


def test_wrong_verifier_and_unknown_token_are_rejected(
    sim: JiraSimulator, http: httpx.Client, keys: KeyPair
) -> None:
    temp = request_token(http, sim, keys)
    approve(http, sim, temp["oauth_token"])
    wrong = signed_post(http, oauth_client(keys, temp["oauth_token"], "zzzzzz"), at_url(sim))
    assert_problem(wrong, sim, "token_rejected", 401)
    unknown = signed_get(http, oauth_client(keys, "A" * 32), myself_url(sim))
    assert_problem(unknown, sim, "token_rejected", 401)


def test_request_token_cannot_call_rest(
    sim: JiraSimulator, http: httpx.Client, keys: KeyPair
) -> None:
    temp = request_token(http, sim, keys)
    approve(http, sim, temp["oauth_token"])
    response = signed_get(http, oauth_client(keys, temp["oauth_token"]), myself_url(sim))
    assert_problem(response, sim, "token_rejected", 401)


def test_hmac_is_rejected(sim: JiraSimulator, http: httpx.Client) -> None:
    client = Client(
        CONSUMER_KEY, client_secret="secret", signature_method=SIGNATURE_HMAC, callback_uri="oob"
    )
    assert_problem(signed_post(http, client, rt_url(sim)), sim, "signature_method_rejected", 400)


def test_missing_parameters(sim: JiraSimulator, http: httpx.Client) -> None:
    header = f'OAuth oauth_consumer_key="{CONSUMER_KEY}", oauth_signature_method="RSA-SHA1"'
    response = http.post(rt_url(sim), headers={"Authorization": header})
    assert_problem(response, sim, "parameter_absent", 400)
    absent = form(response)["oauth_parameters_absent"].split("&")
    assert set(absent) == {"oauth_signature", "oauth_timestamp", "oauth_nonce"}


def test_wrong_version(sim: JiraSimulator, http: httpx.Client, keys: KeyPair) -> None:
    uri, headers, _ = oauth_client(keys, callback="oob").sign(rt_url(sim), http_method="POST")
    headers["Authorization"] = headers["Authorization"].replace(
        'oauth_version="1.0"', 'oauth_version="2.0"'
    )
    assert_problem(http.post(uri, headers=headers), sim, "version_rejected", 400)


def test_every_signed_request_is_logged_with_its_header(
    sim: JiraSimulator, http: httpx.Client, keys: KeyPair
) -> None:
    token = access_token(http, sim, keys)["oauth_token"]
    sim.request_log.clear()
    for size in (10, 20):
        uri, headers, _ = oauth_client(keys, token).sign(
            f"{sim.base_url}/rest/api/2/search?jql=&maxResults={size}"
        )
        assert http.get(uri, headers=headers).status_code == 200
    searches = [r for r in sim.request_log if r.path == "/jira/rest/api/2/search"]
    assert [r.query["maxResults"] for r in searches] == [["10"], ["20"]]
    assert all('oauth_signature_method="RSA-SHA1"' in r.headers["authorization"] for r in searches)


@pytest.mark.parametrize("callback", ["not a url", "ftp://x/y"])
def test_bad_callback_is_rejected(
    sim: JiraSimulator, http: httpx.Client, keys: KeyPair, callback: str
) -> None:
    response = signed_post(http, oauth_client(keys, callback=callback), rt_url(sim))
    assert_problem(response, sim, "parameter_rejected", 400)
