"""The terminal client's network settings: its config file, the flags over it, and
`configure`'s per-instance flags (the agent's side: tests/e2e/test_cli_network.py)."""

import argparse
import io
from pathlib import Path

import pytest

from agent.cli import render
from agent.cli.http_options import (
    flag_settings,
    instance_http,
    key_is_encrypted,
    proxy_problem,
    proxy_user,
    read_config,
)
from agent.cli.output import CliError
from agent.cli.parser import build_parser


def parse(*words: str) -> argparse.Namespace:
    return build_parser().parse_args(list(words))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_file_is_no_settings(tmp_path: Path) -> None:
    assert read_config(tmp_path / "absent.toml") == {}


def test_the_config_file_takes_the_protocol_names_and_resolves_paths(tmp_path: Path) -> None:
    path = write(
        tmp_path / "cli.toml",
        """
[http]
caBundle = "certs/company-ca.pem"
clientCertificate = "/etc/pki/me.pem"
clientKey = "~/me.key"
proxy = "http://proxy.example.com:3128"
timeoutSeconds = 5
operationTimeoutSeconds = 120.5
useSystemTrustStore = false
""",
    )
    http = read_config(path)
    assert http == {
        "caBundle": str((tmp_path / "certs" / "company-ca.pem").resolve()),
        "clientCertificate": "/etc/pki/me.pem",
        "clientKey": str(Path("~/me.key").expanduser()),
        "proxy": "http://proxy.example.com:3128",
        "timeoutSeconds": 5.0,
        "operationTimeoutSeconds": 120.5,
        "useSystemTrustStore": False,
    }


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[http\n", "not valid TOML"),
        ("[network]\nproxy = 'x'\n", "unknown table or key 'network'"),
        ("http = 3\n", "must be a table"),
        ("[http]\ncaBundel = 'x.pem'\n", "http.caBundel: unknown key; known: caBundle"),
        ("[http]\ntimeoutSeconds = 0\n", "must be a positive number"),
        ("[http]\ntimeoutSeconds = '30'\n", "must be a number of seconds"),
        ("[http]\ntimeoutSeconds = true\n", "must be a number of seconds"),
        ("[http]\nuseSystemTrustStore = 'no'\n", "must be true or false"),
        ("[http]\ncaBundle = ' '\n", "is empty"),
        ("[http]\nproxy = 'proxy:3128'\n", "is not a proxy URL"),
        ("[http]\ninsecureSkipVerify = true\n", "only be turned off per instance"),
    ],
)
def test_a_wrong_config_file_is_refused_naming_the_key(
    tmp_path: Path, text: str, says: str
) -> None:
    path = write(tmp_path / "cli.toml", text)
    with pytest.raises(CliError) as raised:
        read_config(path)
    assert raised.value.exit_code == 2
    assert str(path) in raised.value.message and says in raised.value.message


def test_a_password_in_the_proxy_url_is_refused_and_never_repeated(tmp_path: Path) -> None:
    problem = proxy_problem("http://alice:s3cret-pw@proxy.example.com:3128")
    assert problem is not None and "--proxy-password-stdin" in problem
    assert "s3cret-pw" not in problem
    path = write(tmp_path / "cli.toml", "[http]\nproxy = 'http://alice:s3cret-pw@proxy:3128'\n")
    with pytest.raises(CliError) as raised:
        read_config(path)
    assert "s3cret-pw" not in raised.value.message
    with pytest.raises(SystemExit):
        parse("--proxy", "http://alice:s3cret-pw@proxy:3128", "providers")
    assert proxy_problem("http://alice@proxy.example.com:3128") is None
    assert proxy_user("http://alice@proxy.example.com:3128") == "alice@proxy.example.com"
    assert proxy_user("http://proxy.example.com:3128") is None


def test_global_flags_become_http_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ISSUEBRIDGE_CA_BUNDLE", raising=False)
    args = parse(
        "--ca-bundle",
        "ca.pem",
        "--proxy",
        "http://proxy.example.com:3128",
        "--client-cert",
        "me.pem",
        "--client-key",
        "me.key",
        "--timeout",
        "2.5",
        "--no-system-trust-store",
        "providers",
    )
    assert flag_settings(args) == {
        "caBundle": str(tmp_path / "ca.pem"),
        "clientCertificate": str(tmp_path / "me.pem"),
        "clientKey": str(tmp_path / "me.key"),
        "proxy": "http://proxy.example.com:3128",
        "timeoutSeconds": 2.5,
        "useSystemTrustStore": False,
    }
    assert flag_settings(parse("providers")) == {}
    for wrong in ("0", "-1", "soon", "inf"):
        with pytest.raises(SystemExit):
            parse("--timeout", wrong, "providers")


def test_configure_flags_are_the_instance_settings_not_the_global_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ISSUEBRIDGE_CA_BUNDLE", raising=False)
    args = parse(
        "--timeout",
        "9",
        "configure",
        "jira-server",
        "--base-url",
        "https://jira.example.com",
        "--ca-bundle",
        "gw-ca.pem",
        "--http-proxy",
        "http://gw.example.com:8080",
        "--timeout",
        "60",
        "--insecure-skip-verify",
    )
    assert flag_settings(args) == {"timeoutSeconds": 9.0}
    assert instance_http(args) == {
        "caBundle": str(tmp_path / "gw-ca.pem"),
        "proxy": "http://gw.example.com:8080",
        "timeoutSeconds": 60.0,
        "insecureSkipVerify": True,
    }
    plain = parse("configure", "jira-server", "--base-url", "https://jira.example.com")
    assert instance_http(plain) == {}


def test_an_encrypted_key_is_recognised(tmp_path: Path) -> None:
    pkcs8 = write(tmp_path / "a.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n")
    legacy = write(
        tmp_path / "b.pem",
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n",
    )
    plain = write(tmp_path / "c.pem", "-----BEGIN PRIVATE KEY-----\nMIIB\n")
    assert key_is_encrypted(str(pkcs8)) and key_is_encrypted(str(legacy))
    assert not key_is_encrypted(str(plain))
    assert not key_is_encrypted(str(tmp_path / "missing.pem"))


def test_an_insecure_instance_says_so_in_its_line() -> None:
    instance = {
        "instanceId": "jira-server-1",
        "baseUrl": "https://jira.example.com",
        "authMethod": "token",
        "state": "connected",
        "insecure": True,
    }
    out = io.StringIO()
    render.instance_line(instance, out)
    first, second = out.getvalue().splitlines()
    assert first.endswith("[TLS verification OFF]")
    assert second.strip().startswith("warning:")
    out = io.StringIO()
    render.instance_line({**instance, "insecure": False}, out)
    assert "TLS" not in out.getvalue()
