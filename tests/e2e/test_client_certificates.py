"""Client certificates (mTLS), end to end: the simulator in HTTPS mode demands a client
certificate from its own client CA (ssl.CERT_REQUIRED), and the agent (a subprocess
over stdio) presents one from `http.clientCertificate` / `http.clientKey`, the key
encrypted or not, its passphrase from `httpSecrets.clientKeyPassphrase`.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jira_flows import FETCH, configure_with_http, error_of
from wire import RawAgent

from simulators.jira_server import JiraSimulator, SimulatorConfig

PASSPHRASE = "correct horse battery 4417"


@pytest.fixture
def mtls_jira() -> Iterator[JiraSimulator]:
    config = SimulatorConfig(https=True, require_client_certificate=True, max_results_cap=50)
    with JiraSimulator(config) as sim:
        yield sim


@pytest.fixture
def mtls_agent(raw_agent: RawAgent, mtls_jira: JiraSimulator) -> RawAgent:
    """An agent that trusts the simulator's CA and has no client certificate globally."""
    raw_agent.initialize(
        options={
            "logLevel": "debug",  # the most the log says: the passphrase is still not in it
            "http": {"timeoutSeconds": 20, "caBundle": str(mtls_jira.ca_cert_path)},
        }
    )
    return raw_agent


def _certificate_settings(jira: JiraSimulator, **issue: Any) -> dict[str, str]:
    issued = jira.client_certificates.issue("alice", **issue)
    settings = {"clientCertificate": str(issued.cert_path)}
    if issued.key_path is not None:
        settings["clientKey"] = str(issued.key_path)
    return settings


def _assert_connected_with_certificate(
    agent: RawAgent, jira: JiraSimulator, reply: dict[str, Any]
) -> None:
    assert "result" in reply, reply
    assert reply["result"]["instance"]["state"] == "connected", reply
    instance_id = reply["result"]["instance"]["instanceId"]
    assert agent.call(FETCH, {"instanceId": instance_id}, timeout=30)["result"]["issues"]
    assert jira.request_log
    assert {r.client_certificate for r in jira.request_log} == {"alice"}


def _assert_certificate_error(error: dict[str, Any]) -> None:
    assert error["code"] == -32003, error
    assert error["data"]["kind"] == "unreachable"
    assert error["data"]["tls"] is True
    assert error["data"]["action"] == "configure"


def _stored_files_text(home: Path) -> str:
    return "\n".join(
        path.read_text(errors="replace")
        for path in home.rglob("*")
        if path.is_file() and "secret" not in path.name.lower()
    )


def test_the_server_asks_for_a_client_certificate_and_none_is_set(
    mtls_agent: RawAgent, mtls_jira: JiraSimulator
) -> None:
    error = error_of(configure_with_http(mtls_agent, mtls_jira))
    _assert_certificate_error(error)
    assert "asks for a client certificate, and none is set" in error["message"]
    assert f"127.0.0.1:{mtls_jira.port}" in error["message"]
    assert "clientCertificate" in error["data"]["hint"]


def test_a_client_certificate_with_its_plain_key_in_the_same_file(
    mtls_agent: RawAgent, mtls_jira: JiraSimulator
) -> None:
    http = _certificate_settings(mtls_jira)
    reply = configure_with_http(mtls_agent, mtls_jira, http=http)
    _assert_connected_with_certificate(mtls_agent, mtls_jira, reply)


def test_a_client_certificate_from_the_global_settings(
    raw_agent: RawAgent, mtls_jira: JiraSimulator
) -> None:
    http = {"caBundle": str(mtls_jira.ca_cert_path), "timeoutSeconds": 20}
    http |= _certificate_settings(mtls_jira, separate_key=True)
    raw_agent.initialize(options={"http": http})
    _assert_connected_with_certificate(
        raw_agent, mtls_jira, configure_with_http(raw_agent, mtls_jira)
    )


