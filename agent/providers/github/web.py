"""Where a GitHub instance's web pages, GraphQL endpoint and git remotes are, from its
API base URL: `https://api.github.com` is github.com (GraphQL at
`https://api.github.com/graphql`); Enterprise Server's `https://HOST/api/v3` is
`https://HOST` (GraphQL at `https://HOST/api/graphql`); any other base (a simulator at
the root of its host) is its own web address, with GraphQL at `{base}/graphql`."""

from urllib.parse import urlsplit, urlunsplit

from agent.providers.github.methods import DEFAULT_BASE_URL

GITHUB_COM = "https://github.com"
# The hosts github.com's remotes use (ssh.github.com: ssh over port 443).
GITHUB_COM_HOSTS = {"github.com", "www.github.com", "ssh.github.com"}
ENTERPRISE_API = "/api/v3"


def web_url(base_url: str) -> str:
    if base_url == DEFAULT_BASE_URL:
        return GITHUB_COM
    return base_url.removesuffix(ENTERPRISE_API)


def graphql_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.path.endswith(ENTERPRISE_API):
        path = parts.path.removesuffix(ENTERPRISE_API) + "/api/graphql"
    else:
        path = parts.path.rstrip("/") + "/graphql"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def remote_hosts(base_url: str) -> tuple[set[str], str]:
    """The hosts a remote of this instance is on, and the web path remotes carry."""
    if base_url == DEFAULT_BASE_URL:
        return GITHUB_COM_HOSTS, ""
    web = urlsplit(web_url(base_url))
    return ({web.hostname.lower()} if web.hostname else set()), web.path
