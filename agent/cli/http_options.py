"""The terminal client's network settings: the global ones (its config file, then the
flags before the command) become `initializationOptions.http`; `configure`'s flags
become that instance's `http` and its secrets `httpSecrets`.

Secrets (a proxy's password, a client key's passphrase) are never taken from a flag's
value or from the config file: they would end up in shell history or in a file in the
clear. They are read from stdin, an environment variable or a hidden prompt, and go to
the agent's secret store through `configure`'s `httpSecrets` only.
"""

import argparse
import getpass
import math
import os
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from agent.cli.output import CliError, Output

CONFIG_ENV = "ISSUEBRIDGE_CLI_CONFIG"
PROXY_PASSWORD_ENV = "ISSUEBRIDGE_PROXY_PASSWORD"
KEY_PASSPHRASE_ENV = "ISSUEBRIDGE_CLIENT_KEY_PASSPHRASE"

# The config file's [http] keys: the protocol's names (docs/protocol.md), with their type.
# `insecureSkipVerify` is not among them: it is per instance only (`configure`).
_FILE_KEYS: dict[str, type] = {
    "caBundle": str,
    "proxy": str,
    "timeoutSeconds": float,
    "operationTimeoutSeconds": float,
    "clientCertificate": str,
    "clientKey": str,
    "useSystemTrustStore": bool,
}
_PATH_KEYS = ("caBundle", "clientCertificate", "clientKey")


def config_path() -> Path:
    """`$ISSUEBRIDGE_CLI_CONFIG`, else `cli.toml` in the user's config directory
    (`$XDG_CONFIG_HOME/issuebridge`, by default `~/.config/issuebridge`, on Linux)."""
    chosen = os.environ.get(CONFIG_ENV)
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("issuebridge", appauthor=False)) / "cli.toml"


