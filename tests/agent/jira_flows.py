"""Steps the Jira end-to-end tests share."""

from typing import Any

from wire import RawAgent

from simulators.jira_server import JiraSimulator

CONFIGURE = "issuebridge/providers/configure"
FETCH = "issuebridge/issues/fetch"


def configure_token(agent: RawAgent, base_url: str, token: str) -> dict[str, Any]:
    return agent.call(
        CONFIGURE,
        {
            "providerId": "jira-server",
            "authMethod": "token",
            "fields": {"baseUrl": base_url, "token": token},
        },
        timeout=20,
    )


def connect(agent: RawAgent, jira: JiraSimulator, user: str = "alice") -> str:
    reply = configure_token(agent, jira.base_url, jira.user(user).pat)
    assert "result" in reply, reply
    return str(reply["result"]["instance"]["instanceId"])


def expected_open_issues(jira: JiraSimulator, user: str) -> list[str]:
    """The default query's answer, worked out from the simulator's data directly."""
    mine = [i for i in jira.issues if i.assignee == user and i.resolution_id is None]
    mine.sort(key=lambda i: (i.updated, i.id), reverse=True)
    return [i.key for i in mine]


def error_of(reply: dict[str, Any]) -> dict[str, Any]:
    assert "error" in reply, reply
    return reply["error"]
