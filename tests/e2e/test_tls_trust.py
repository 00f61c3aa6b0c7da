"""Whom the agent trusts over HTTPS, and how a refused certificate is explained.

The agent runs as a subprocess against the simulator in HTTPS mode with a CA of its
own, as a company's internal Jira is: refused until that CA is trusted, through the
CA bundle setting or through the operating system's trust store (here a throwaway one:
`SSL_CERT_FILE` / `SSL_CERT_DIR` in the agent's environment point at a temp bundle).
"""

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from jira_flows import configure_token, error_of
from wire import RawAgent, agent_env

from simulators.jira_server import JiraSimulator, SimulatorConfig
from simulators.jira_server.tls import CA_NAME, WRONG_HOST_NAMES

UNREACHABLE = -32003


@contextmanager
def https_jira(mode: str = "good") -> Iterator[JiraSimulator]:
    with JiraSimulator(SimulatorConfig(https=True, tls_mode=mode)) as jira:
        yield jira


@contextmanager
def started_agent(home: Path, http: dict[str, Any] | None = None, **env: str) -> Iterator[RawAgent]:
    # No trust store of whoever runs the tests leaks in, unless a test sets one.
    environment = agent_env(home, **env)
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        if name not in env:
            environment.pop(name, None)
    agent = RawAgent(environment)
    try:
        agent.initialize(options={"http": http} if http else None)
        yield agent
    finally:
        agent.kill()


def connect(agent: RawAgent, jira: JiraSimulator) -> dict[str, Any]:
    return configure_token(agent, jira.base_url, jira.user("alice").pat)


def assert_connected(reply: dict[str, Any]) -> None:
    assert "result" in reply, reply
    assert reply["result"]["instance"]["state"] == "connected"


def tls_error(reply: dict[str, Any]) -> dict[str, Any]:
    error = error_of(reply)
    assert error["code"] == UNREACHABLE, error
    assert error["data"]["kind"] == "unreachable" and error["data"]["tls"] is True
    return error


def server_certificate(jira: JiraSimulator) -> x509.Certificate:
    assert jira.server_cert_pem
    return x509.load_pem_x509_certificate(jira.server_cert_pem.encode())


# --- trust --------------------------------------------------------------------------


def test_a_private_ca_is_refused_naming_the_issuer(home: Path) -> None:
    with https_jira() as jira, started_agent(home) as agent:
        error = tls_error(connect(agent, jira))
        # Reading the certificate took a handshake only: no request (and no token) was sent.
        assert jira.request_log == []
    assert f'issued by "{CA_NAME}" (O=issuebridge simulator)' in error["message"]
    assert "does not trust" in error["message"]
    assert error["data"]["action"] == "setCaBundle"
    hint = error["data"]["hint"]
    assert "CA bundle" in hint and "operating system's trust store" in hint
    assert error["data"]["certificate"]["issuer"] == f'"{CA_NAME}" (O=issuebridge simulator)'


def test_a_private_ca_is_trusted_with_ca_bundle(home: Path) -> None:
    with https_jira() as jira, started_agent(home, {"caBundle": str(jira.ca_cert_path)}) as agent:
        assert_connected(connect(agent, jira))


def test_the_os_trust_store_is_trusted_by_default(home: Path, tmp_path: Path) -> None:
    with https_jira() as jira:
        store = tmp_path / "system-bundle.pem"
        store.write_text(jira.ca_cert_pem or "")
        with started_agent(home, SSL_CERT_FILE=str(store)) as agent:
            assert_connected(connect(agent, jira))


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to hash a CA dir")
def test_the_os_trust_store_directory_is_trusted_by_default(home: Path, tmp_path: Path) -> None:
    with https_jira() as jira:
        store = tmp_path / "certs"
        store.mkdir()
        (store / "company-ca.pem").write_text(jira.ca_cert_pem or "")
        subprocess.run(["openssl", "rehash", str(store)], check=True, capture_output=True)
        missing = str(tmp_path / "no-bundle.pem")
        with started_agent(home, SSL_CERT_FILE=missing, SSL_CERT_DIR=str(store)) as agent:
            assert_connected(connect(agent, jira))


