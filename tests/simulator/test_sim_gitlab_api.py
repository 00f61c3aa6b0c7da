"""The GitLab simulator answers as GitLab's REST API v4 documents: tokens, paging
headers, parameter errors, rate-limit answers, the admin API."""

from collections.abc import Iterator

import httpx
import pytest

from simulators.__main__ import available
from simulators.gitlab import GitLabSimulator
from simulators.gitlab.cli import main


@pytest.fixture
def gitlab() -> Iterator[GitLabSimulator]:
    with GitLabSimulator() as sim:
        yield sim


def get(sim: GitLabSimulator, path: str, token: str | None = None, **params: str) -> httpx.Response:
    headers = {"PRIVATE-TOKEN": token or sim.user("alice").token}
    return httpx.get(f"{sim.base_url}/api/v4{path}", params=params, headers=headers, timeout=10)


def test_found_by_folder() -> None:
    assert "gitlab" in available()


def test_tokens_as_private_token_or_bearer(gitlab: GitLabSimulator) -> None:
    assert get(gitlab, "/user").json()["username"] == "alice"
    bearer = httpx.get(
        f"{gitlab.base_url}/api/v4/user",
        headers={"Authorization": f"Bearer {gitlab.user('bob').token}"},
        timeout=10,
    )
    assert bearer.json()["username"] == "bob"
    refused = get(gitlab, "/user", token="glpat-wrong")
    assert refused.status_code == 401 and refused.json() == {"message": "401 Unauthorized"}
    assert all(
        "<redacted>" in (r.headers.get("PRIVATE-TOKEN") or r.headers.get("Authorization", ""))
        for r in gitlab.request_log
    )


def test_offset_paging_headers(gitlab: GitLabSimulator) -> None:
    mine = gitlab.open_assigned("alice")
    assert len(mine) > 30
    params = {
        "scope": "assigned_to_me",
        "state": "opened",
        "order_by": "updated_at",
        "sort": "desc",
    }
    first = get(gitlab, "/issues", per_page="10", **params)
    assert first.headers["X-Page"] == "1" and first.headers["X-Next-Page"] == "2"
    assert first.headers["X-Prev-Page"] == "" and first.headers["X-Total"] == str(len(mine))
    assert first.headers["X-Total-Pages"] == str(-(-len(mine) // 10))
    assert 'rel="next"' in first.headers["Link"] and 'rel="last"' in first.headers["Link"]
    last_page = first.headers["X-Total-Pages"]
    last = get(gitlab, "/issues", per_page="10", page=last_page, **params)
    assert last.headers["X-Next-Page"] == ""
    keys = []
    for page in range(1, int(last_page) + 1):
        keys += [
            i["references"]["full"]
            for i in get(gitlab, "/issues", per_page="10", page=str(page), **params).json()
        ]
    assert keys == mine
    capped = get(gitlab, "/issues", per_page="500", **params)
    assert capped.headers["X-Per-Page"] == "100"


def test_no_total_past_the_count_limit(gitlab: GitLabSimulator) -> None:
    gitlab.api.count_limit = 3
    answer = get(gitlab, "/issues", scope="assigned_to_me", per_page="5")
    assert "X-Total" not in answer.headers and "X-Total-Pages" not in answer.headers
    assert 'rel="last"' not in answer.headers["Link"]
    assert answer.headers["X-Next-Page"] == "2"


def test_parameters_outside_their_values(gitlab: GitLabSimulator) -> None:
    answer = get(gitlab, "/issues", scope="mine")
    assert answer.status_code == 400
    assert answer.json() == {"error": "scope does not have a valid value"}
    assert get(gitlab, "/projects/nope%2Fnothing").json() == {"message": "404 Project Not Found"}


def test_faults_answer_as_gitlab(gitlab: GitLabSimulator) -> None:
    gitlab.faults.fail_lists(429, 1)
    limited = get(gitlab, "/issues")
    assert limited.status_code == 429 and limited.text == "Retry later\n"
    assert limited.headers["Retry-After"] == "60"
    assert limited.headers["RateLimit-Remaining"] == "0"
    assert get(gitlab, "/issues").status_code == 200
    gitlab.faults.fail_lists(500, 1)
    assert get(gitlab, "/issues").json() == {"message": "500 Internal Server Error"}
    assert get(gitlab, "/user").status_code == 200  # only lists fail


def test_admin_api(gitlab: GitLabSimulator) -> None:
    admin = f"{gitlab.base_url}/_sim"
    httpx.post(f"{admin}/page-size", json={"size": 5}, timeout=10)
    httpx.post(f"{admin}/faults", json={"status": 503, "count": 2, "latencySeconds": 0}, timeout=10)
    httpx.post(
        f"{admin}/users", json={"username": "dave", "token": "glpat-dave-123456"}, timeout=10
    )
    state = httpx.get(f"{admin}/state", timeout=10).json()
    assert state["pageSize"] == 5 and state["listFault"] == {"status": 503, "count": 2}
    assert get(gitlab, "/user", token="glpat-dave-123456").json()["username"] == "dave"


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"], prog="issuebridge-sim gitlab")
    assert "issuebridge-sim gitlab" in capsys.readouterr().out
