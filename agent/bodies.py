"""A response body that is not the JSON a tracker's API answers, in a few words for an
error message: "an HTML page titled 'Bad Gateway'" (a proxy's page, a login page)."""

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

_TITLE = re.compile(r"<title>(.*?)</title>", re.I | re.S)


def describe_body(response: "httpx.Response") -> str:
    if not response.content:
        return "an empty body"
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if "html" in kind or response.content[:200].lstrip()[:1] == b"<":
        title = _TITLE.search(response.content[:20000].decode("utf-8", "replace"))
        if title and title.group(1).strip():
            name = " ".join(html.unescape(title.group(1)).split())[:80]
            return f"an HTML page titled {name!r}"
        return "an HTML page"
    return f"a {kind} body" if kind else "a body without a content type"
