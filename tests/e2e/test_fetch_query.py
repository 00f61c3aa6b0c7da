"""`issues/fetch` takes `query` (the tracker's own syntax; for Jira, JQL) beside `jql`,
and `providers/list` says which optional methods each provider supports."""

from jira_flows import FETCH, connect, error_of
from wire import RawAgent

from protocol.types import CAPABILITIES
from simulators.jira_server import JiraSimulator

OPS = "project = OPS ORDER BY key ASC"


def _keys(reply: dict[str, object]) -> list[str]:
    result = reply["result"]
    assert isinstance(result, dict)
    return [issue["key"] for issue in result["issues"]]


def test_query_searches_like_jql(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connect(agent, jira)
    by_query = agent.call(FETCH, {"instanceId": instance_id, "query": OPS}, timeout=30)
    by_jql = agent.call(FETCH, {"instanceId": instance_id, "jql": OPS}, timeout=30)
    expected = sorted(
        (i.key for i in jira.issues if i.key.startswith("OPS-")),
        key=lambda key: int(key.split("-")[1]),
    )
    assert _keys(by_query) == _keys(by_jql) == expected
    both = agent.call(FETCH, {"instanceId": instance_id, "query": OPS, "jql": OPS}, timeout=30)
    assert _keys(both) == expected


def test_two_different_searches_are_refused_naming_query(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    reply = agent.call(FETCH, {"instanceId": instance_id, "query": OPS, "jql": "project = WEB"})
    error = error_of(reply)
    assert error["code"] == -32602 and error["data"]["field"] == "query"
    assert not [r for r in jira.request_log if r.path.endswith("/search")]


def test_jira_server_lists_every_optional_method_as_a_capability(agent: RawAgent) -> None:
    providers = agent.call("issuebridge/providers/list", {})["result"]["providers"]
    jira = next(p for p in providers if p["id"] == "jira-server")
    assert sorted(jira["capabilities"]) == sorted(CAPABILITIES)
