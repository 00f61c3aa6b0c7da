"""Steps the create-form end-to-end tests share."""

from typing import Any

from jira_flows import connect
from wire import RawAgent

from simulators.jira_server import JiraSimulator

PROJECTS = "issuebridge/projects/list"
FORM = "issuebridge/issues/createForm"
CREATE = "issuebridge/issues/create"

SEVERITY = "customfield_10010"
PLATFORMS = "customfield_10011"
CUSTOMER_SITE = "customfield_10014"
BUG, TASK, STORY, IMPROVEMENT = "1", "3", "10001", "4"


def createmeta_requests(jira: JiraSimulator) -> list[str]:
    """Every create-metadata request the simulator served, path and query."""
    return [
        f"{r.path}?{r.query_string}"
        for r in list(jira.request_log)
        if "/rest/api/2/issue/createmeta" in r.path
    ]


def form(agent: RawAgent, instance_id: str, project: str, issue_type: str | None = None) -> Any:
    params: dict[str, Any] = {"instanceId": instance_id, "projectKey": project}
    if issue_type is not None:
        params["issueType"] = issue_type
    return agent.call(FORM, params, timeout=30)


def create(
    agent: RawAgent, instance_id: str, project: str, issue_type: str, fields: dict[str, Any]
) -> Any:
    params = {
        "instanceId": instance_id,
        "projectKey": project,
        "issueType": issue_type,
        "fields": fields,
    }
    return agent.call(CREATE, params, timeout=30)


def connected(agent: RawAgent, jira: JiraSimulator) -> str:
    instance_id = connect(agent, jira)
    jira.request_log.clear()
    return instance_id
