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


def test_an_oauth2_instance_is_configured_again_with_its_client_id_and_redirect_uri() -> None:
    context = Context(base_url="https://j.example", instance_id="jira-server-2")
    context.about(
        {
            "instanceId": "jira-server-2",
            "baseUrl": "https://j.example",
            "authMethod": "oauth2",
            "settings": {"clientId": "0a1b2c", "redirectUri": "http://127.0.0.1:50123/cb"},
        }
    )
    step = next_step("configure", {}, context)
    assert step is not None
    assert step.command == (
        "issuebridge configure jira-server --base-url https://j.example --oauth2 "
        "--client-id 0a1b2c --client-secret-stdin --redirect-uri http://127.0.0.1:50123/cb"
    )
    # The secret is read, never put on the command line.
    assert "secret-stdin" in step.text and "0a1b2c" in step.text
    unknown = next_step(
        "configure", {}, Context(base_url="https://j.example", auth_method="oauth2")
    )
    assert unknown is not None and unknown.command is not None
    assert "--oauth2 --client-id ID --client-secret-stdin" in unknown.command
    assert "--redirect-uri" not in unknown.command


def test_a_jira_too_old_for_oauth2_is_pointed_at_a_token_or_oauth1() -> None:
    context = Context(base_url="https://old.example", auth_method="oauth2", client_id="0a1b")
    step = next_step("configure", {"kind": "unsupportedServer"}, context)
    assert step is not None
    assert (
        step.command
        == "issuebridge configure jira-server --base-url https://old.example --token-stdin"
    )
    assert "--oauth" in step.text and "--oauth2" not in step.text


def test_a_redirect_port_in_use_points_at_the_out_of_band_path() -> None:
    context = Context(instance_id="jira-server-2")
    data = {"kind": "invalidParams", "field": "callback", "port": 43917}
    step = next_step(None, data, context)
    assert step is not None
    assert step.command == "issuebridge authorize --instance jira-server-2 --oob"
    assert next_step(None, {"kind": "invalidParams", "field": "callback"}, context) is None