def test_without_the_system_trust_store_only_the_ca_bundle_adds_trust(
    home: Path, tmp_path: Path
) -> None:
    with https_jira() as jira:
        store = tmp_path / "system-bundle.pem"
        store.write_text(jira.ca_cert_pem or "")
        off = {"useSystemTrustStore": False}
        with started_agent(home, off, SSL_CERT_FILE=str(store)) as agent:
            error = tls_error(connect(agent, jira))
        assert CA_NAME in error["message"]
        assert "trust store is off" in error["data"]["hint"]
        with_bundle = {**off, "caBundle": str(jira.ca_cert_path)}
        with started_agent(home, with_bundle, SSL_CERT_FILE=str(store)) as agent:
            assert_connected(connect(agent, jira))


# --- refused certificates, explained -------------------------------------------------


def test_a_certificate_for_other_names_lists_them(home: Path) -> None:
    with (
        https_jira("wrong-host") as jira,
        started_agent(home, {"caBundle": str(jira.ca_cert_path)}) as agent,
    ):
        error = tls_error(connect(agent, jira))
    names = ", ".join(WRONG_HOST_NAMES)
    assert f"is for {names}, not 127.0.0.1." in error["message"]
    assert error["data"]["action"] == "configure"
    assert error["data"]["certificate"]["names"] == list(WRONG_HOST_NAMES)


def test_an_expired_certificate_gives_its_date(home: Path) -> None:
    with (
        https_jira("expired") as jira,
        started_agent(home, {"caBundle": str(jira.ca_cert_path)}) as agent,
    ):
        error = tls_error(connect(agent, jira))
        expired = server_certificate(jira).not_valid_after_utc
    assert f"expired on {expired:%Y-%m-%d %H:%M} UTC" in error["message"]
    assert "renew" in error["data"]["hint"] and "clock" in error["data"]["hint"]
    assert error["data"]["certificate"]["notAfter"] == f"{expired:%Y-%m-%dT%H:%M:%S}Z"


def test_a_self_signed_certificate_says_so_and_can_be_trusted_by_itself(
    home: Path, tmp_path: Path
) -> None:
    with https_jira("self-signed") as jira:
        with started_agent(home, {"caBundle": str(jira.ca_cert_path)}) as agent:
            error = tls_error(connect(agent, jira))
        assert "is self-signed" in error["message"]
        fingerprint = server_certificate(jira).fingerprint(hashes.SHA256()).hex(":")
        assert fingerprint.upper() in error["data"]["hint"]
        assert error["data"]["certificate"]["selfSigned"] is True
        leaf = tmp_path / "server.pem"
        leaf.write_text(jira.server_cert_pem or "")
        with started_agent(home, {"caBundle": str(leaf)}) as agent:
            assert_connected(connect(agent, jira))


# --- the CA bundle file itself -------------------------------------------------------


def test_a_ca_bundle_that_is_not_pem_says_what_it_is(home: Path, tmp_path: Path) -> None:
    with https_jira() as jira:
        ca = x509.load_pem_x509_certificate((jira.ca_cert_pem or "").encode())
        der = tmp_path / "ca.der"
        der.write_bytes(ca.public_bytes(serialization.Encoding.DER))
        text = tmp_path / "ca.txt"
        text.write_text("the company CA, see the wiki\n")
        expected = {
            der: "is a DER (binary) certificate, not PEM; convert it with `openssl x509",
            text: "is not a PEM file",
            tmp_path / "missing.pem": "could not be read",
        }
        for bundle, says in expected.items():
            with started_agent(home, {"caBundle": str(bundle)}) as agent:
                error = tls_error(connect(agent, jira))
            assert error["message"].startswith(f"The CA bundle {bundle} {says}"), error
            assert error["data"]["action"] == "setCaBundle"
            assert "PEM file of CA certificates" in error["data"]["hint"]
