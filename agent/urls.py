"""Base URLs as the contract wants them: http(s) only, lower-case scheme and host,
no default port, no trailing slash, context path kept, no credentials."""

from urllib.parse import urlsplit, urlunsplit

from agent.errors import InvalidParams

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_base_url(raw: str, field: str = "fields.baseUrl") -> str:
    text = raw.strip()
    if not text:
        raise InvalidParams(field, "The base URL is empty.", hint="e.g. https://jira.example.com")
    if "://" not in text:
        raise InvalidParams(
            field,
            f"{text!r} is not a full URL.",
            hint=f"Start it with https:// (or http://), e.g. https://{text.lstrip('/')}",
        )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidParams(field, f"{text!r} is not a valid URL ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InvalidParams(
            field,
            f"Only http and https URLs are accepted, not {scheme}://.",
            hint="e.g. https://jira.example.com",
        )
    if not parts.hostname:
        raise InvalidParams(field, f"{text!r} has no host name.")
    if parts.username is not None or parts.password is not None:
        raise InvalidParams(
            field,
            "The base URL must not contain a user name or password.",
            hint="Remove the user:password@ part; credentials go in their own fields.",
        )
    if parts.query or parts.fragment:
        raise InvalidParams(
            field,
            "The base URL must not have a query (?…) or fragment (#…).",
            hint="Use the address of Jira itself, e.g. https://example.com/jira",
        )
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, "", ""))
