"""Which proxy a request goes through, and what a proxy's refusal means.

- Loopback (127.0.0.0/8, ::1, localhost) is never proxied, whatever the settings or
  the environment say: a proxy cannot reach this machine's own ports, and traffic to
  them must not leave it. (Tests lift this with a test hook, see `testing_hooks`.)
- `NO_PROXY` (host names, `.domain` suffixes, IP addresses or CIDR ranges, `*`) is
  honoured for the `http.proxy` setting and the environment alike, as curl does.
- `http.proxy` (`http://[user@]host:port`) is used for every other host; else the
  environment's `HTTPS_PROXY` / `HTTP_PROXY` by the target's scheme, then `ALL_PROXY`.
- The proxy's password is never in a settings file: it comes from
  `httpSecrets.proxyPassword` (the secret store); a `http.proxy` URL carrying one is
  refused (`proxy_problem`). A password in an environment variable's URL is used as
  given there. No message names a password, only the proxy's host:port and user.
"""

import ipaddress
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import attrs

from agent import testing_hooks
from agent.errors import Unreachable
from agent.net_secrets import NetSecrets
from agent.secret import Secret
from protocol.types import HttpSettings

if TYPE_CHECKING:
    import httpx


@attrs.frozen
class Route:
    """A proxy to send a request through."""

    url: str  # scheme://host:port, without credentials
    source: str  # where it was set, for messages: "http.proxy", "HTTPS_PROXY", …
    user: str | None = None
    password: Secret | None = None

    @property
    def address(self) -> str:
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        return f"{host}:{parts.port or (443 if parts.scheme == 'https' else 80)}"

    def httpx_proxy(self) -> "httpx.Proxy":
        import httpx

        if self.user is None:
            return httpx.Proxy(self.url)
        password = self.password.reveal() if self.password is not None else ""
        return httpx.Proxy(self.url, auth=(self.user, password))


def proxy_problem(value: str) -> str | None:
    """What is wrong with a `http.proxy` setting, or None. Never quotes the value."""
    parts = urlsplit(value if "://" in value else f"http://{value}")
    if parts.scheme not in ("http", "https"):
        return "must be an http:// or https:// proxy URL (http://host:port)"
    try:
        parts.port  # noqa: B018 - a bad port raises here
    except ValueError:
        return "has a port that is not a number from 1 to 65535"
    if not parts.hostname:
        return "must name the proxy's host (http://host:port)"
    if parts.password is not None:
        return (
            "must not hold a password: settings files are no place for one. Give the user "
            "in the URL (http://user@host:port) and the password as "
            "httpSecrets.proxyPassword in the instance's configuration (kept in the secret "
            "store)"
        )
    return None


def proxy_for(http: HttpSettings, secrets: NetSecrets | None, url: str) -> Route | None:
    """The proxy for a request to `url`, or None to connect directly."""
    import urllib.request

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if is_loopback(host) and not testing_hooks.proxy_loopback():
        return None
    environment = urllib.request.getproxies_environment()
    if bypassed(host, environment.get("no", "")):
        return None
    if http.proxy:
        password = secrets.proxy_password if secrets is not None else None
        return _route(http.proxy, "http.proxy", password)
    scheme = "https" if parts.scheme == "https" else "http"
    for key in (scheme, "all"):
        if environment.get(key):
            return _route(environment[key], f"{key.upper()}_PROXY", None)
    return None


def _route(value: str, source: str, password: Secret | None) -> Route:
    parts = urlsplit(value if "://" in value else f"http://{value}")
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    try:
        port = parts.port
    except ValueError:
        port = None
    url = f"{parts.scheme}://{host}" + (f":{port}" if port else "")
    user = unquote(parts.username) if parts.username else None
    if parts.password is not None:  # only from the environment: settings refuse it
        password = Secret(unquote(parts.password))
    return Route(url, source, user, password if user is not None else None)


def bypassed(host: str, no_proxy: str) -> bool:
    """Whether `NO_PROXY` exempts `host`: `*`, a name or `.suffix`, an IP, a CIDR range."""
    address = _ip(host)
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        name = entry.split("://")[-1]
        if address is not None and "/" in name:
            try:
                if address in ipaddress.ip_network(name, strict=False):
                    return True
            except ValueError:
                pass
            continue
        if name.startswith("[") and "]" in name:
            name = name[1 : name.index("]")]
        elif name.count(":") == 1:
            name = name.split(":")[0]
        name = name.lstrip("*").lstrip(".")
        if name and (host == name or host.endswith(f".{name}")):
            return True
    return False


def is_loopback(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address = _ip(host)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address is not None and address.is_loopback


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


# --- what a proxy's failure means --------------------------------------------------


def authentication_required(
    route: Route, status: str = "407 Proxy Authentication Required"
) -> Unreachable:
    """407 Proxy Authentication Required (or a 401 to a CONNECT, which some proxies send
    for wrong credentials: tinyproxy does): the proxy's credentials, not Jira's. So it
    is `unreachable` (the tracker was never reached) with `action: configure`, not
    `authenticationFailed`, which would send the user to re-enter Jira credentials."""
    if route.user is None:
        problem = "asks for a user name and password, and none is set"
    elif route.password is None:
        problem = f"refused the user {route.user!r} without a password"
    else:
        problem = f"refused the user name and password of {route.user!r}"
    return Unreachable(
        f"The proxy {route.address} ({route.source}) {problem} ({status}).",
        hint="Give the proxy's user in http.proxy (http://user@host:port) and its password "
        "as httpSecrets.proxyPassword in the instance's configuration.",
        action="configure",
    )


def refused(route: Route, where: str, status: str) -> Unreachable:
    """The proxy answered CONNECT with an error status."""
    return Unreachable(
        f"The proxy {route.address} ({route.source}) did not connect to {where}: {status}.",
        hint="The proxy may not allow this host or port, or cannot reach it; check the "
        "base URL, and ask whoever runs the proxy.",
        action="retry",
    )


def unreachable_proxy(route: Route, text: str) -> Unreachable:
    return Unreachable(
        f"Could not connect to the proxy {route.address} ({route.source}): {text}.",
        hint="Check the proxy setting (http.proxy, or the HTTPS_PROXY and HTTP_PROXY "
        "variables) and that the proxy is running.",
        action="retry",
        transient=True,  # refused or cut, like a server's: an idempotent request may retry
    )
