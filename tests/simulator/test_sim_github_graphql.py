"""The GitHub simulator's GraphQL endpoint answers as GitHub does: data with aliases,
`NOT_FOUND` errors with their path beside `null`, validation errors without data, parse
errors, pagination boundaries, 401 without a token, Enterprise's `/api/graphql`."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simulators.github import GitHubSimulator


@pytest.fixture
def github() -> Iterator[GitHubSimulator]:
    with GitHubSimulator() as sim:
        yield sim


def ask(sim: GitHubSimulator, query: str, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"bearer {token or sim.user('alice').token}"}
    return httpx.post(f"{sim.base_url}/graphql", json={"query": query}, headers=headers, timeout=10)


def errors_of(answer: httpx.Response) -> list[dict[str, Any]]:
    assert answer.status_code == 200
    errors = answer.json()["errors"]
    assert isinstance(errors, list)
    return errors


def test_aliases_fragments_and_not_found(github: GitHubSimulator) -> None:
    pull = next(i for i in github.data.issues if i.pull_request)
    owner, name = pull.repo.split("/")
    query = f"""query Lookup {{
      viewer {{ login __typename }}
      r0: repository(owner: "{owner}", name: "{name}") {{
        nameWithOwner
        i0: issue(number: 1) {{ ...issue }}
        i1: issue(number: {pull.number}) {{ ...issue }}
      }}
      r1: repository(owner: "nobody", name: "nothing") {{ i0: issue(number: 1) {{ number }} }}
    }}
    fragment issue on Issue {{
      number state assignees(first: 5) {{ totalCount nodes {{ login }} }}
    }}
    """
    answer = ask(github, query)
    body = answer.json()
    assert body["data"]["viewer"] == {"login": "alice", "__typename": "User"}
    r0 = body["data"]["r0"]
    assert r0["nameWithOwner"] == pull.repo and r0["i0"]["number"] == 1
    assert r0["i0"]["state"] in ("OPEN", "CLOSED")
    assert r0["i1"] is None and body["data"]["r1"] is None
    paths = {tuple(e["path"]): e for e in errors_of(answer)}
    assert set(paths) == {("r0", "i1"), ("r1",)}
    assert all(e["type"] == "NOT_FOUND" for e in paths.values())
    assert paths[("r1",)]["message"] == (
        "Could not resolve to a Repository with the name 'nobody/nothing'."
    )
    assert paths[("r0", "i1")]["message"] == (
        f"Could not resolve to an Issue with the number of {pull.number}."
    )


def test_validation_errors_come_without_data(github: GitHubSimulator) -> None:
    unknown = ask(github, "{ viewer { login nickname } }")
    assert "data" not in unknown.json()
    (error,) = errors_of(unknown)
    assert error["extensions"] == {
        "code": "undefinedField",
        "typeName": "User",
        "fieldName": "nickname",
    }
    assert error["path"] == ["query", "viewer", "nickname"]
    (missing,) = errors_of(ask(github, '{ repository(owner: "acme") { name } }'))
    assert missing["extensions"]["code"] == "missingRequiredArguments"
    (scalar,) = errors_of(ask(github, "{ viewer }"))
    assert scalar["extensions"]["code"] == "selectionMismatch"
    (undefined,) = errors_of(ask(github, "{ viewer { ...nope } }"))
    assert undefined["extensions"]["code"] == "useAndDefineFragment"
    looping = errors_of(ask(github, "{ viewer { ...a } } fragment a on User { ...a }"))
    assert "infinite loop" in looping[0]["message"]


def test_parse_errors_and_pagination(github: GitHubSimulator) -> None:
    (parse,) = errors_of(ask(github, "{ viewer { login }"))
    assert parse["locations"] and "data" not in parse
    (bad,) = errors_of(ask(github, "{ viewer { login } } }"))
    assert bad["message"].startswith('Parse error on "}"')
    unbounded = ask(
        github,
        '{ repository(owner: "acme", name: "widgets") { issue(number: 1) { assignees '
        "{ totalCount } } } }",
    )
    assert errors_of(unbounded)[0]["type"] == "MISSING_PAGINATION_BOUNDARIES"
    excessive = ask(
        github,
        '{ repository(owner: "acme", name: "widgets") { issue(number: 1) { assignees'
        "(first: 101) { totalCount } } } }",
    )
    assert errors_of(excessive)[0]["type"] == "EXCESSIVE_PAGINATION"


def test_authentication_and_enterprise() -> None:
    with GitHubSimulator() as sim:
        refused = httpx.post(f"{sim.base_url}/graphql", json={"query": "{ viewer { login } }"})
        assert refused.status_code == 401
        assert refused.json()["message"] == "This endpoint requires you to be authenticated."
        assert ask(sim, "{ viewer { login } }", token="ghp_wrong").status_code == 401
    with GitHubSimulator(enterprise=True) as sim:
        headers = {"Authorization": f"token {sim.user('alice').token}"}
        answer = httpx.post(
            f"{sim.base_url}/api/graphql", json={"query": "{ viewer { login } }"}, headers=headers
        )
        assert answer.json() == {"data": {"viewer": {"login": "alice"}}}
