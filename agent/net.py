"""Network policy in one place: TLS, proxy, timeouts, and transport failures.

Every tracker request goes through an `httpx.AsyncClient` made here. TLS
verification is always on; a CA bundle or client certificate from the settings
is added to it, never a way around it. Every request has a timeout.
"""

import ssl
from typing import TYPE_CHECKING

from agent.errors import Unreachable
from protocol.types import HttpSettings

if TYPE_CHECKING:
    import httpx

USER_AGENT = "issuebridge"


def ssl_context(http: HttpSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if http.ca_bundle:
        try:
            context.load_verify_locations(cafile=http.ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise Unreachable(
                f"The CA bundle {http.ca_bundle} could not be loaded ({exc.__class__.__name__}).",
                hint="The CA bundle must be a PEM file of CA certificates.",
                action="setCaBundle",
                tls=True,
            ) from None
    if http.client_certificate:
        try:
            context.load_cert_chain(http.client_certificate)
        except (OSError, ssl.SSLError) as exc:
            raise Unreachable(
                f"The client certificate {http.client_certificate} could not be loaded "
                f"({exc.__class__.__name__}).",
                hint="The client certificate must be a PEM file with the certificate and its key.",
                tls=True,
            ) from None
    return context


def make_client(
    http: HttpSettings, timeout_seconds: float, auth: "httpx.Auth | None" = None
) -> "httpx.AsyncClient":
    import httpx

    return httpx.AsyncClient(
        verify=ssl_context(http),
        proxy=http.proxy or None,
        timeout=httpx.Timeout(timeout_seconds),
        auth=auth,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        follow_redirects=False,
        limits=httpx.Limits(max_connections=16, max_keepalive_connections=16),
    )


def transport_failure(exc: Exception, url: str, timeout_seconds: float) -> Unreachable:
    """The user-facing error for an httpx transport exception."""
    import httpx

    host = httpx.URL(url).host
    text = _describe(exc)
    if isinstance(exc, httpx.TimeoutException):
        return Unreachable(
            f"{host} did not answer within {timeout_seconds:g} seconds.",
            hint="Check that the server is up and reachable from this machine (VPN, proxy), "
            "or allow a longer timeout.",
            action="retry",
        )
    if _is_tls_failure(exc):
        return Unreachable(
            f"The TLS connection to {host} failed: {text}.",
            hint="If the server uses a certificate from your company's own CA, trust that CA "
            "with a CA bundle (its PEM file). Verification is never turned off.",
            action="setCaBundle",
            tls=True,
        )
    if isinstance(exc, httpx.ConnectError) and _is_dns_failure(text):
        return Unreachable(
            f"The host name {host} could not be resolved.",
            hint="Check the base URL for typos, and your network or VPN.",
            action="configure",
        )
    if isinstance(exc, httpx.ConnectError):
        return Unreachable(
            f"Could not connect to {host}: {text}.",
            hint="Check the base URL and port, and that the server is running.",
            action="retry",
        )
    if isinstance(exc, httpx.ProxyError):
        return Unreachable(
            f"The proxy refused the connection to {host}: {text}.",
            hint="Check the proxy setting.",
        )
    return Unreachable(
        f"The connection to {host} broke off: {text}.",
        hint="The server or a proxy in front of it closed the connection; try again.",
        action="retry",
    )


def _describe(exc: Exception) -> str:
    text = str(exc) or exc.__class__.__name__
    return text.splitlines()[0][:300]


def _is_tls_failure(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def _is_dns_failure(text: str) -> bool:
    markers = (
        "Name or service not known",
        "nodename nor servname",
        "getaddrinfo failed",
        "Temporary failure in name resolution",
        "No address associated",
    )
    return any(marker in text for marker in markers)


def redact_url(url: str) -> str:
    """The URL without its query (which may carry OAuth parameters), for logs."""
    return url.split("?", 1)[0]
