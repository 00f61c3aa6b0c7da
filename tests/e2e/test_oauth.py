"""OAuth 1.0a through an Application Link: keys, loopback and oob authorization,
signed requests, and every way it goes wrong."""

import re
import time
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jira_flows import (
    CONSUMER,
    FETCH,
    answer_show_documents,
    authorize_loopback,
    configure_oauth,
    error_of,
    expected_open_issues,
    generate_key,
    oauth_instance,
    wait_for_show_document,
)
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator

AUTHORIZE = "issuebridge/providers/authorize"
COMPLETE = "issuebridge/providers/completeAuthorization"


@pytest.fixture
def approving_jira(jira: JiraSimulator) -> JiraSimulator:
    jira.oauth_auto_approve = "alice"
    return jira


def _pem(
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    fmt: serialization.PrivateFormat,
    password: bytes | None = None,
) -> str:
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, fmt, encryption).decode()


def _public(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def test_generated_key_pair(agent: RawAgent) -> None:
    key = generate_key(agent)
    assert key["keyId"].startswith("key-")
    assert key["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert key["fingerprint"].startswith("SHA256:")
    public = serialization.load_pem_public_key(key["publicKeyPem"].encode())
    assert isinstance(public, rsa.RSAPublicKey) and public.key_size == 2048
    bigger = generate_key(agent, 4096)
    public = serialization.load_pem_public_key(bigger["publicKeyPem"].encode())
    assert isinstance(public, rsa.RSAPublicKey) and public.key_size == 4096
    assert bigger["keyId"] != key["keyId"]
    assert "PRIVATE" not in repr(agent.messages)


def test_loopback_authorization_then_signed_fetch(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    jira = approving_jira
    instance_id = oauth_instance(agent, jira)
    reply = authorize_loopback(agent, instance_id)
    instance = reply["result"]["instance"]
    assert instance["state"] == "connected"
    assert instance["user"] == {"name": "alice", "displayName": "Alice Anderson"}
    assert "authorizeUrl" not in reply["result"]
    # The browser was sent to Jira's authorize page, with a callback on 127.0.0.1.
    shown = [m for m in agent.messages if m.get("method") == "window/showDocument"]
    assert shown[0]["params"]["uri"].startswith(
        f"{jira.base_url}/plugins/servlet/oauth/authorize?oauth_token="
    )
    token_requests = [r for r in jira.request_log if r.path.endswith("/oauth/request-token")]
    assert (
        'oauth_callback="http%3A%2F%2F127.0.0.1%3A' in token_requests[-1].headers["Authorization"]
    )

    fetched = agent.call(FETCH, {"instanceId": instance_id}, timeout=30)["result"]
    assert [i["key"] for i in fetched["issues"]] == expected_open_issues(jira, "alice")
    searches = [r for r in jira.request_log if r.path.endswith("/rest/api/2/search")]
    assert searches and all(r.status == 200 for r in searches)
    for search in searches:
        header = search.headers["Authorization"]
        assert header.startswith("OAuth ") and 'oauth_signature_method="RSA-SHA1"' in header


@pytest.mark.parametrize(
    "fmt", [serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL]
)
def test_pasted_pkcs8_and_pkcs1_keys(
    agent: RawAgent, approving_jira: JiraSimulator, fmt: serialization.PrivateFormat
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    approving_jira.add_oauth_consumer(CONSUMER, _public(key))
    reply = configure_oauth(agent, approving_jira.base_url, privateKey=_pem(key, fmt))
    instance_id = reply["result"]["instance"]["instanceId"]
    assert authorize_loopback(agent, instance_id)["result"]["instance"]["state"] == "connected"
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 10})


def test_out_of_band_authorization_with_the_code_jira_shows(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id = oauth_instance(agent, approving_jira)
    reply = agent.call(AUTHORIZE, {"instanceId": instance_id, "callback": "oob"}, timeout=20)
    assert reply["result"]["instance"]["state"] == "needsAuthorization"
    url = reply["result"]["authorizeUrl"]
    assert not [m for m in agent.messages if m.get("method") == "window/showDocument"]
    page = httpx.get(url, follow_redirects=True, timeout=10).text
    code = re.search(r"verification code is '<code[^>]*>([^<]+)</code>'", page)
    assert code, page
    done = agent.call(COMPLETE, {"instanceId": instance_id, "verifier": code.group(1)}, timeout=20)
    assert done["result"]["instance"]["state"] == "connected"
    # Nothing is pending any more.
    again = error_of(agent.call(COMPLETE, {"instanceId": instance_id, "verifier": code.group(1)}))
    assert again["code"] == -32002


def test_an_editor_that_cannot_open_urls_gets_the_url(
    raw_agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    raw_agent.initialize(capabilities={"window": {"showDocument": {"support": False}}})
    instance_id = oauth_instance(raw_agent, approving_jira)
    reply = raw_agent.call(AUTHORIZE, {"instanceId": instance_id}, timeout=20)
    assert reply["result"]["authorizeUrl"].startswith(approving_jira.base_url)
    assert reply["result"]["instance"]["state"] == "needsAuthorization"


def test_complete_without_a_pending_authorization(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id = oauth_instance(agent, approving_jira)
    error = error_of(agent.call(COMPLETE, {"instanceId": instance_id, "verifier": "abc123"}))
    assert error["code"] == -32002 and error["data"]["instanceId"] == instance_id


def test_deny_in_the_browser(agent: RawAgent, jira: JiraSimulator) -> None:
    jira.oauth_auto_approve = "deny"
    instance_id = oauth_instance(agent, jira)
    error = error_of(authorize_loopback(agent, instance_id))
    assert error["code"] == -32001
    assert error["data"]["oauthProblem"] == "permission_denied"
    assert error["data"]["httpStatus"] == 401
    assert "Allow" in error["data"]["hint"]
    listed = agent.call("issuebridge/providers/list", {})["result"]["providers"][0]["instances"][0]
    assert listed["state"] == "needsAuthorization"


def test_an_expired_request_token(agent: RawAgent, approving_jira: JiraSimulator) -> None:
    approving_jira.config.request_token_ttl_seconds = 0.5
    instance_id = oauth_instance(agent, approving_jira)
    url = agent.call(AUTHORIZE, {"instanceId": instance_id, "callback": "oob"})["result"][
        "authorizeUrl"
    ]
    time.sleep(1.0)
    page = httpx.get(url, follow_redirects=True, timeout=10).text
    code = re.search(r"<code[^>]*>([^<]+)</code>", page)
    error = error_of(
        agent.call(
            COMPLETE, {"instanceId": instance_id, "verifier": code.group(1) if code else "x"}
        )
    )
    assert error["code"] == -32001
    assert error["data"]["oauthProblem"] in ("token_expired", "token_rejected")
    assert "Authorize again" in error["data"]["hint"]


def test_a_second_authorize_replaces_the_pending_one(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id = oauth_instance(agent, approving_jira)
    first = agent.request(AUTHORIZE, {"instanceId": instance_id})
    wait_for_show_document(agent)
    answer_show_documents(agent, follow=False)  # the user closed that tab
    second = agent.request(AUTHORIZE, {"instanceId": instance_id})
    assert agent.response(first, timeout=10)["error"]["code"] == -32800
    wait_for_show_document(agent)
    answer_show_documents(agent)
    assert agent.response(second, timeout=20)["result"]["instance"]["state"] == "connected"


def test_unknown_consumer_key(agent: RawAgent, jira: JiraSimulator) -> None:
    key = generate_key(agent)
    error = error_of(
        configure_oauth(agent, jira.base_url, keyId=key["keyId"], consumer_key="nobody")
    )
    assert error["code"] == -32001
    assert error["data"]["oauthProblem"] == "consumer_key_unknown"
    assert "Application Link" in error["data"]["hint"]
    assert agent.call("issuebridge/providers/list", {})["result"]["providers"][0]["instances"] == []


def test_a_key_that_does_not_match_the_link_names_its_fingerprints(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    key = generate_key(agent)
    other = generate_key(agent)
    jira.add_oauth_consumer(CONSUMER, other["publicKeyPem"])
    error = error_of(configure_oauth(agent, jira.base_url, keyId=key["keyId"]))
    assert error["data"]["oauthProblem"] == "signature_invalid"
    assert error["data"]["publicKeyFingerprint"].startswith("SHA256:")
    assert error["data"]["publicKeyFingerprint"] in error["message"]
    assert "does not match" in error["message"]


def test_clocks_that_differ(agent: RawAgent, jira: JiraSimulator) -> None:
    key = generate_key(agent)
    jira.add_oauth_consumer(CONSUMER, key["publicKeyPem"])
    jira.oauth.clock = lambda: time.time() + 3600
    error = error_of(configure_oauth(agent, jira.base_url, keyId=key["keyId"]))
    assert error["data"]["oauthProblem"] == "timestamp_refused"
    assert "clock" in error["data"]["hint"]


def test_a_revoked_link_mid_session_fails_authentication(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id = oauth_instance(agent, approving_jira)
    authorize_loopback(agent, instance_id)
    approving_jira.remove_oauth_consumer(CONSUMER)
    error = error_of(agent.call(FETCH, {"instanceId": instance_id}))
    assert error["code"] == -32001 and error["data"]["oauthProblem"] == "consumer_key_unknown"
    listed = agent.call("issuebridge/providers/list", {})["result"]["providers"][0]["instances"][0]
    assert listed["state"] == "error"


def test_disconnect_keeps_the_key_so_only_authorize_is_needed(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id = oauth_instance(agent, approving_jira)
    authorize_loopback(agent, instance_id)
    agent.call("issuebridge/providers/disconnect", {"instanceId": instance_id})
    assert error_of(agent.call(FETCH, {"instanceId": instance_id}))["code"] == -32002
    assert authorize_loopback(agent, instance_id)["result"]["instance"]["state"] == "connected"


def _bad_key_cases() -> list[tuple[str, str]]:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert_like = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    return [
        (_pem(rsa_key, serialization.PrivateFormat.PKCS8, b"secret"), "encrypted"),
        (_pem(rsa_key, serialization.PrivateFormat.TraditionalOpenSSL, b"secret"), "encrypted"),
        (_public(rsa_key), "public key"),
        (cert_like, "certificate"),
        (
            _pem(
                ec.generate_private_key(ec.SECP256R1()),
                serialization.PrivateFormat.TraditionalOpenSSL,
            ),
            "RSA",
        ),
        (_pem(ec.generate_private_key(ec.SECP256R1()), serialization.PrivateFormat.PKCS8), "RSA"),
        ("hello, this is not a key", "not a PEM"),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "damaged"),
    ]


@pytest.mark.parametrize(("pem", "words"), _bad_key_cases())
def test_unusable_pasted_keys_say_what_was_pasted(agent: RawAgent, pem: str, words: str) -> None:
    error = error_of(configure_oauth(agent, "https://jira.example.com", privateKey=pem))
    assert error["code"] == -32602
    assert error["data"]["field"] == "fields.privateKey"
    assert words in error["message"]
    assert "BEGIN" not in error["message"].replace("-----BEGIN … PRIVATE KEY-----", "")


def test_a_1024_bit_key_works_with_a_warning(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    approving_jira.add_oauth_consumer(CONSUMER, _public(key))
    reply = configure_oauth(
        agent,
        approving_jira.base_url,
        privateKey=_pem(key, serialization.PrivateFormat.TraditionalOpenSSL),
    )
    assert reply.get("result", {}).get("instance", {}).get("state") == "needsAuthorization", reply
    warning = agent.wait_for(lambda m: m.get("method") == "window/showMessage")
    assert "1024 bits" in warning["params"]["message"] and warning["params"]["type"] == 2


def test_key_fields_are_checked(agent: RawAgent) -> None:
    error = error_of(configure_oauth(agent, "https://jira.example.com", keyId="key-nope"))
    assert (error["code"], error["data"]["field"]) == (-32602, "fields.keyId")
    error = error_of(configure_oauth(agent, "https://jira.example.com"))
    assert (error["code"], error["data"]["field"]) == (-32602, "fields.keyId")


def test_private_keys_and_oauth_tokens_stay_secret(
    home: Path, approving_jira: JiraSimulator
) -> None:
    agent = RawAgent(agent_env(home, ISSUEBRIDGE_LOG="debug"))
    try:
        agent.initialize(capabilities={"window": {"showDocument": {"support": True}}})
        pasted = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pasted_pem = _pem(pasted, serialization.PrivateFormat.PKCS8)
        approving_jira.add_oauth_consumer(CONSUMER, _public(pasted))
        instance_id = configure_oauth(agent, approving_jira.base_url, privateKey=pasted_pem)[
            "result"
        ]["instance"]["instanceId"]
        authorize_loopback(agent, instance_id)
        agent.call(FETCH, {"instanceId": instance_id, "limit": 60}, timeout=30)
        generate_key(agent)
        agent.call("shutdown", None)
        agent.notify("exit")
        agent.wait_exit()
    finally:
        agent.kill()
    access_tokens = (
        [t.token for t in approving_jira.oauth.access_tokens.values()]
        if hasattr(approving_jira.oauth, "access_tokens")
        else []
    )
    wire = bytes(agent.raw_stdout).decode()
    log = agent.stderr_text()
    secret_lines = [line for line in pasted_pem.splitlines() if "-----" not in line]
    for value in [*secret_lines, *access_tokens]:
        assert value not in wire and value not in log
    stored_files = [p for p in home.rglob("*") if p.is_file()]
    for path in stored_files:
        data = path.read_text(errors="replace")
        if "PRIVATE KEY" in data or any(t in data for t in access_tokens):
            assert oct(path.stat().st_mode & 0o777) == oct(0o600), path


def test_an_install_that_cannot_sign_rsa_sha1_says_so(home: Path, tmp_path: Path) -> None:
    # A `jwt` that fails to import, as on an install without PyJWT.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "jwt.py").write_text("raise ImportError('No module named jwt', name='jwt')\n")
    agent = RawAgent(agent_env(home, PYTHONPATH=str(broken)))
    try:
        agent.initialize()
        error = error_of(agent.call("issuebridge/keys/generate", {}, timeout=30))
        assert "RSA-SHA1" in error["message"] and "jwt" in error["message"]
        assert "PyJWT" in error["data"]["hint"]
    finally:
        agent.kill()


def test_an_editor_that_fails_to_open_the_url_gets_an_out_of_band_url(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    instance_id = oauth_instance(agent, approving_jira)
    msg_id = agent.request(AUTHORIZE, {"instanceId": instance_id})
    wait_for_show_document(agent)
    answer_show_documents(agent, follow=False, success=False)
    answer = agent.response(msg_id, timeout=20)
    assert "result" in answer, answer
    reply = answer["result"]
    page = httpx.get(reply["authorizeUrl"], follow_redirects=True, timeout=10).text
    code = re.search(r"<code[^>]*>([^<]+)</code>", page)
    assert code, "the fallback URL must lead to Jira's code page, not to a closed listener"
    done = agent.call(COMPLETE, {"instanceId": instance_id, "verifier": code.group(1)}, timeout=20)
    assert done["result"]["instance"]["state"] == "connected"


def test_oauth_configure_where_anonymous_requests_are_refused(
    agent: RawAgent, approving_jira: JiraSimulator
) -> None:
    approving_jira.config.anonymous_access = False
    instance_id = oauth_instance(agent, approving_jira)  # the request-token probe decides
    instance = authorize_loopback(agent, instance_id)["result"]["instance"]
    assert instance["state"] == "connected" and instance["serverVersion"] == "9.12.0"
