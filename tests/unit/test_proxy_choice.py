"""Which proxy a request takes (agent/proxy.py): loopback never, NO_PROXY's forms, the
setting before the environment, and a setting's password refused. The requests
themselves through a real proxy: tests/e2e/test_proxy.py."""

import pytest

from agent.net_secrets import NetSecrets
from agent.proxy import bypassed, is_loopback, proxy_for, proxy_problem
from agent.secret import Secret
from protocol.types import HttpSettings

_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [*_VARIABLES, *(n.upper() for n in _VARIABLES)]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ISSUEBRIDGE_TEST_HOOKS", raising=False)


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "jira.localhost", "::ffff:127.0.0.1"],
)
def test_loopback_names_and_addresses(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["10.0.0.1", "jira.example.com", "localhost.example.com", "::2"])
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_loopback_is_never_proxied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
    http = HttpSettings(proxy="http://proxy.example.com:3128")
    for url in ("https://127.0.0.1:8443/jira", "http://localhost/", "https://[::1]:8443/"):
        assert proxy_for(http, None, url) is None


@pytest.mark.parametrize(
    ("no_proxy", "host", "expected"),
    [
        ("example.com", "jira.example.com", True),
        (".example.com", "jira.example.com", True),
        ("*.example.com", "jira.example.com", True),
        ("example.com", "notexample.com", False),
        ("jira.example.com:8443", "jira.example.com", True),
        ("10.0.0.0/8", "10.1.2.3", True),
        ("10.0.0.0/8", "11.1.2.3", False),
        ("10.1.2.3", "10.1.2.3", True),
        ("*", "anything.example", True),
        ("", "jira.example.com", False),
    ],
)
def test_no_proxy_forms(no_proxy: str, host: str, expected: bool) -> None:
    assert bypassed(host, no_proxy) is expected


def test_the_setting_comes_before_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://env-proxy:8080")
    secrets = NetSecrets(proxy_password=Secret("proxy-pass-123"))
    route = proxy_for(HttpSettings(proxy="http://bob@set-proxy:3128"), secrets, "https://jira.x/")
    assert route is not None
    assert (route.address, route.source, route.user) == ("set-proxy:3128", "http.proxy", "bob")
    assert route.password is not None and route.password.reveal() == "proxy-pass-123"
    assert "proxy-pass-123" not in repr(route)


def test_the_environment_by_scheme_then_all_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "plain-proxy:8080")
    monkeypatch.setenv("ALL_PROXY", "http://all-proxy:8080")
    plain = proxy_for(HttpSettings(), None, "http://jira.example.com/")
    tls = proxy_for(HttpSettings(), None, "https://jira.example.com/")
    assert plain is not None and (plain.address, plain.source) == ("plain-proxy:8080", "HTTP_PROXY")
    assert tls is not None and (tls.address, tls.source) == ("all-proxy:8080", "ALL_PROXY")


def test_no_proxy_applies_to_the_setting_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", ".corp.example")
    http = HttpSettings(proxy="http://proxy:3128")
    assert proxy_for(http, None, "https://jira.corp.example/") is None
    assert proxy_for(http, None, "https://jira.example.com/") is not None


def test_a_password_in_the_setting_is_refused_without_quoting_it() -> None:
    problem = proxy_problem("http://bob:hunter2-pass@proxy:3128")
    assert problem is not None
    assert "httpSecrets.proxyPassword" in problem and "hunter2" not in problem
    assert proxy_problem("http://bob@proxy:3128") is None
    assert proxy_problem("proxy:3128") is None
    assert proxy_problem("socks5://proxy:1080") is not None
    assert proxy_problem("http://proxy:99999") is not None
