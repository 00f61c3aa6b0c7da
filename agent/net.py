"""Network policy in one place: TLS, proxy, time and size limits, transport failures.

Every tracker request goes through an `httpx.AsyncClient` made here. TLS
(`agent.tls`) trusts the operating system's store and a CA bundle from the settings;
verification is off only for an instance whose settings say so explicitly. A refused
certificate is explained with its facts (`agent.tls_failures`). Every request has a
total deadline (not only a timeout per read: a server dripping a byte a second would
defeat that) and every answer a size limit, checked as it streams in (after
decompression).
"""

import asyncio
import contextlib
import math
import ssl
import weakref
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from agent.errors import RemoteError, Unreachable
from agent.net_secrets import NetSecrets
from agent.proxy import is_loopback, proxy_for
from protocol.types import HttpSettings

if TYPE_CHECKING:
    import httpx

USER_AGENT = "issuebridge"
# The largest answer read from a server: far above a 1000-issue search page (~5 MiB),
# far below what would hurt the editor's machine.
MAX_BODY_BYTES = 64 * 1024 * 1024


def ssl_context(http: HttpSettings, secrets: NetSecrets | None = None) -> ssl.SSLContext:
    """The TLS context for one instance's effective settings (see `agent.tls`)."""
    from agent import tls

    return tls.ssl_context(http, secrets)


def make_client(
    http: HttpSettings,
    timeout_seconds: float,
    auth: "httpx.Auth | None" = None,
    secrets: NetSecrets | None = None,
) -> "httpx.AsyncClient":
    """The pooled client of one instance. `http` is the instance's EFFECTIVE settings
    (its own fields over the global ones); `secrets` what they need that is secret."""
    import httpx

    from agent.transport import Transport

    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
    client = httpx.AsyncClient(
        transport=Transport(http, secrets, ssl_context(http, secrets), limits),
        trust_env=False,  # proxies from the environment: agent.proxy, per request
        timeout=httpx.Timeout(timeout_seconds),
        auth=auth,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        follow_redirects=False,
    )
    _CLIENT_SETTINGS[client] = http
    return client


# The settings each client was made with, for explaining its TLS failures.
_CLIENT_SETTINGS: "weakref.WeakKeyDictionary[httpx.AsyncClient, HttpSettings]" = (
    weakref.WeakKeyDictionary()
)


