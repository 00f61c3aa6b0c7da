"""Searches leave out each issue's `project` (a quarter of Jira's answer) and name the
project from the project list instead; the issues must not notice."""

import json

from jira_flows import FETCH, connect
from wire import RawAgent

from agent.retry import ATTEMPTS
from simulators.jira_server import JiraSimulator
from simulators.jira_server.data import Project

ALL = "ORDER BY key ASC"


def _search_fields(jira: JiraSimulator) -> list[list[str]]:
    return [
        json.loads(r.body)["fields"]
        for r in list(jira.request_log)
        if r.path.endswith("/rest/api/2/search") and r.method == "POST"
    ]


def test_issues_name_their_project_without_asking_for_it(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    reply = agent.call(FETCH, {"instanceId": instance_id, "jql": ALL, "limit": 10000}, timeout=60)
    issues = reply["result"]["issues"]
    names = {p.key: p.name for p in jira.store.projects}
    assert len(issues) == len(jira.issues)
    assert all(
        i["project"] == {"key": i["key"].split("-")[0], "name": names[i["key"].split("-")[0]]}
        for i in issues
    )
    fields = _search_fields(jira)
    assert fields and all("project" not in f for f in fields)


def test_a_project_made_after_the_list_was_read_gets_its_name(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    assert "result" in agent.call(FETCH, {"instanceId": instance_id, "jql": ALL, "limit": 5})
    with jira.store.lock:
        template = jira.store.projects[0]
        jira.store.projects.append(
            Project("19999", "NEWP", "New Project", "alice", template.status_ids)
        )
    jira.store.add_issue("NEWP", "The first issue of a new project")
    reply = agent.call(FETCH, {"instanceId": instance_id, "jql": "project = NEWP"}, timeout=30)
    (issue,) = reply["result"]["issues"]
    assert issue["key"] == "NEWP-1"
    assert issue["project"] == {"key": "NEWP", "name": "New Project"}


def test_without_a_project_list_each_issue_carries_its_project(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    instance_id = connect(agent, jira)
    jira.faults.html_502(ATTEMPTS, match="/rest/api/2/project")  # every attempt
    reply = agent.call(FETCH, {"instanceId": instance_id, "jql": ALL, "limit": 60}, timeout=30)
    issues = reply["result"]["issues"]
    names = {p.key: p.name for p in jira.store.projects}
    assert len(issues) == 60
    assert all(i["project"]["name"] == names[i["project"]["key"]] for i in issues)
    assert all("project" in f for f in _search_fields(jira))
