"""Base URLs as the contract wants them: http(s) only, lower-case scheme and host,
no default port, no trailing slash, context path kept, no credentials.

What a user typed is never quoted back in an error: the field is where a pasted
token ends up by mistake. An error names at most what is safe (the scheme), and a
suggestion is built only from something shaped like a host name.
"""

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from agent.errors import InvalidParams

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Far longer than any real base URL; longer values are refused before they are parsed.
MAX_BASE_URL_LENGTH = 64 * 1024
# A provider passes its own (`normalize_base_url(..., example=...)`); Jira's is the default.
EXAMPLE = "e.g. https://jira.example.com or https://example.com/jira"

_ASCII_HOST = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")
# What a user plausibly meant when the scheme is missing: "jira.example.com:8080/jira".
_HOST_LIKE = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d{1,5})?(/[A-Za-z0-9._~/-]*)?")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,15}")


def normalize_base_url(raw: str, field: str = "fields.baseUrl", example: str = EXAMPLE) -> str:
    """The base URL normalised (scheme and host lower-case, default port and trailing
    slash dropped); -32602 on `field` with a hint that shows `example` otherwise."""
    if len(raw) > MAX_BASE_URL_LENGTH:
        raise _invalid(field, "The base URL is far too long to be a server address.", example)
    text = raw.strip()
    if not text:
        raise _invalid(field, "The base URL is empty.", example)
    if any(c.isspace() or not c.isprintable() for c in text):
        raise _invalid(field, "The base URL contains spaces or control characters.", example)
    if "://" not in text:
        suggestion = _suggestion(text)
        raise _invalid(
            field,
            "The base URL is not a full URL: it must start with https:// (or http://).",
            hint=f"e.g. {suggestion}" if suggestion else example,
        )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise _invalid(
            field, "The base URL is not a valid URL (its host or port cannot be read).", example
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        shown = f", not {scheme}://" if _SCHEME.fullmatch(scheme) else ""
        raise _invalid(field, f"Only http and https URLs are accepted{shown}.", example)
    if not parts.hostname:
        raise _invalid(field, "The base URL has no host name.", example)
    if parts.username is not None or parts.password is not None:
        raise _invalid(
            field,
            "The base URL must not contain a user name or password.",
            hint="Remove the user:password@ part; credentials go in their own fields.",
        )
    if parts.query or parts.fragment:
        raise _invalid(
            field,
            "The base URL must not have a query (?…) or fragment (#…).",
            hint=f"Use the address of the server itself ({example}).",
        )
    host = _host(parts.netloc.rpartition("@")[2], parts.hostname, field, example)
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    if any(_looks_secret(segment) for segment in path.split("/")):
        raise _invalid(
            field,
            "The base URL's path looks like it holds a token or password, not the server's "
            "context path.",
            hint=f"Enter the address you open the server at ({example}); a token goes in "
            "its own field.",
        )
    return urlunsplit((scheme, netloc, path, "", ""))


def _host(netloc: str, hostname: str, field: str, example: str) -> str:
    """The host, lower-case and ASCII (IDN hosts punycode-encoded, as httpx sends them)."""
    if ":" in hostname:  # an IPv6 literal
        try:
            return f"[{ipaddress.IPv6Address(hostname).compressed}]"
        except ValueError:
            raise _invalid(field, "The base URL's IPv6 address is not valid.", example) from None
    original = netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc
    if _looks_secret(original):
        raise _invalid(
            field,
            "The base URL's host name looks like a token or password, not a server address.",
            hint=f"Enter the address you open the server at ({example}); a token goes in "
            "its own field.",
        )
    host = hostname if hostname.isascii() else _idna(hostname, field, example)
    if len(host) > 253 or not _ASCII_HOST.fullmatch(host):
        raise _invalid(
            field, "The base URL's host name has characters a host name cannot have.", example
        )
    return host


def _idna(hostname: str, field: str, example: str) -> str:
    import httpx  # its IDNA 2008 rules decide what it can send: use them to decide here

    try:
        return httpx.URL(f"https://{hostname}/").raw_host.decode("ascii").lower()
    except (httpx.InvalidURL, UnicodeError):
        raise _invalid(
            field, "The base URL's host name is not a valid international domain name.", example
        ) from None


def _looks_secret(host: str) -> bool:
    """A label shaped like a token: long, and mixing cases and digits (or very long)."""
    for label in re.split(r"[.]", host):
        letters = any(c.isalpha() for c in label)
        digits = any(c.isdigit() for c in label)
        mixed = any(c.isupper() for c in label) and any(c.islower() for c in label)
        if len(label) >= 20 and mixed and digits:
            return True
        if len(label) >= 32 and letters and digits and "-" not in label:
            return True
    return False


def _suggestion(text: str) -> str | None:
    """`https://` + what was typed, if it is shaped like a host name (never a secret)."""
    candidate = text.lstrip("/")
    if not _HOST_LIKE.fullmatch(candidate) or len(candidate) > 200:
        return None
    if _looks_secret(candidate.split("/", 1)[0]):
        return None
    return f"https://{candidate}"


def _invalid(field: str, message: str, hint: str) -> InvalidParams:
    # A bad URL: enter the instance's settings again.
    return InvalidParams(field, message, hint=hint, action="configure")
