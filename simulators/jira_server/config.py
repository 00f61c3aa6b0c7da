"""Simulator settings. Mutable on purpose: tests change them while the server runs."""

from __future__ import annotations

from dataclasses import dataclass


def parse_version(version: str) -> tuple[int, int, int]:
    parts = [int(p) for p in version.split(".")[:3]]
    while len(parts) < 3:
        parts.append(0)
    return parts[0], parts[1], parts[2]


@dataclass
class SimulatorConfig:
    version: str = "9.12.0"
    # Jira installs often live below a context path; "" serves at the root.
    context_path: str = "/jira"
    # jira.search.views.default.max: the server-side cap on search page size.
    max_results_cap: int = 1000
    # The most create-metadata fields or issue types one page gives (the paged 8.4+
    # endpoints; Jira's default page is 50). Small values make a form take several pages.
    createmeta_max_results: int = 50
    seed: int = 1
    issue_count: int = 300
    https: bool = False
    # The server certificate in HTTPS mode: "good", "wrong-host", "expired" or
    # "self-signed" (see tls.py). Read when the simulator starts.
    tls_mode: str = "good"
    # With https: demand a client certificate issued by the simulator's client CA
    # (`JiraSimulator.client_certificates`), as a client-certificate gateway does.
    require_client_certificate: bool = False
    # A user name approves every authorize request as that user; "deny" denies them.
    oauth_auto_approve: str | None = None
    port: int = 0
    deployment_type: str = "Server"
    request_token_ttl_seconds: float = 600.0
    access_token_ttl_seconds: float = 157680000.0
    timestamp_window_seconds: int = 300
    # Failed password logins before Jira demands a CAPTCHA
    # (jira.maximum.authentication.attempts.allowed).
    captcha_threshold: int = 3
    # False: every anonymous REST call is refused with 401, serverInfo included (as behind
    # a proxy that demands a login); a client must then send its credentials to learn more.
    anonymous_access: bool = True
    # False: the search ignores `validateQuery` and validates every query, as something
    # in front of Jira (or a server that does not know the option) would.
    honour_validate_query: bool = True

    def __post_init__(self) -> None:
        self.context_path = normalise_context_path(self.context_path)
        parse_version(self.version)

    @property
    def version_tuple(self) -> tuple[int, int, int]:
        return parse_version(self.version)


def normalise_context_path(path: str) -> str:
    path = path.strip()
    if path in ("", "/"):
        return ""
    if not path.startswith("/"):
        path = "/" + path
    return path.rstrip("/")
