"""Reading every page of a GitLab list.

GitLab pages by offset: `page` and `per_page` (at most 100). Each answer says where
the next page is in `X-Next-Page` (empty on the last) and, when the count is at most
10,000, the count in `X-Total`. Where `X-Next-Page` is absent (keyset pagination, or a
proxy that drops custom headers) the `Link` header's `rel="next"` URL is followed
instead; GitLab builds it with every parameter, so it is used as it is (on the same
host only).
"""

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx

MAX_PER_PAGE = 100
_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([a-z]+)"?')


def next_link(header: str) -> str | None:
    for url, rel in _LINK.findall(header):
        if rel == "next":
            return str(url)
    return None


def next_url(response: "httpx.Response", current: str, base_url: str) -> str | None:
    """Where the next page is, or None after the last."""
    said = response.headers.get("X-Next-Page")
    if said is not None:
        said = said.strip()
        if not said.isdigit():
            return None
        return _with_page(current, said)
    link = next_link(response.headers.get("Link", ""))
    if link is None:
        return None
    if urlsplit(link).netloc != urlsplit(base_url).netloc:
        return None  # a next page elsewhere is not followed with the token
    return link


def total_of(response: "httpx.Response") -> int | None:
    value = response.headers.get("X-Total", "").strip()
    return int(value) if value.isdigit() else None


def _with_page(url: str, page: str) -> str:
    if re.search(r"([?&])page=\d*", url):
        return re.sub(r"([?&])page=\d*", lambda m: f"{m[1]}page={page}", url, count=1)
    return f"{url}{'&' if '?' in url else '?'}page={page}"
