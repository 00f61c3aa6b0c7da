"""The GitHub simulator answers as GitHub's REST API documentation says: auth errors,
`Link` paging, pull requests in issue lists, search with 422s, rate-limit headers and
answers, faults, Enterprise Server's `/api/v3`, the admin API."""

import time
from collections.abc import Iterator

import httpx
import pytest

from simulators.github import GitHubSimulator


@pytest.fixture
def sim() -> Iterator[GitHubSimulator]:
    with GitHubSimulator() as started:
        yield started


def auth(sim: GitHubSimulator, login: str = "alice") -> dict[str, str]:
    return {"Authorization": f"Bearer {sim.user(login).token}"}


def test_user_needs_a_valid_token(sim: GitHubSimulator) -> None:
    missing = httpx.get(f"{sim.api_url}/user")
    assert missing.status_code == 401
    assert missing.json()["message"] == "Requires authentication"
    wrong = httpx.get(f"{sim.api_url}/user", headers={"Authorization": "Bearer ghp_nope"})
    assert wrong.status_code == 401
    assert wrong.json() == {
        "message": "Bad credentials",
        "documentation_url": "https://docs.github.com/rest",
        "status": "401",
    }
    me = httpx.get(f"{sim.api_url}/user", headers=auth(sim))
    assert me.status_code == 200
    assert me.json()["login"] == "alice"
    assert me.json()["name"] == "Alice Liddell"
    # The classic "token" scheme works as well as Bearer.
    classic = {"Authorization": f"token {sim.user('bob').token}"}
    assert httpx.get(f"{sim.api_url}/user", headers=classic).json()["login"] == "bob"


def test_every_answer_carries_the_rate_limit_headers(sim: GitHubSimulator) -> None:
    first = httpx.get(f"{sim.api_url}/user", headers=auth(sim))
    second = httpx.get(f"{sim.api_url}/user", headers=auth(sim))
    assert first.headers["x-ratelimit-limit"] == "5000"
    assert int(second.headers["x-ratelimit-remaining"]) == (
        int(first.headers["x-ratelimit-remaining"]) - 1
    )
    assert int(first.headers["x-ratelimit-reset"]) > time.time()
    assert first.headers["x-github-media-type"].startswith("github.v3")


def test_the_assigned_list_pages_by_link_and_includes_pull_requests(
    sim: GitHubSimulator,
) -> None:
    sim.page_cap = 10
    url: str | None = (
        f"{sim.api_url}/issues?filter=assigned&state=open&sort=updated&direction=desc&per_page=100"
    )
    seen = []
    pages = 0
    while url:
        answer = httpx.get(url, headers=auth(sim))
        assert answer.status_code == 200
        seen += answer.json()
        pages += 1
        url = answer.links.get("next", {}).get("url")
        if pages == 1:
            assert 'rel="last"' in answer.headers["Link"]
    assert pages >= 5
    pulls = [i for i in seen if "pull_request" in i]
    assert pulls, "pull requests are listed as issues, as GitHub does"
    issues = [f"{i['repository']['full_name']}#{i['number']}" for i in seen if i not in pulls]
    assert issues == [i.key for i in sim.data.open_assigned("alice")]
    assert all(i["state"] == "open" for i in seen)
    assert [i["updated_at"] for i in seen] == sorted((i["updated_at"] for i in seen), reverse=True)


def test_search_finds_issues_and_refuses_what_github_refuses(sim: GitHubSimulator) -> None:
    found = httpx.get(
        f"{sim.api_url}/search/issues",
        params={"q": "label:bug is:open is:issue", "sort": "updated", "order": "desc"},
        headers=auth(sim),
    ).json()
    assert found["total_count"] == len(found["items"]) > 0
    assert all(i["state"] == "open" and "repository" not in i for i in found["items"])
    assert all("bug" in [label["name"] for label in i["labels"]] for i in found["items"])
    mine = httpx.get(
        f"{sim.api_url}/search/issues", params={"q": "assignee:@me is:pr"}, headers=auth(sim)
    ).json()
    assert mine["items"] and all("pull_request" in i for i in mine["items"])
    empty = httpx.get(f"{sim.api_url}/search/issues", params={"q": ""}, headers=auth(sim))
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["code"] == "missing"
    unknown = httpx.get(
        f"{sim.api_url}/search/issues", params={"q": "repo:nobody/none"}, headers=auth(sim)
    )
    assert unknown.status_code == 422
    assert unknown.json()["message"] == "Validation Failed"
    assert "cannot be searched" in unknown.json()["errors"][0]["message"]


