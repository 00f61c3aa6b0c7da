"""`projects/list`: the projects the user sees, read once per instance, `refresh`
reads them again."""

from create_flows import PROJECTS, connected
from jira_flows import FETCH, error_of
from wire import RawAgent

from agent.retry import ATTEMPTS
from simulators.jira_server import JiraSimulator
from simulators.jira_server.data import Project


def _project_requests(jira: JiraSimulator) -> int:
    return sum(1 for r in list(jira.request_log) if r.path.endswith("/rest/api/2/project"))


def test_projects_are_listed_cached_and_refreshed(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connected(agent, jira)
    projects = agent.call(PROJECTS, {"instanceId": instance_id})["result"]["projects"]
    assert projects == [{"key": p.key, "name": p.name, "id": p.id} for p in jira.store.projects]
    assert {"key": "DOC", "name": "Documentation Übersetzung", "id": "10003"} in projects
    assert _project_requests(jira) == 1
    with jira.store.lock:
        jira.store.projects.append(Project("10099", "NEW", "New One", "alice", ["10000"]))
    # Cached: the same answer without asking Jira, also after a fetch used the list.
    assert agent.call(PROJECTS, {"instanceId": instance_id})["result"]["projects"] == projects
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "limit": 5}, timeout=30)
    assert _project_requests(jira) == 1
    refreshed = agent.call(PROJECTS, {"instanceId": instance_id, "refresh": True})["result"]
    assert refreshed["projects"][-1] == {"key": "NEW", "name": "New One", "id": "10099"}
    assert _project_requests(jira) == 2


def test_a_failing_project_list_is_an_error_and_is_not_kept(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connected(agent, jira)
    jira.faults.html_502(ATTEMPTS, match="/rest/api/2/project")  # every attempt
    error = error_of(agent.call(PROJECTS, {"instanceId": instance_id}, timeout=30))
    assert error["code"] == -32004 and error["data"]["httpStatus"] == 502
    assert len(agent.call(PROJECTS, {"instanceId": instance_id})["result"]["projects"]) == 4


def test_projects_params_and_unknown_instances(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connected(agent, jira)
    error = error_of(agent.call(PROJECTS, {"instanceId": instance_id, "refresh": "yes"}))
    assert (error["code"], error["data"]["field"]) == (-32602, "refresh")
    error = error_of(agent.call(PROJECTS, {}))
    assert (error["code"], error["data"]["field"]) == (-32602, "instanceId")
    error = error_of(agent.call(PROJECTS, {"instanceId": "jira-server-nope"}))
    assert error["code"] == -32002 and error["data"]["instanceId"] == "jira-server-nope"
    assert _project_requests(jira) == 0