async def exchange(
    client: "httpx.AsyncClient", method: str, url: str, timeout_seconds: float, **kwargs: Any
) -> "httpx.Response":
    """One request and its whole answer, within `timeout_seconds` in all and
    `MAX_BODY_BYTES` in size. Transport failures come back as `unreachable`."""
    import httpx

    where = address(url)
    started = asyncio.get_running_loop().time()
    try:
        async with (
            within(timeout_seconds, where),
            client.stream(method, url, **kwargs) as streamed,
        ):
            body = await _read_capped(streamed, where)
    except httpx.DecodingError:
        raise RemoteError(
            f"{where} sent an answer that could not be decoded (a broken compressed body).",
            hint="A proxy in front of the server may be damaging answers; try again.",
            httpStatus=0,
            messages=["undecodable body"],
            action="retry",
        ) from None
    except (httpx.TransportError, ssl.SSLError) as exc:
        # (A TLS 1.3 alert after the handshake escapes httpx as a bare ssl.SSLError.)
        left = timeout_seconds - (asyncio.get_running_loop().time() - started)
        raise await _explained(client, exc, url, left) or transport_failure(
            exc, url, timeout_seconds
        ) from None
    # The body is decoded already: the copy must not decode it a second time.
    headers = [
        (name, value)
        for name, value in streamed.headers.multi_items()
        if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    return httpx.Response(
        streamed.status_code, headers=headers, content=body, request=streamed.request
    )


async def _explained(
    client: "httpx.AsyncClient", exc: Exception, url: str, seconds_left: float
) -> Unreachable | None:
    """A refused certificate explained with its facts, read within what is left of the
    request's deadline. Not through a proxy: a direct look could see another
    certificate than the one the proxy's tunnel presented."""
    from agent import tls_failures

    http = _CLIENT_SETTINGS.get(client)
    if http is None or _proxied(http, url):
        return None
    system_store = http.use_system_trust_store is not False
    return await tls_failures.explain(exc, url, seconds_left, system_store=system_store)


def _proxied(http: HttpSettings, url: str) -> bool:
    from agent.proxy import proxy_for

    return proxy_for(http, None, url) is not None


async def _read_capped(response: "httpx.Response", where: str) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large(response, where)
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _too_large(response, where)
    return bytes(body)


def _too_large(response: "httpx.Response", where: str) -> RemoteError:
    limit = f"{MAX_BODY_BYTES // (1024 * 1024)} MiB"
    return RemoteError(
        f"The answer from {where} was too large (over {limit}); the agent stopped reading it.",
        hint="No tracker answer is that large: a proxy or another server may be answering at "
        "this address. Check the base URL.",
        httpStatus=response.status_code,
        messages=[f"answer over {limit}"],
        action="configure",
    )


@contextlib.asynccontextmanager
async def within(seconds: float, where: str) -> AsyncIterator[None]:
    """A total deadline for what runs inside: one request (connect, send, headers and
    body), or a whole operation of many requests. Past it: `unreachable`, `retry`."""
    try:
        async with asyncio.timeout(seconds if math.isfinite(seconds) else None):
            yield
    except TimeoutError:
        raise did_not_answer(where, seconds) from None


def did_not_answer(where: str, seconds: float) -> Unreachable:
    return Unreachable(
        f"{where} did not answer within {_seconds(seconds)}.",
        hint="Check that the server is up and reachable from this machine (VPN, proxy), "
        "or allow a longer timeout.",
        action="retry",
    )


def _seconds(value: float) -> str:
    return "1 second" if value == 1 else f"{value:g} seconds"


def address(url: str) -> str:
    """`host:port` of a URL, the port always shown (a user may run Jira on several)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port or (443 if parts.scheme == 'https' else 80)}"


def transport_failure(exc: Exception, url: str, timeout_seconds: float) -> Unreachable:
    """The user-facing error for an httpx transport exception."""
    import httpx

    from agent.transport import Explained

    if isinstance(exc, Explained):
        return exc.error
    where = address(url)
    host = urlsplit(url).hostname or where
    text = _describe(exc)
    if isinstance(exc, httpx.TimeoutException):
        return did_not_answer(where, timeout_seconds)
    if _is_plain_http(exc):
        plain = "http://" + url.split("://", 1)[-1].split("/", 1)[0]
        return Unreachable(
            f"{where} speaks plain HTTP, not HTTPS: the TLS connection could not start.",
            hint=f"Use {plain} as the base URL, or the port where the server offers https://.",
            action="configure",
        )
    if _is_tls_failure(exc):
        return _tls_failure(where, text)
    if isinstance(exc, httpx.ConnectError) and _is_dns_failure(text):
        return Unreachable(
            f"The host name {host} could not be resolved.",
            hint="Check the base URL for typos, and your network or VPN.",
            action="configure",
            offline=True,  # a name that resolves only on the VPN: offline until it is back
        )
    if isinstance(exc, httpx.ConnectError):
        return Unreachable(
            f"Could not connect to {where}: {text}.",
            hint="Check the base URL and port, and that the server is running.",
            action="retry",
            transient=True,
        )
    if isinstance(exc, httpx.ProxyError):
        return Unreachable(
            f"The proxy refused the connection to {where}: {text}.",
            hint="Check the proxy setting (or the HTTPS_PROXY and HTTP_PROXY variables).",
            action="retry",
        )
    return Unreachable(
        f"The connection to {where} broke off: {text}.",
        hint="The server or a proxy in front of it closed the connection; try again.",
        action="retry",
        transient=isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError),
    )


def _tls_failure(where: str, text: str) -> Unreachable:
    lowered = text.lower()
    if "hostname mismatch" in lowered or "ip address mismatch" in lowered:
        return Unreachable(
            f"The certificate of {where} is for another name: {text}.",
            hint="Use the host name the certificate was issued for in the base URL.",
            tls=True,
            action="configure",
        )
    if "expired" in lowered:
        return Unreachable(
            f"The certificate of {where} has expired: {text}.",
            hint="The server's administrator must renew its certificate.",
            tls=True,
        )
    return Unreachable(
        f"The TLS connection to {where} failed: {text}.",
        hint="If the server uses a certificate from your company's own CA, trust that CA "
        "with a CA bundle (its PEM file). Verification stays on.",
        tls=True,
        action="setCaBundle",
    )


def _describe(exc: Exception) -> str:
    text = str(exc) or exc.__class__.__name__
    return text.splitlines()[0][:300]


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not s for s in seen):
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _is_tls_failure(exc: BaseException) -> bool:
    return any(
        isinstance(c, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(c) for c in _causes(exc)
    )


# What OpenSSL says when the other side answers a TLS hello in plain HTTP.
_PLAIN_HTTP_MARKERS = ("WRONG_VERSION_NUMBER", "wrong version number")


def _is_plain_http(exc: BaseException) -> bool:
    return any(marker in str(c) for c in _causes(exc) for marker in _PLAIN_HTTP_MARKERS)


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


def cleartext_warning(base_url: str, http: HttpSettings) -> str | None:
    """A warning when credentials to `base_url` would travel unencrypted: http:// to
    another machine, or through a proxy (the setting, or HTTP(S)_PROXY as httpx reads
    them). http:// to this machine without a proxy never leaves it: no warning."""
    parts = urlsplit(base_url)
    if parts.scheme != "http":
        return None
    route = proxy_for(http, None, base_url)
    if route is not None:
        return (
            f"{base_url} uses http://: the credentials and every answer travel unencrypted, "
            f"through the proxy {route.address} as well. Use https:// if the server offers it."
        )
    if is_loopback(parts.hostname or ""):
        return None
    return (
        f"{base_url} uses http://: the credentials and every answer travel unencrypted "
        "over the network. Use https:// if the server offers it."
    )
