"""The GitHub provider's pieces without a server: its form, base URLs, keys, `Link`
headers, the issue shape, rate-limit answers, the search it sends."""

import time

import httpx
import pytest

from agent.errors import InvalidParams
from agent.providers.github import PROVIDER, failures, fetch, issues, links
from agent.providers.github.provider import api_base_url
from protocol.converter import unstructure


def test_the_form_has_a_default_api_url_and_a_secret_token() -> None:
    (method,) = PROVIDER.auth_methods()
    assert method.id == "token"
    base, token = method.fields
    assert (base.name, base.kind, base.default) == ("baseUrl", "url", "https://api.github.com")
    assert (token.name, token.kind, token.required) == ("token", "secret", True)


def test_configuration_defaults_and_normalises_the_base_url() -> None:
    parsed = PROVIDER.parse_configuration("token", {"token": " ghp_abc "})
    assert parsed.base_url == "https://api.github.com"
    assert parsed.secrets["token"].reveal() == "ghp_abc"
    enterprise = PROVIDER.parse_configuration(
        "token", {"baseUrl": "https://GHE.example.com/api/v3/", "token": "t"}
    )
    assert enterprise.base_url == "https://ghe.example.com/api/v3"
    assert api_base_url("https://github.com") == "https://api.github.com"
    with pytest.raises(InvalidParams) as bad:
        PROVIDER.parse_configuration("token", {"baseUrl": "ftp://x", "token": "t"})
    assert bad.value.field == "fields.baseUrl"
    with pytest.raises(InvalidParams) as spaced:
        PROVIDER.parse_configuration("token", {"token": "ghp a"})
    assert spaced.value.field == "fields.token"
    with pytest.raises(InvalidParams):
        PROVIDER.parse_configuration("oauth1", {"token": "t"})


def test_keys_name_owner_repository_and_number() -> None:
    assert issues.parse_key("octo-org/hello.world#12") == ("octo-org", "hello.world", 12)
    for wrong in ("CORE-12", "octo/repo", "octo/repo#0", "-x/repo#1", "a/b#12#3"):
        with pytest.raises(InvalidParams):
            issues.parse_key(wrong)


def test_link_headers_give_each_relation() -> None:
    header = (
        '<https://api.github.com/issues?per_page=10&page=2>; rel="next", '
        '<https://api.github.com/issues?per_page=10&page=5>; rel="last"'
    )
    found = links.parse_links(header)
    assert found["next"].endswith("page=2")
    assert links.page_number(found["last"]) == 5
    assert links.parse_links(None) == {}
    assert links.parse_links('<https://x/?page=3>; rel="prev first"') == {
        "prev": "https://x/?page=3",
        "first": "https://x/?page=3",
    }


RAW = {
    "id": 7,
    "number": 12,
    "title": "Broken",
    "html_url": "https://github.com/acme/widgets/issues/12",
    "repository_url": "https://api.github.com/repos/acme/widgets",
    "state": "closed",
    "updated_at": "2026-01-02T03:04:05Z",
    "assignees": [{"login": "alice"}, {"login": "bob"}],
    "labels": [{"name": "bug"}],
}


def test_an_issue_becomes_the_contracts_shape() -> None:
    wire = issues.to_wire(RAW)
    assert wire == unstructure(issues.to_issue(RAW))
    assert wire["key"] == "acme/widgets#12"
    assert wire["project"] == {"key": "acme/widgets", "name": "acme/widgets"}
    assert wire["status"] == {"name": "Closed", "category": "done"}
    assert wire["assignee"] == {"name": "alice", "displayName": "alice"}
    # Among several assignees, the connected user is the one shown.
    assert issues.to_wire(RAW, me="Bob")["assignee"]["name"] == "bob"
    assert wire["url"] == RAW["html_url"]
    embedded = {**RAW, "repository": {"full_name": "acme/other"}, "state": "open"}
    assert issues.to_wire(embedded)["key"] == "acme/other#12"
    assert issues.to_wire(embedded)["status"]["category"] == "todo"
    assert issues.is_pull_request({**RAW, "pull_request": {"url": "x"}})
    assert issues.entry_problem({"number": 1}) is not None


def response(status: int, headers: dict[str, str], body: bytes = b"{}") -> httpx.Response:
    return httpx.Response(
        status, headers=headers, content=body, request=httpx.Request("GET", "https://x/")
    )


def test_rate_limit_answers_become_rate_limited_with_a_finite_wait() -> None:
    reset = str(int(time.time()) + 120)
    primary = failures.rate_limited(
        response(403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset})
    )
    assert primary is not None
    assert 100 <= primary.data["retryAfterSeconds"] <= 120
    secondary = failures.rate_limited(response(429, {"retry-after": "30"}))
    assert secondary is not None and secondary.data["retryAfterSeconds"] == 30
    worded = failures.rate_limited(
        response(403, {}, b'{"message": "You have exceeded a secondary rate limit."}')
    )
    assert worded is not None and worded.data["retryAfterSeconds"] == 60
    huge = failures.rate_limited(
        response(429, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1e400"})
    )
    assert huge is not None and huge.data["retryAfterSeconds"] == 3600
    forbidden = response(403, {}, b'{"message": "Resource not accessible"}')
    assert failures.rate_limited(forbidden) is None


def test_searches_ask_for_issues_newest_update_first() -> None:
    url = fetch.search_url("label:bug", 100)
    assert "q=label%3Abug+is%3Aissue" in url
    assert "sort=updated" in url and "order=desc" in url
    assert "is%3Aissue+is%3Aissue" not in fetch.search_url("is:issue label:bug", 10)
    assert "is%3Aissue" not in fetch.search_url("is:pr", 10)
    default = fetch.default_url(50)
    for part in ("filter=assigned", "state=open", "sort=updated", "direction=desc", "per_page=50"):
        assert part in default


@pytest.mark.parametrize(
    "base_url", ["https://example.com/?q=1", "example.com", "https://h/ghp_AbCdEfGhIjKlMnOp1234"]
)
def test_base_url_errors_speak_of_github(base_url: str) -> None:
    with pytest.raises(InvalidParams) as bad:
        PROVIDER.parse_configuration("token", {"baseUrl": base_url, "token": "t"})
    assert bad.value.field == "fields.baseUrl"
    words = f"{bad.value.message} {bad.value.hint}".lower()
    assert "jira" not in words
