"""The Jira Cloud simulator speaks REST v3 as Atlassian documents it: enhanced search
with `nextPageToken`/`isLast` and no total, ids only without `fields`, 410 Gone for the
old search, Basic email:token, ADF bodies, accountId users, the admin API, the CLI."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulators.__main__ import available
from simulators.jira_cloud import JiraCloudSimulator
from simulators.jira_cloud.data import adf

ROOT = Path(__file__).resolve().parents[2]
MINE = "assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC"


@pytest.fixture
def cloud() -> Iterator[JiraCloudSimulator]:
    with JiraCloudSimulator() as sim:
        yield sim


def client(sim: JiraCloudSimulator, user: str = "alice") -> httpx.Client:
    account = sim.user(user)
    return httpx.Client(base_url=sim.base_url, auth=(account.email, account.api_token), timeout=10)


def search(http: httpx.Client, **body: Any) -> httpx.Response:
    return http.post("/rest/api/3/search/jql", json=body)


def test_server_info_is_cloud_and_anonymous(cloud: JiraCloudSimulator) -> None:
    info = httpx.get(f"{cloud.base_url}/rest/api/3/serverInfo").json()
    assert info["deploymentType"] == "Cloud"
    assert info["versionNumbers"] == [1001, 0, 0]


def test_myself_has_an_account_id_and_no_name(cloud: JiraCloudSimulator) -> None:
    me = client(cloud).get("/rest/api/3/myself").json()
    assert me["accountId"] == cloud.user("alice").account_id
    assert "name" not in me and "key" not in me
    assert me["emailAddress"] == "alice@example.com"


def test_wrong_token_is_401_in_plain_text(cloud: JiraCloudSimulator) -> None:
    answer = httpx.get(
        f"{cloud.base_url}/rest/api/3/myself", auth=("alice@example.com", "wrong"), timeout=10
    )
    assert answer.status_code == 401
    assert answer.text == "Client must be authenticated to access this resource."
    assert answer.headers["Content-Type"].startswith("text/plain")


def test_enhanced_search_pages_with_tokens_and_no_total(cloud: JiraCloudSimulator) -> None:
    http = client(cloud)
    keys: list[str] = []
    token = None
    pages = 0
    while True:
        body: dict[str, Any] = {"jql": MINE, "maxResults": 10, "fields": ["summary"]}
        if token:
            body["nextPageToken"] = token
        page = search(http, **body).json()
        pages += 1
        assert "total" not in page and "startAt" not in page
        keys += [i["key"] for i in page["issues"]]
        if page["isLast"]:
            assert "nextPageToken" not in page
            break
        token = page["nextPageToken"]
    assert pages == 4 and len(keys) == 37 == len(set(keys))
    alice = cloud.user("alice").account_id
    expected = sorted(
        (i for i in cloud.issues if i.assignee == alice and not i.resolved),
        key=lambda i: i.updated,
        reverse=True,
    )
    assert keys == [i.key for i in expected]


def test_without_fields_only_ids(cloud: JiraCloudSimulator) -> None:
    page = search(client(cloud), jql=MINE, maxResults=3).json()
    assert all(set(i) == {"id"} for i in page["issues"])


def test_get_form_of_the_search(cloud: JiraCloudSimulator) -> None:
    answer = client(cloud).get(
        "/rest/api/3/search/jql", params={"jql": MINE, "maxResults": 5, "fields": "summary,status"}
    )
    issue = answer.json()["issues"][0]
    assert set(issue["fields"]) == {"summary", "status"}
    assert issue["fields"]["status"]["statusCategory"]["key"] in ("new", "indeterminate")


def test_page_cap_and_token_of_another_query(cloud: JiraCloudSimulator) -> None:
    cloud.page_cap = 4
    http = client(cloud)
    page = search(http, jql=MINE, maxResults=50, fields=["summary"]).json()
    assert len(page["issues"]) == 4
    other = search(http, jql="project = CORE", nextPageToken=page["nextPageToken"])
    assert other.status_code == 400
    assert "token" in other.json()["errorMessages"][0]


@pytest.mark.parametrize("path", ["/rest/api/3/search", "/rest/api/2/search"])
def test_the_old_search_is_gone(cloud: JiraCloudSimulator, path: str) -> None:
    answer = client(cloud).post(path, json={"jql": MINE})
    assert answer.status_code == 410
    assert "/rest/api/3/search/jql" in answer.json()["errorMessages"][0]


@pytest.mark.parametrize(
    ("jql", "words"),
    [
        ("", "Unbounded"),
        ("ORDER BY updated DESC", "Unbounded"),
        ("foo = bar", "Field 'foo' does not exist"),
        ("assignee = = currentUser(", "Expecting"),
        ("project = CORE ORDER BY nonsense", "Not able to sort"),
    ],
)
def test_bad_jql_is_400_with_jiras_words(cloud: JiraCloudSimulator, jql: str, words: str) -> None:
    answer = search(client(cloud), jql=jql)
    assert answer.status_code == 400
    body = answer.json()
    assert words in body["errorMessages"][0]
    assert body["errors"] == {}


def test_jql_clauses(cloud: JiraCloudSimulator) -> None:
    http = client(cloud)

    def keys(jql: str) -> list[str]:
        return [i["key"] for i in search(http, jql=jql, fields=["summary"]).json()["issues"]]

    assert keys("key = CORE-1") == ["CORE-1"]
    assert keys("key in (CORE-1, WEB-1) ORDER BY key ASC") == ["CORE-1", "WEB-1"]
    assert set(keys("project = WEB")) == {i.key for i in cloud.issues if i.project == "WEB"}
    assert keys("assignee is EMPTY AND project = CORE") == [
        i.key
        for i in sorted(cloud.issues, key=lambda i: i.created, reverse=True)
        if i.assignee is None and i.project == "CORE"
    ]
    assert keys('summary ~ "billing" AND statusCategory = Done') == [
        i.key
        for i in sorted(cloud.issues, key=lambda i: i.created, reverse=True)
        if "billing" in i.summary and i.resolved
    ]


def test_faults_429_with_cloud_headers_then_normal(cloud: JiraCloudSimulator) -> None:
    cloud.fail_lists(429, 1, retry_after=7)
    http = client(cloud)
    limited = search(http, jql=MINE)
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "7"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert "X-RateLimit-Reset" in limited.headers
    assert search(http, jql=MINE).status_code == 200
    assert cloud.list_requests == 2


def test_comments_take_adf_only(cloud: JiraCloudSimulator) -> None:
    http = client(cloud)
    refused = http.post("/rest/api/3/issue/CORE-1/comment", json={"body": "plain text"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"comment": "Comment body is not valid!"}
    made = http.post("/rest/api/3/issue/CORE-1/comment", json={"body": adf("Hello")})
    assert made.status_code == 201
    assert made.json()["body"] == adf("Hello")
    assert made.json()["author"]["accountId"] == cloud.user("alice").account_id


def test_assign_by_account_id_only(cloud: JiraCloudSimulator) -> None:
    http = client(cloud)
    bob = cloud.user("bob").account_id
    assert http.put("/rest/api/3/issue/CORE-1/assignee", json={"name": "bob"}).status_code == 400
    assert http.put("/rest/api/3/issue/CORE-1/assignee", json={"accountId": bob}).status_code == 204
    issue = http.get("/rest/api/3/issue/CORE-1", params={"fields": "assignee"}).json()
    assert issue["fields"]["assignee"]["accountId"] == bob
    assert (
        http.put("/rest/api/3/issue/CORE-1/assignee", json={"accountId": None}).status_code == 204
    )


def test_unknown_issue_is_404(cloud: JiraCloudSimulator) -> None:
    answer = client(cloud).get("/rest/api/3/issue/NOPE-1")
    assert answer.status_code == 404
    assert answer.json()["errorMessages"]


def test_admin_api(cloud: JiraCloudSimulator) -> None:
    admin = httpx.Client(base_url=f"{cloud.base_url}/_sim", timeout=10)
    assert admin.post("/page-size", json={"size": 3}).status_code == 204
    assert admin.post("/latency", json={"seconds": 0}).status_code == 204
    assert admin.post("/faults", json={"status": 500, "count": 1}).status_code == 204
    user = {"name": "carol", "email": "carol@example.com", "token": "tok-carol"}
    assert admin.post("/users", json=user).status_code == 204
    carol = client(cloud, "carol")
    assert search(carol, jql=MINE).status_code == 500
    assert len(search(carol, jql="project = CORE", fields=["summary"]).json()["issues"]) == 3
    state = admin.get("/state").json()
    assert state["listRequests"] == 2 and state["pageCap"] == 3
    assert "carol@example.com" in {u["email"] for u in state["users"]}


def test_found_by_the_simulator_command() -> None:
    assert "jira-cloud" in available()
    process = subprocess.Popen(
        [sys.executable, "-m", "simulators", "jira-cloud", "--page-size", "5"],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        info = httpx.get(f"{base_url}/rest/api/3/serverInfo", timeout=10).json()
        assert info["deploymentType"] == "Cloud"
    finally:
        process.terminate()
        process.wait(10)
