"""What a user reads when a server is not Jira, or answers a page instead of JSON."""

from jira_flows import FETCH, configure_token, connect, error_of
from wire import RawAgent

from agent.retry import ATTEMPTS
from simulators.jira_server import JiraSimulator


def test_a_misspelt_context_path_says_the_status_once_and_that_no_jira_answered(
    agent: RawAgent, jira: JiraSimulator
) -> None:
    error = error_of(configure_token(agent, f"{jira.base_url}x", jira.user("alice").pat))
    assert error["code"] == -32005
    message = error["message"]
    assert message.count("HTTP 404") == 1, message
    assert "Jira answered" not in message, message  # it says no Jira REST API answered


def test_an_html_error_page_says_the_status_once(agent: RawAgent, jira: JiraSimulator) -> None:
    instance_id = connect(agent, jira)
    jira.faults.html_502(ATTEMPTS, match="/search")  # every attempt
    error = error_of(agent.call(FETCH, {"instanceId": instance_id}, timeout=20))
    assert error["code"] == -32004
    assert error["message"].count("HTTP 502") == 1, error["message"]
