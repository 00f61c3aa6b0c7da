"""Which unreachable failures let a kept result stand in (`Unreachable.offline`): those
that pass by themselves, not those that someone has to fix."""

import ssl

import httpx
import pytest

from agent.errors import Unreachable
from agent.net import did_not_answer, transport_failure

URL = "https://jira.example.com/rest/api/2/search"


def failure(exc: Exception) -> Unreachable:
    return transport_failure(exc, URL, 30)


def caused_by(exc: Exception, cause: BaseException) -> Exception:
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.ConnectError("[Errno -2] Name or service not known"),  # VPN-only host name
        httpx.ConnectError("[Errno -3] Temporary failure in name resolution"),
        httpx.ConnectTimeout("timed out"),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("[Errno 104] Connection reset by peer"),
        httpx.ProxyError("502 Bad Gateway"),
    ],
    ids=repr,
)
def test_network_failures_are_offline(exc: Exception) -> None:
    assert failure(exc).offline is True


@pytest.mark.parametrize(
    "exc",
    [
        caused_by(
            httpx.ConnectError("certificate verify failed"),
            ssl.SSLCertVerificationError("CERTIFICATE_VERIFY_FAILED: self-signed certificate"),
        ),
        caused_by(
            httpx.ConnectError("certificate verify failed"),
            ssl.SSLCertVerificationError("CERTIFICATE_VERIFY_FAILED: certificate has expired"),
        ),
        httpx.ConnectError("[SSL: WRONG_VERSION_NUMBER] wrong version number"),  # plain HTTP
    ],
    ids=["untrusted", "expired", "plain-http"],
)
def test_tls_and_scheme_failures_are_not_offline(exc: Exception) -> None:
    assert failure(exc).offline is False


def test_a_deadline_is_offline_and_the_default_follows_the_action() -> None:
    assert did_not_answer("jira.example.com:443", 30).offline is True
    assert Unreachable("x", action="retry").offline is True
    assert Unreachable("x", action="retry", tls=True).offline is False
    assert Unreachable("x", action="configure").offline is False
    assert Unreachable("x", action="configure", offline=True).offline is True
    assert "offline" not in Unreachable("x", offline=True).data  # never on the wire
