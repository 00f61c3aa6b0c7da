"""Network settings per instance: checked, stored with the instance, merged over the
global ones.

The global `http` settings (`initializationOptions`, `workspace/didChangeConfiguration`)
apply to every instance; `providers/configure` may give an instance its own `http`,
whose set fields override the global ones field by field (the EFFECTIVE settings,
what `agent.net.make_client` gets). `insecureSkipVerify` exists only per instance:
turning TLS verification off for every server at once is refused.

An instance's `http` is stored in `config.json` with the instance (nothing secret:
paths, a proxy URL without its password, timeouts, switches); its `httpSecrets` live
in the secret store, in the instance's generation of secrets (`agent.store.unit`).
"""

import math
from typing import Any

import attrs

from agent.errors import InvalidParams
from agent.net_secrets import NetSecrets
from agent.secret import Secret
from protocol.converter import ParamsError, structure, unstructure
from protocol.types import HttpSecrets, HttpSettings

# Secret store names of an instance's network secrets (next to its credentials).
CLIENT_KEY_PASSPHRASE = "clientKeyPassphrase"
PROXY_PASSWORD = "proxyPassword"
SECRET_NAMES = (CLIENT_KEY_PASSPHRASE, PROXY_PASSWORD)


def effective(global_http: HttpSettings, instance_http: HttpSettings | None) -> HttpSettings:
    """The instance's own fields where set, the global ones elsewhere."""
    if instance_http is None:
        return global_http
    own = {
        field.name: value
        for field in attrs.fields(HttpSettings)
        if (value := getattr(instance_http, field.name)) is not None
    }
    return attrs.evolve(global_http, **own)


def check(http: HttpSettings, prefix: str, per_instance: bool) -> None:
    """Refuse values no request could use; `prefix` is the settings' JSON path
    (`initializationOptions.http`, `settings.http`, `http`). Raises ParamsError."""
    if http.timeout_seconds is not None and not 0 < http.timeout_seconds < math.inf:
        raise ParamsError(f"{prefix}.timeoutSeconds", "must be a positive number")
    operation = http.operation_timeout_seconds
    if operation is not None and not 0 < operation < math.inf:
        raise ParamsError(f"{prefix}.operationTimeoutSeconds", "must be a positive number")
    if http.insecure_skip_verify and not per_instance:
        raise ParamsError(
            f"{prefix}.insecureSkipVerify",
            "turning TLS verification off is a setting of one instance (providers/configure "
            "http.insecureSkipVerify), never a global one",
        )
    if http.proxy:
        # Global or per instance: a password never belongs in a settings file.
        from agent.proxy import proxy_problem

        problem = proxy_problem(http.proxy)
        if problem:
            raise ParamsError(f"{prefix}.proxy", problem)


def instance_http(params_http: HttpSettings | None) -> HttpSettings | None:
    """A configure's `http`, checked; None when it sets nothing."""
    if params_http is None:
        return None
    try:
        check(params_http, "http", per_instance=True)
    except ParamsError as exc:
        raise InvalidParams(exc.field, f"{exc.field} {exc.problem}.") from None
    return params_http if to_stored(params_http) else None


def secrets_of(params_secrets: HttpSecrets | None) -> dict[str, Secret]:
    """A configure's `httpSecrets` as secrets to store (empty values left out)."""
    if params_secrets is None:
        return {}
    values = {
        CLIENT_KEY_PASSPHRASE: params_secrets.client_key_passphrase,
        PROXY_PASSWORD: params_secrets.proxy_password,
    }
    return {name: Secret(value) for name, value in values.items() if value}


def net_secrets(stored: dict[str, Secret]) -> NetSecrets:
    return NetSecrets(
        client_key_passphrase=stored.get(CLIENT_KEY_PASSPHRASE),
        proxy_password=stored.get(PROXY_PASSWORD),
    )


def to_stored(http: HttpSettings) -> dict[str, Any] | None:
    """The settings as kept in config.json: their wire form, unset fields left out."""
    data = unstructure(http)
    return dict(data) if data else None


def from_stored(data: dict[str, Any] | None) -> HttpSettings | None:
    if not data:
        return None
    try:
        return structure(data, HttpSettings)
    except ParamsError:
        return None  # written by a newer agent, or edited by hand: the global ones apply