def test_an_encrypted_key_with_its_passphrase_as_a_secret(
    home: Path, mtls_agent: RawAgent, mtls_jira: JiraSimulator
) -> None:
    http = _certificate_settings(mtls_jira, separate_key=True, passphrase=PASSPHRASE)
    assert b"ENCRYPTED PRIVATE KEY" in Path(http["clientKey"]).read_bytes()
    reply = configure_with_http(
        mtls_agent, mtls_jira, http=http, secrets={"clientKeyPassphrase": PASSPHRASE}
    )
    _assert_connected_with_certificate(mtls_agent, mtls_jira, reply)
    assert PASSPHRASE not in _stored_files_text(home)
    assert PASSPHRASE not in mtls_agent.stderr_text()
    assert PASSPHRASE not in json.dumps(mtls_agent.messages)


def test_an_encrypted_key_in_the_certificate_file_without_a_passphrase_is_explained(
    mtls_agent: RawAgent, mtls_jira: JiraSimulator
) -> None:
    http = _certificate_settings(mtls_jira, passphrase=PASSPHRASE)
    error = error_of(configure_with_http(mtls_agent, mtls_jira, http=http))
    _assert_certificate_error(error)
    assert "is encrypted, and no passphrase is set for it" in error["message"]
    assert http["clientCertificate"] in error["message"]
    assert "httpSecrets.clientKeyPassphrase" in error["data"]["hint"]
    assert not mtls_jira.request_log  # found before anything was sent


def test_a_wrong_passphrase_is_explained_and_not_echoed(
    mtls_agent: RawAgent, mtls_jira: JiraSimulator
) -> None:
    wrong = "wrong horse battery 0000"
    http = _certificate_settings(mtls_jira, separate_key=True, passphrase=PASSPHRASE)
    reply = configure_with_http(
        mtls_agent, mtls_jira, http=http, secrets={"clientKeyPassphrase": wrong}
    )
    error = error_of(reply)
    _assert_certificate_error(error)
    assert "passphrase set for the client key" in error["message"]
    assert "is wrong" in error["message"]
    assert wrong not in json.dumps(reply) and wrong not in mtls_agent.stderr_text()


def test_a_key_that_is_not_the_certificates_is_explained(
    mtls_agent: RawAgent, mtls_jira: JiraSimulator
) -> None:
    mine = mtls_jira.client_certificates.issue("alice", separate_key=True)
    other = mtls_jira.client_certificates.issue("bob", separate_key=True)
    assert other.key_path is not None
    http = {"clientCertificate": str(mine.cert_path), "clientKey": str(other.key_path)}
    error = error_of(configure_with_http(mtls_agent, mtls_jira, http=http))
    _assert_certificate_error(error)
    assert "is not the key of the certificate" in error["message"]


def test_a_certificate_without_its_key_is_explained(
    mtls_agent: RawAgent, mtls_jira: JiraSimulator
) -> None:
    issued = mtls_jira.client_certificates.issue("alice", separate_key=True)
    error = error_of(
        configure_with_http(
            mtls_agent, mtls_jira, http={"clientCertificate": str(issued.cert_path)}
        )
    )
    _assert_certificate_error(error)
    assert "holds no private key" in error["message"]
    assert "clientKey" in error["data"]["hint"]


def test_an_unreadable_certificate_file_is_explained(
    tmp_path: Path, mtls_agent: RawAgent, mtls_jira: JiraSimulator
) -> None:
    missing = tmp_path / "no-such-client.pem"
    error = error_of(
        configure_with_http(mtls_agent, mtls_jira, http={"clientCertificate": str(missing)})
    )
    _assert_certificate_error(error)
    assert f"The client certificate file {missing} could not be read" in error["message"]


def test_a_certificate_the_server_does_not_trust_is_explained(
    mtls_agent: RawAgent, mtls_jira: JiraSimulator
) -> None:
    stranger = mtls_jira.client_certificates.stranger()
    http = {"clientCertificate": str(stranger.cert_path)}
    error = error_of(configure_with_http(mtls_agent, mtls_jira, http=http))
    _assert_certificate_error(error)
    assert f"refused the client certificate {stranger.cert_path}" in error["message"]
    assert "does not trust the certificate's issuer" in error["message"]
