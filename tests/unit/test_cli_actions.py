"""Every next step the agent can name (`data.action`) has the CLI's own words."""

from typing import get_args

from agent.cli.actions import Context, next_step
from protocol.types import ErrorAction


def test_every_action_has_words_and_names_no_protocol_method() -> None:
    context = Context(base_url="https://jira.example.com", instance_id="jira-server-1")
    for action in get_args(ErrorAction):
        step = next_step(action, {"path": "/tmp/store/secrets.json"}, context)
        assert step is not None, action
        assert "issuebridge/" not in step.text, step


def test_commands_carry_what_the_client_knows() -> None:
    token = Context(base_url="https://jira.example.com", instance_id="jira-server-1")
    configure = next_step("configure", {}, token)
    assert configure is not None
    assert configure.command == (
        "issuebridge configure jira-server --base-url https://jira.example.com --token-stdin"
    )
    oauth = Context(base_url="https://j.example", auth_method="oauth1", consumer_key="ck")
    step = next_step("configure", {}, oauth)
    assert step is not None and step.command is not None
    assert "--oauth --consumer-key ck --key-id" in step.command
    repair = next_step("repairStorage", {"path": "/x/secrets.json"}, token)
    assert repair is not None and "/x/secrets.json" in repair.text
    assert next_step("somethingNewer", {}, token) is None