def test_list_failures_answer_as_github_does(sim: GitHubSimulator) -> None:
    url = f"{sim.api_url}/issues"
    sim.faults.fail_lists(429, 1)
    limited = httpx.get(url, headers=auth(sim))
    assert limited.status_code == 429
    assert limited.headers["x-ratelimit-remaining"] == "0"
    assert int(limited.headers["x-ratelimit-reset"]) > time.time()
    assert limited.json()["message"].startswith("API rate limit exceeded")
    sim.faults.fail_lists(403, 1, kind="secondary", retry_after=7)
    secondary = httpx.get(url, headers=auth(sim))
    assert secondary.status_code == 403
    assert secondary.headers["retry-after"] == "7"
    assert "secondary rate limit" in secondary.json()["message"]
    sim.faults.fail_lists(502, 1)
    assert httpx.get(url, headers=auth(sim)).status_code == 502
    assert httpx.get(url, headers=auth(sim)).status_code == 200
    # The user endpoint is never a list: not affected.
    sim.faults.fail_lists(500, 1)
    assert httpx.get(f"{sim.api_url}/user", headers=auth(sim)).status_code == 200
    assert sim.list_requests == 4


def test_the_primary_limit_spent_answers_403_until_the_reset(sim: GitHubSimulator) -> None:
    sim.rate_limit = 2
    for _ in range(2):
        assert httpx.get(f"{sim.api_url}/user", headers=auth(sim)).status_code == 200
    spent = httpx.get(f"{sim.api_url}/user", headers=auth(sim))
    assert spent.status_code == 403
    assert spent.headers["x-ratelimit-remaining"] == "0"
    # Another user has their own budget.
    assert httpx.get(f"{sim.api_url}/user", headers=auth(sim, "bob")).status_code == 200


def test_an_issue_its_comments_and_changes(sim: GitHubSimulator) -> None:
    issue = sim.data.open_assigned("alice")[0]
    url = f"{sim.api_url}/repos/{issue.repo}/issues/{issue.number}"
    assert httpx.get(url, headers=auth(sim)).json()["number"] == issue.number
    posted = httpx.post(f"{url}/comments", json={"body": "On it."}, headers=auth(sim))
    assert posted.status_code == 201
    assert posted.json()["user"]["login"] == "alice"
    comments = httpx.get(f"{url}/comments", headers=auth(sim)).json()
    assert comments[-1]["body"] == "On it."
    closed = httpx.patch(
        url, json={"state": "closed", "state_reason": "not_planned"}, headers=auth(sim)
    ).json()
    assert (closed["state"], closed["state_reason"]) == ("closed", "not_planned")
    reopened = httpx.patch(url, json={"state": "open"}, headers=auth(sim)).json()
    assert (reopened["state"], reopened["state_reason"]) == ("open", "reopened")
    assigned = httpx.patch(url, json={"assignees": ["bob", "nobody"]}, headers=auth(sim)).json()
    assert [a["login"] for a in assigned["assignees"]] == ["bob"]  # dropped silently
    bad = httpx.patch(url, json={"state": "done"}, headers=auth(sim))
    assert bad.status_code == 422
    missing = httpx.get(f"{sim.api_url}/repos/acme/widgets/issues/9999", headers=auth(sim))
    assert missing.status_code == 404
    assert missing.json()["message"] == "Not Found"


def test_enterprise_server_serves_the_api_under_api_v3() -> None:
    with GitHubSimulator(enterprise=True) as sim:
        assert sim.api_url.endswith("/api/v3")
        me = httpx.get(f"{sim.api_url}/user", headers=auth(sim))
        assert me.json()["login"] == "alice"
        assert me.headers["x-github-enterprise-version"]
        web = httpx.get(f"{sim.base_url}/user", headers=auth(sim))
        assert "html" in web.headers["content-type"]
        sim.page_cap = 5
        page = httpx.get(f"{sim.api_url}/issues", headers=auth(sim))
        assert page.links["next"]["url"].startswith(f"{sim.api_url}/issues?")


def test_the_admin_api_drives_the_simulator(sim: GitHubSimulator) -> None:
    admin = f"{sim.base_url}/_sim"
    assert httpx.put(f"{admin}/config", json={"pageSize": 7}).json()["pageSize"] == 7
    assert len(httpx.get(f"{sim.api_url}/issues", headers=auth(sim)).json()) == 7
    httpx.put(f"{admin}/faults", json={"status": 503, "count": 1})
    assert httpx.get(f"{sim.api_url}/issues", headers=auth(sim)).status_code == 503
    users = httpx.get(f"{admin}/users").json()
    assert {u["login"] for u in users} >= {"alice", "bob"}
    added = httpx.post(f"{admin}/users", json={"login": "dave"}).json()
    dave = {"Authorization": f"Bearer {added['token']}"}
    assert httpx.get(f"{sim.api_url}/user", headers=dave).json()["login"] == "dave"
    made = httpx.post(
        f"{admin}/issues", json={"repo": "acme/widgets", "title": "New", "assignees": ["dave"]}
    ).json()
    assert made["key"].startswith("acme/widgets#")
    assert httpx.get(f"{admin}/state").json()["listRequests"] == 2
    assert httpx.post(f"{admin}/tokens/revoke", json={"login": "dave"}).status_code == 204
    assert httpx.get(f"{sim.api_url}/user", headers=dave).status_code == 401
    assert httpx.get(f"{admin}/nothing").status_code == 404
