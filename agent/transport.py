"""The httpx transport of an instance's client: each request goes direct or through
its proxy (`agent.proxy.proxy_for`), and the failures only this layer can tell apart
come out already explained (`Explained`): a proxy that wants credentials (407, on
CONNECT or on a forwarded request), refuses a CONNECT or cannot be reached, and a
server that asks for a client certificate or refuses the one sent.
"""

import ssl

import httpx

from agent import client_cert, proxy
from agent.errors import Unreachable
from agent.net_secrets import NetSecrets
from protocol.types import HttpSettings


class Explained(httpx.TransportError):
    """A transport failure with its user-facing error ready (`agent.net` passes it on)."""

    def __init__(self, error: Unreachable, request: httpx.Request) -> None:
        super().__init__(str(error), request=request)
        self.error = error


class Transport(httpx.AsyncBaseTransport):
    def __init__(
        self,
        http: HttpSettings,
        secrets: NetSecrets | None,
        context: ssl.SSLContext,
        limits: httpx.Limits,
    ) -> None:
        self._http = http
        self._secrets = secrets
        self._context = context
        self._limits = limits
        self._direct = self._transport(None)
        self._proxied: dict[tuple[str, str | None], httpx.AsyncHTTPTransport] = {}

    def _transport(self, route: proxy.Route | None) -> httpx.AsyncHTTPTransport:
        return httpx.AsyncHTTPTransport(
            verify=self._context,
            limits=self._limits,
            trust_env=False,  # the environment's proxies are read by agent.proxy
            proxy=route.httpx_proxy() if route is not None else None,
        )

    def _via(self, route: proxy.Route | None) -> httpx.AsyncHTTPTransport:
        if route is None:
            return self._direct
        key = (route.url, route.user)
        if key not in self._proxied:
            self._proxied[key] = self._transport(route)
        return self._proxied[key]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        route = proxy.proxy_for(self._http, self._secrets, str(request.url))
        try:
            response = await self._via(route).handle_async_request(request)
        except (httpx.TransportError, ssl.SSLError) as exc:
            failure = self._failure(exc, request, route)
            if failure is exc:
                raise
            raise failure from exc
        if route is not None and response.status_code == 407:
            await response.aclose()
            raise Explained(proxy.authentication_required(route), request)
        return response

    def _failure(
        self, exc: Exception, request: httpx.Request, route: proxy.Route | None
    ) -> Exception:
        where = _address(request.url)
        text = (str(exc) or exc.__class__.__name__).splitlines()[0][:300]
        if _is_tls(exc):
            explained = client_cert.explain(where, text, self._http)
            if explained is not None:
                return Explained(explained, request)
            if isinstance(exc, ssl.SSLError):
                # Raised bare when an alert arrives after the handshake (TLS 1.3).
                return httpx.ConnectError(text, request=request)
            return exc
        if route is not None and isinstance(exc, httpx.ProxyError):
            # A CONNECT never reaches the server: a 401 to it is the proxy's as well.
            if text.startswith(("407", "401")):
                return Explained(proxy.authentication_required(route, text), request)
            return Explained(proxy.refused(route, where, text), request)
        if route is not None and isinstance(exc, httpx.ConnectError):
            return Explained(proxy.unreachable_proxy(route, text), request)
        return exc

    async def aclose(self) -> None:
        for transport in [self._direct, *self._proxied.values()]:
            await transport.aclose()


def _address(url: httpx.URL) -> str:
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{host}:{url.port or (443 if url.scheme == 'https' else 80)}"


def _is_tls(exc: BaseException) -> bool:
    current: BaseException | None = exc
    seen = 0
    while current is not None and seen < 10:
        if isinstance(current, ssl.SSLError):
            return True
        current, seen = current.__cause__ or current.__context__, seen + 1
    return False
