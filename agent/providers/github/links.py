"""RFC 8288 `Link` headers as GitHub sends them for pages:
`<https://api.github.com/issues?page=2>; rel="next", <…?page=5>; rel="last"`."""

import re
from urllib.parse import parse_qs, urlsplit

_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)")
_PARAM = re.compile(r'\s*;\s*([A-Za-z-]+)\s*=\s*"?([^";,]*)"?')


def parse_links(header: str | None) -> dict[str, str]:
    """rel -> URL; a rel of several words (`rel="next last"`) counts for each."""
    links: dict[str, str] = {}
    for match in _LINK.finditer(header or ""):
        url, params = match[1].strip(), match[2]
        for name, value in _PARAM.findall(params):
            if name.lower() == "rel":
                for rel in value.split():
                    links.setdefault(rel.lower(), url)
    return links


def page_number(url: str | None) -> int | None:
    """The `page` of a page URL, if it has a number there."""
    if not url:
        return None
    try:
        values = parse_qs(urlsplit(url).query).get("page")
    except ValueError:
        return None
    if values and values[0].isdigit():
        return int(values[0])
    return None