def positive_seconds(text: str) -> float:
    """argparse type of --timeout: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


def proxy_url(text: str) -> str:
    """argparse type of --proxy: an http(s) URL without a password in it."""
    problem = proxy_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text.strip()


def proxy_problem(text: str) -> str | None:
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return f"{text!r} is not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{text!r} is not a proxy URL such as http://proxy.example.com:3128"
    if parts.password is not None:
        return (
            "a password in the proxy URL would be kept in the clear (shell history, files); "
            "give only the user (http://USER@proxy:3128) and the password to `issuebridge "
            "configure` with --proxy-password-stdin or $" + PROXY_PASSWORD_ENV
        )
    return None


def _absolute(path: str, base: Path) -> str:
    """A file path for the agent, which runs elsewhere: `~` expanded, made absolute
    (relative to `base`: the current folder for flags, the file's folder for the file)."""
    expanded = Path(path).expanduser()
    return str(expanded if expanded.is_absolute() else (base / expanded).resolve())


def read_config(path: Path) -> dict[str, Any]:
    """The [http] table of the CLI's config file, checked; {} when there is no file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise CliError(f"cannot read the config file {path}: {exc.strerror}", 2) from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CliError(f"the config file {path} is not valid TOML: {exc}", 2) from None
    unknown = sorted(set(document) - {"http"})
    if unknown:
        raise CliError(f"{path}: unknown table or key {unknown[0]!r}; only [http] is read", 2)
    table = document.get("http", {})
    if not isinstance(table, dict):
        raise CliError(f"{path}: `http` must be a table ([http])", 2)
    http: dict[str, Any] = {}
    for key, value in table.items():
        http[key] = _file_value(path, key, value)
    for key in _PATH_KEYS:
        if key in http:
            http[key] = _absolute(http[key], path.parent)
    return http


def _file_value(path: Path, key: str, value: Any) -> Any:
    where = f"{path}: http.{key}"
    if key == "insecureSkipVerify":
        raise CliError(
            f"{where}: verification can only be turned off per instance, with "
            "`issuebridge configure ... --insecure-skip-verify`",
            2,
        )
    wanted = _FILE_KEYS.get(key)
    if wanted is None:
        raise CliError(f"{where}: unknown key; known: {', '.join(_FILE_KEYS)}", 2)
    if wanted is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CliError(f"{where}: must be a number of seconds", 2)
        if not 0 < value < math.inf:
            raise CliError(f"{where}: must be a positive number of seconds", 2)
        return float(value)
    if wanted is bool:
        if not isinstance(value, bool):
            raise CliError(f"{where}: must be true or false", 2)
        return value
    if not isinstance(value, str):
        raise CliError(f"{where}: must be a string", 2)
    if not value.strip():
        raise CliError(f"{where}: is empty; leave the key out instead", 2)
    if key == "proxy" and (problem := proxy_problem(value)):
        raise CliError(f"{where}: {problem}", 2)
    return value


def flag_settings(args: argparse.Namespace, prefix: str = "") -> dict[str, Any]:
    """The http settings given as flags (global ones, or `configure`'s with `prefix`)."""
    http: dict[str, Any] = {}
    here = Path.cwd()
    paths = {"caBundle": "ca_bundle", "clientCertificate": "client_cert", "clientKey": "client_key"}
    for key, name in paths.items():
        value = getattr(args, prefix + name, None)
        if value:
            http[key] = _absolute(value, here)
    proxy = getattr(args, prefix + "proxy", None)
    if proxy:
        http["proxy"] = proxy
    timeout = getattr(args, prefix + "timeout", None)
    if timeout is not None:
        http["timeoutSeconds"] = timeout
    if getattr(args, prefix + "no_system_trust_store", False):
        http["useSystemTrustStore"] = False
    return http


def global_http(args: argparse.Namespace) -> dict[str, Any]:
    """`initializationOptions.http`: the config file's [http], each flag over it."""
    return {**read_config(config_path()), **flag_settings(args)}


def instance_http(args: argparse.Namespace) -> dict[str, Any]:
    """`configure`'s `http`: this instance's own settings, from its flags. A configure
    is the instance's whole configuration: without them, only the global ones apply."""
    http = flag_settings(args, prefix="instance_")
    if args.insecure_skip_verify:
        http["insecureSkipVerify"] = True
    return http


INSECURE_WARNING = (
    "warning: --insecure-skip-verify turns TLS certificate verification OFF for {url}. "
    "Anyone between you and the server can then read and change everything sent, the "
    "token included, and nothing tells you. Prefer --ca-bundle FILE with your company's "
    "CA certificate (the error of a refused certificate names its issuer)."
)


def key_is_encrypted(path: str) -> bool:
    """Whether a PEM key file holds an encrypted key (PKCS#8 or the older OpenSSL
    header); False when it cannot be read (the agent explains that)."""
    try:
        text = Path(path).read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return "-----BEGIN ENCRYPTED PRIVATE KEY-----" in text or "Proc-Type: 4,ENCRYPTED" in text


def proxy_user(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.username}@{parts.hostname}" if parts.username else None


def confirm_insecure(args: argparse.Namespace, url: str, out: Output) -> None:
    """Says loudly what --insecure-skip-verify does, and asks (in a terminal) or needs
    --confirm-insecure (in a script)."""
    if not args.insecure_skip_verify:
        return
    print(INSECURE_WARNING.format(url=url), file=sys.stderr, flush=True)
    if args.confirm_insecure:
        return
    if not sys.stdin.isatty():
        raise CliError(
            "--insecure-skip-verify asks to confirm; pass --confirm-insecure too when not "
            "in a terminal",
            2,
        )
    out.prompt("Turn TLS verification off for this instance? Type yes to confirm:")
    if sys.stdin.readline().strip().lower() != "yes":
        raise CliError("not confirmed; nothing was configured", 1)


def _secret(stdin_flag: bool, env: str, prompt: str | None, instead: str) -> str | None:
    """A secret from stdin (one line), `env`, or a hidden prompt (when `prompt` is
    given and stdin is a terminal); None when none is given and none is asked for."""
    if stdin_flag:
        line = sys.stdin.readline()
        if not line:
            raise CliError(f"no {instead} on stdin (end of input)", 2)
        return line.rstrip("\r\n")
    if os.environ.get(env):
        return os.environ[env]
    if prompt is not None and sys.stdin.isatty():
        return getpass.getpass(prompt) or None
    return None


def read_http_secrets(args: argparse.Namespace, http: dict[str, Any]) -> dict[str, str]:
    """`configure`'s `httpSecrets`: the proxy's password (asked for when the proxy URL
    names a user) and an encrypted client key's passphrase (asked for when the key file
    is encrypted). Never printed; sent to the agent only."""
    secrets: dict[str, str] = {}
    user = proxy_user(http.get("proxy"))
    password = _secret(
        args.proxy_password_stdin,
        PROXY_PASSWORD_ENV,
        f"Password of the proxy user {user}: " if user else None,
        "proxy password",
    )
    if password:
        secrets["proxyPassword"] = password
    key_file = http.get("clientKey") or http.get("clientCertificate")
    encrypted = bool(key_file) and key_is_encrypted(str(key_file))
    passphrase = _secret(
        args.client_key_passphrase_stdin,
        KEY_PASSPHRASE_ENV,
        "Passphrase of the client key: " if encrypted else None,
        "client key passphrase",
    )
    if passphrase:
        secrets["clientKeyPassphrase"] = passphrase
    elif encrypted:
        raise CliError(
            f"the client key {key_file} is encrypted; give its passphrase with "
            f"--client-key-passphrase-stdin or ${KEY_PASSPHRASE_ENV}, or run in a terminal",
            2,
        )
    return secrets
