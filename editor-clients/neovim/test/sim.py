"""The test's hands on the Jira simulator: its admin API, a search straight
against its REST API (the expectation the plugin's list is compared with), and
a browser's GET of an authorize page. Standard library only; every request has
a timeout. Prints JSON on stdout.

    sim.py BASE admin METHOD ROUTE [JSON]
    sim.py BASE search TOKEN JQL
    sim.py BASE issue TOKEN KEY
    sim.py BASE browse URL
    sim.py BASE location URL
    sim.py BASE freeport
"""

import json
import re
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT = 20


def admin(base: str, method: str, route: str, body: str | None = None) -> object:
    request = urllib.request.Request(
        f"{base}/_sim/{route}",
        method=method,
        data=body.encode() if body is not None else None,
        headers={"Content-Type": "application/json"} if body is not None else {},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        text = response.read().decode()
    return json.loads(text) if text else None


def search(base: str, token: str, jql: str) -> object:
    """Every key the query matches, page by page (the cap may be low)."""
    keys: list[str] = []
    total = None
    while total is None or len(keys) < total:
        query = urllib.parse.urlencode(
            {"jql": jql, "startAt": len(keys), "maxResults": 1000, "fields": "summary"}
        )
        request = urllib.request.Request(
            f"{base}/rest/api/2/search?{query}", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            page = json.load(response)
        total = page["total"]
        if not page["issues"]:
            break
        keys.extend(issue["key"] for issue in page["issues"])
    return {"total": total, "keys": keys}


def issue(base: str, token: str, key: str) -> object:
    """One issue's key, summary and status name, straight from the REST API."""
    query = urllib.parse.urlencode({"fields": "summary,status"})
    request = urllib.request.Request(
        f"{base}/rest/api/2/issue/{urllib.parse.quote(key)}?{query}",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        found = json.load(response)
    fields = found["fields"]
    return {"key": found["key"], "summary": fields["summary"], "status": fields["status"]["name"]}


def browse(url: str) -> object:
    """GET as a browser would, following redirects (to the agent's callback)."""
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        body = response.read().decode(errors="replace")
        final = response.geturl()
    code = re.search(r'id="verifier">([^<]+)<', body)
    return {"url": final, "verifier": code.group(1) if code else None}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def location(url: str) -> object:
    """Where the page redirects the browser: the address a user copies when
    nothing listens there (an OAuth 2.0 redirect URI, out of band)."""
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(url, timeout=TIMEOUT) as response:
            return {"status": response.status, "location": response.headers.get("Location")}
    except urllib.error.HTTPError as redirect:
        return {"status": redirect.code, "location": redirect.headers.get("Location")}


def freeport() -> object:
    """A port free on 127.0.0.1 now (for an OAuth 2.0 redirect URI)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return {"port": probe.getsockname()[1]}


def main(argv: list[str]) -> None:
    base, command, *args = argv
    if command == "admin":
        result = admin(base, *args)
    elif command == "search":
        result = search(base, *args)
    elif command == "issue":
        result = issue(base, *args)
    elif command == "browse":
        result = browse(*args)
    elif command == "location":
        result = location(*args)
    elif command == "freeport":
        result = freeport()
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
