"""HTTPS mode's certificates: good, for other names, expired, self-signed; and the CA
issuing client certificates."""

import socket
import ssl

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from simulators.jira_server import JiraSimulator, SimulatorConfig
from simulators.jira_server.cli import build_parser
from simulators.jira_server.tls import TLS_MODES, CertificateAuthority, generate

# OpenSSL's verification codes for each mode, the simulator's CA trusted.
EXPECTED = {"wrong-host": 64, "expired": 10, "self-signed": 18}


def handshake(sim: JiraSimulator) -> int:
    """0 when the certificate verifies, else OpenSSL's verification code."""
    context = ssl.create_default_context(cadata=sim.ca_cert_pem)
    with socket.create_connection(("127.0.0.1", sim.port), timeout=10) as raw:
        try:
            with context.wrap_socket(raw, server_hostname="127.0.0.1"):
                return 0
        except ssl.SSLCertVerificationError as exc:
            return exc.verify_code


@pytest.mark.parametrize("mode", TLS_MODES)
def test_each_mode_serves_its_certificate(mode: str) -> None:
    with JiraSimulator(SimulatorConfig(https=True, tls_mode=mode)) as sim:
        assert handshake(sim) == EXPECTED.get(mode, 0)
        assert sim.server_cert_pem and sim.server_cert_pem != sim.ca_cert_pem


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown TLS mode"):
        generate("half-valid")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--https", "--tls-mode", "half-valid"])
    assert build_parser().parse_args(["--https", "--tls-mode", "expired"]).tls_mode == "expired"


def test_the_ca_issues_client_certificates() -> None:
    ca = CertificateAuthority.create()
    cert, _ = ca.issue("alice", client=True)
    assert cert.issuer == ca.cert.subject
    usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usage) == [ExtendedKeyUsageOID.CLIENT_AUTH]
