"""The provider conformance suite: what every tracker behind issuebridge does alike.

Each test runs once per harness (tests/providers/harnesses/, see conftest.py), against
the provider's simulator on 127.0.0.1 and the agent as a subprocess over raw stdio. A
provider is done when it passes. What each test asserts is listed in docs/providers.md.
"""

import base64
import math
import re
import stat
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from providers.harness import ProviderHarness
from wire import RawAgent, agent_env

from agent.retry import ATTEMPTS, RATE_LIMIT_RETRIES
from protocol.types import CAPABILITIES

LIST = "issuebridge/providers/list"
CONFIGURE = "issuebridge/providers/configure"
FETCH = "issuebridge/issues/fetch"
GET = "issuebridge/issues/get"

AUTHENTICATION_FAILED = -32001
UNREACHABLE = -32003
REMOTE_ERROR = -32004
UNSUPPORTED = -32005
RATE_LIMITED = -32006
INVALID_PARAMS = -32602
METHOD_NOT_FOUND = -32601
INTERNAL_ERROR = -32603
CANCELLED = -32800

# Generous bounds on a hang of a loaded runner, never a speed requirement.
CALL = 60.0


# --- steps ----------------------------------------------------------------------------


def configure(agent: RawAgent, harness: ProviderHarness, fields: dict[str, str]) -> dict[str, Any]:
    params = {"providerId": harness.provider_id, "authMethod": harness.auth_method}
    return agent.call(CONFIGURE, {**params, "fields": fields}, timeout=CALL)


def connect(agent: RawAgent, harness: ProviderHarness) -> str:
    reply = configure(agent, harness, harness.fields(harness.user))
    assert "result" in reply, reply
    instance = reply["result"]["instance"]
    assert instance["state"] == "connected", instance
    return str(instance["instanceId"])


def fetch(agent: RawAgent, instance_id: str, **params: Any) -> dict[str, Any]:
    return agent.call(FETCH, {"instanceId": instance_id, **params}, timeout=CALL)


def result_of(reply: dict[str, Any]) -> dict[str, Any]:
    assert "result" in reply, reply
    result = reply["result"]
    assert isinstance(result, dict)
    return result


def error_of(reply: dict[str, Any], code: int) -> dict[str, Any]:
    assert "error" in reply, reply
    error = reply["error"]
    assert isinstance(error, dict)
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"].strip(), error
    return error


def keys_of(result: dict[str, Any]) -> list[str]:
    return [issue["key"] for issue in result["issues"]]


def listed(agent: RawAgent, harness: ProviderHarness) -> dict[str, Any]:
    providers = result_of(agent.call(LIST, {}))["providers"]
    found = [p for p in providers if p["id"] == harness.provider_id]
    assert len(found) == 1, [p["id"] for p in providers]
    provider = found[0]
    assert isinstance(provider, dict)
    return provider


def secret_fields(agent: RawAgent, harness: ProviderHarness) -> set[str]:
    """The names of the fields the harness's auth method marks secret."""
    provider = listed(agent, harness)
    method = next(m for m in provider["authMethods"] if m["id"] == harness.auth_method)
    return {f["name"] for f in method["fields"] if f["kind"] in ("secret", "multilineSecret")}


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Until `condition` holds (something happened in the simulator, `what`); a hang is
    caught by the test's timeout (pytest-timeout), not by a clock here."""
    while not condition():
        time.sleep(0.01)


def pages(count: int, size: int) -> int:
    return -(-count // size)


def open_keys(harness: ProviderHarness) -> list[str]:
    """The user's open issues, checked to need more than three small pages."""
    expected = harness.expected_open_keys(harness.user)
    assert len(expected) > 3 * harness.small_page_size, (
        f"the harness's user needs more than {3 * harness.small_page_size} open issues"
    )
    assert len(set(expected)) == len(expected), "keys repeat in expected_open_keys"
    return expected


def fetch_in_small_pages(
    agent: RawAgent, harness: ProviderHarness, **params: Any
) -> tuple[list[str], dict[str, Any], int]:
    """Connect and fetch in the harness's small pages: the keys the default fetch
    should give, the result, and how many list requests the fetch made."""
    instance_id = connect(agent, harness)
    expected = open_keys(harness)
    harness.set_page_size(harness.small_page_size)
    before = harness.list_requests()
    result = result_of(fetch(agent, instance_id, **params))
    return expected, result, harness.list_requests() - before


def check_issue_shape(issue: dict[str, Any], harness: ProviderHarness, open_: bool) -> None:
    assert isinstance(issue["id"], str) and issue["id"], issue
    assert isinstance(issue["key"], str) and issue["key"], issue
    assert isinstance(issue["title"], str), issue
    assert re.match(r"https?://[^/\s]+", issue["url"]), issue
    assert issue["status"]["name"], issue
    category = issue["status"]["category"]
    assert category in (("todo", "inProgress") if open_ else ("todo", "inProgress", "done"))
    assert issue["project"]["key"] and isinstance(issue["project"]["name"], str), issue
    updated = datetime.fromisoformat(issue["updatedAt"].replace("Z", "+00:00"))
    assert updated.tzinfo is not None, issue["updatedAt"]
    if "assignee" in issue:
        assert issue["assignee"]["name"] and isinstance(issue["assignee"]["displayName"], str)


def updated_at(issue: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(issue["updatedAt"].replace("Z", "+00:00"))


# --- configure --------------------------------------------------------------------------


def test_the_provider_is_listed_with_the_form_the_harness_fills(
    agent: RawAgent, harness: ProviderHarness
) -> None:
    provider = listed(agent, harness)
    assert provider["name"] and provider["kind"] == "issues"
    methods = {m["id"]: m for m in provider["authMethods"]}
    assert harness.auth_method in methods, list(methods)
    fields = {f["name"]: f for f in methods[harness.auth_method]["fields"]}
    sent = harness.fields(harness.user)
    assert set(sent) <= set(fields), (sorted(sent), sorted(fields))
    assert {name for name, f in fields.items() if f["required"]} <= set(sent)
    assert "baseUrl" in fields
    # Every secret the harness sends travels in a field the form marks secret.
    for name, value in sent.items():
        if value in harness.secrets(harness.user):
            assert fields[name]["kind"] in ("secret", "multilineSecret"), fields[name]
    capabilities = provider["capabilities"]
    assert set(capabilities) <= set(CAPABILITIES), capabilities
    assert len(set(capabilities)) == len(capabilities)


def test_configure_connects_as_the_user(agent: RawAgent, harness: ProviderHarness) -> None:
    reply = configure(agent, harness, harness.fields(harness.user))
    instance = result_of(reply)["instance"]
    assert instance["state"] == "connected", instance
    assert instance["providerId"] == harness.provider_id
    assert instance["authMethod"] == harness.auth_method
    assert instance["baseUrl"] == harness.base_url.rstrip("/")
    user = instance["user"]
    assert isinstance(user["name"], str) and user["name"], user
    assert isinstance(user["displayName"], str) and user["displayName"], user
    named = harness.expected_user_name(harness.user)
    if named is not None:
        assert user["name"] == named
    change = agent.wait_for(lambda m: m.get("method") == "issuebridge/providers/didChange")
    providers = change["params"]["providers"]
    mine = next(p for p in providers if p["id"] == harness.provider_id)
    assert [i["instanceId"] for i in mine["instances"]] == [instance["instanceId"]]
    # Configuring the same base URL again keeps the instance (and its id).
    again = result_of(configure(agent, harness, harness.fields(harness.user)))["instance"]
    assert again["instanceId"] == instance["instanceId"]
    assert len(listed(agent, harness)["instances"]) == 1


def test_wrong_credentials_are_refused_and_nothing_is_stored(
    agent: RawAgent, harness: ProviderHarness, home: Path
) -> None:
    wrong = harness.wrong_fields()
    error = error_of(configure(agent, harness, wrong), AUTHENTICATION_FAILED)
    assert error["data"]["kind"] == "authenticationFailed"
    assert error["data"]["action"] == "configure"  # re-enter the credentials
    assert listed(agent, harness)["instances"] == []
    said = str(error)
    refused = [v for k, v in wrong.items() if k in secret_fields(agent, harness)]
    assert refused, "wrong_fields() carries no secret field"
    stored = b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
    for value in refused:
        assert value not in said
        assert value.encode() not in stored


def test_wrong_credentials_leave_a_connected_instance_as_it_was(
    agent: RawAgent, harness: ProviderHarness
) -> None:
    instance_id = connect(agent, harness)
    wrong = harness.wrong_fields()
    assert wrong["baseUrl"] == harness.fields(harness.user)["baseUrl"]
    error_of(configure(agent, harness, wrong), AUTHENTICATION_FAILED)
    instances = listed(agent, harness)["instances"]
    assert [(i["instanceId"], i["state"]) for i in instances] == [(instance_id, "connected")]
    assert result_of(fetch(agent, instance_id, limit=1))["issues"]


def test_a_required_field_left_out_is_invalid_params_on_it(
    agent: RawAgent, harness: ProviderHarness
) -> None:
    method = next(
        m for m in listed(agent, harness)["authMethods"] if m["id"] == harness.auth_method
    )
    # A field with a default (GitHub's baseUrl) may be left out: the default stands.
    required = [f["name"] for f in method["fields"] if f["required"] and not f.get("default")]
    assert required
    for name in required:
        for fields in (
            {k: v for k, v in harness.fields(harness.user).items() if k != name},
            {**harness.fields(harness.user), name: "  "},
        ):
            error = error_of(configure(agent, harness, fields), INVALID_PARAMS)
            assert error["data"]["field"] == f"fields.{name}", (name, error)
    assert listed(agent, harness)["instances"] == []


@pytest.mark.parametrize(
    "base_url", ["ftp://127.0.0.1/tracker", "http://", "127.0.0.1:8080 /x", "javascript:alert(1)"]
)
def test_an_unusable_base_url_is_invalid_params_on_the_field(
    agent: RawAgent, harness: ProviderHarness, base_url: str
) -> None:
    fields = {**harness.fields(harness.user), "baseUrl": base_url}
    error = error_of(configure(agent, harness, fields), INVALID_PARAMS)
    assert error["data"]["kind"] == "invalidParams"
    assert error["data"]["field"] == "fields.baseUrl"
    assert listed(agent, harness)["instances"] == []


# --- fetching ---------------------------------------------------------------------------


def test_the_default_fetch_reads_every_page_past_the_page_size(
    agent: RawAgent, harness: ProviderHarness
) -> None:
    expected, result, requests = fetch_in_small_pages(agent, harness)
    assert keys_of(result) == expected  # all of them, once each, newest update first
    assert result["total"] == len(expected)
    assert requests >= pages(len(expected), harness.small_page_size)
    for issue in result["issues"]:
        check_issue_shape(issue, harness, open_=True)
    moments = [updated_at(i) for i in result["issues"]]
    assert moments == sorted(moments, reverse=True)
    named = harness.expected_user_name(harness.user)
    if named is not None:
        assert {i["assignee"]["name"] for i in result["issues"]} == {named}


def test_limit_returns_exactly_that_many_with_fewer_requests(
    agent: RawAgent, harness: ProviderHarness
) -> None:
    limit = harness.small_page_size + 1
    expected, result, requests = fetch_in_small_pages(agent, harness, limit=limit)
    assert keys_of(result) == expected[:limit]
    assert result["total"] >= limit
    assert 2 <= requests < pages(len(expected), harness.small_page_size), requests


def test_query_returns_what_the_trackers_search_finds(
    agent: RawAgent, harness: ProviderHarness
) -> None:
    instance_id = connect(agent, harness)
    query, expected = harness.query()
    assert expected, "the harness's query should find something"
    harness.set_page_size(harness.small_page_size)
    result = result_of(fetch(agent, instance_id, query=query, limit=10000))
    assert keys_of(result) == expected
    assert result["total"] == len(expected)
    for issue in result["issues"]:
        check_issue_shape(issue, harness, open_=False)
    assert keys_of(result) != open_keys(harness)


# --- the error kinds --------------------------------------------------------------------


def test_a_dropped_network_is_unreachable_without_a_stale_list(
    agent: RawAgent, harness: ProviderHarness
) -> None:
    instance_id = connect(agent, harness)
    harness.drop_network()
    error = error_of(fetch(agent, instance_id), UNREACHABLE)
    assert error["data"]["kind"] == "unreachable"
    assert error["data"]["action"] == "retry"
    # The network failing drops nothing: once it is back, the same instance fetches.
    harness.restore_network()
    instances = listed(agent, harness)["instances"]
    assert [(i["instanceId"], i["state"]) for i in instances] == [(instance_id, "connected")]
    assert result_of(fetch(agent, instance_id, limit=3))["issues"]


def test_a_dropped_network_after_a_fetch_answers_the_kept_list_as_stale(
    agent: RawAgent, harness: ProviderHarness
) -> None:
    instance_id = connect(agent, harness)
    fresh = result_of(fetch(agent, instance_id))
    harness.drop_network()
    stale = result_of(fetch(agent, instance_id))
    assert stale["stale"] is True, stale
    assert keys_of(stale) == keys_of(fresh) and stale["total"] == fresh["total"]
    assert stale["fetchedAt"] and stale["staleReason"]
    # Asked for a fresh answer, the provider's own failure comes back.
    error = error_of(fetch(agent, instance_id, fresh=True), UNREACHABLE)
    assert error["data"]["kind"] == "unreachable"


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_a_remote_error(
    agent: RawAgent, harness: ProviderHarness, status: int
) -> None:
    instance_id = connect(agent, harness)
    # More than the agent's attempts: a 503 is sent again (agent.retry), a 500 is not.
    harness.fail_lists(status, ATTEMPTS + 2)
    error = error_of(fetch(agent, instance_id), REMOTE_ERROR)
    assert error["data"]["kind"] == "remoteError"
    assert error["data"]["httpStatus"] == status
    assert error["data"]["action"] == "retry"
    assert all(isinstance(m, str) for m in error["data"]["messages"]), error


def test_rate_limiting_that_stays_is_rate_limited_with_a_finite_wait(
    agent: RawAgent, harness: ProviderHarness
) -> None:
    instance_id = connect(agent, harness)
    harness.fail_lists(429, RATE_LIMIT_RETRIES + 5)
    error = error_of(fetch(agent, instance_id), RATE_LIMITED)
    assert error["data"]["kind"] == "rateLimited"
    assert error["data"]["action"] == "retry"
    wait = error["data"]["retryAfterSeconds"]
    assert isinstance(wait, int | float) and math.isfinite(wait) and wait >= 0, wait


def test_a_malformed_query_is_a_remote_error(agent: RawAgent, harness: ProviderHarness) -> None:
    bad = harness.bad_query()
    if bad is None:
        pytest.skip(f"every string is a valid search in {harness.provider_id}")
    instance_id = connect(agent, harness)
    error = error_of(fetch(agent, instance_id, query=bad), REMOTE_ERROR)
    assert error["data"]["kind"] == "remoteError"
    assert 400 <= error["data"]["httpStatus"] < 500
    # The tracker's own words about the query reach the user.
    messages = error["data"]["messages"]
    assert messages and all(isinstance(m, str) and m for m in messages), error


def test_credentials_refused_mid_session_are_authentication_failed(
    agent: RawAgent, harness: ProviderHarness
) -> None:
    instance_id = connect(agent, harness)
    assert result_of(fetch(agent, instance_id, limit=1))["issues"]  # kept for offline use
    if not harness.revoke(harness.user):
        pytest.skip(f"the {harness.provider_id} simulator cannot revoke credentials")
    error = error_of(fetch(agent, instance_id, limit=1), AUTHENTICATION_FAILED)
    assert error["data"]["kind"] == "authenticationFailed"
    assert error["data"]["action"] == "configure"
    # Refused credentials are not a network failure: no kept list stands in for them.
    assert "result" not in fetch(agent, instance_id, limit=1)
    (instance,) = listed(agent, harness)["instances"]
    assert instance["instanceId"] == instance_id and instance["state"] == "error", instance


TRACKERS = {"jira": "Jira", "github": "GitHub", "gitlab": "GitLab", "youtrack": "YouTrack"}


def test_error_messages_name_no_other_tracker(agent: RawAgent, harness: ProviderHarness) -> None:
    """The agent's shared code (retries, the network) speaks for every provider: a GitHub
    user is not told that Jira is rate-limiting them."""
    others = [
        name for prefix, name in TRACKERS.items() if not harness.provider_id.startswith(prefix)
    ]
    fields = harness.fields(harness.user)
    errors = [error_of(configure(agent, harness, harness.wrong_fields()), AUTHENTICATION_FAILED)]
    for base_url in ("example.com/tracker", "https://example.com/?q=1"):
        reply = configure(agent, harness, {**fields, "baseUrl": base_url})
        errors.append(error_of(reply, INVALID_PARAMS))
    instance_id = connect(agent, harness)
    # One fault at a time, each used up by its fetch (a 500 is not sent again): what a
    # fetch meets is what it was armed with.
    harness.fail_lists(500, 1)
    errors.append(error_of(fetch(agent, instance_id, limit=1), REMOTE_ERROR))
    harness.drop_network()
    errors.append(error_of(fetch(agent, instance_id, query=harness.query()[0]), UNREACHABLE))
    harness.restore_network()
    harness.fail_lists(429, RATE_LIMIT_RETRIES + 5)
    errors.append(error_of(fetch(agent, instance_id, limit=1), RATE_LIMITED))
    for error in errors:
        words = " ".join([error["message"], str(error["data"].get("hint", ""))])
        for other in others:
            assert other.lower() not in words.lower(), (other, error)


# --- progress and cancellation ----------------------------------------------------------


def test_a_fetch_reports_progress_that_grows(agent: RawAgent, harness: ProviderHarness) -> None:
    instance_id = connect(agent, harness)
    expected = open_keys(harness)
    harness.set_page_size(harness.small_page_size)
    token = "conformance-fetch"
    result = result_of(fetch(agent, instance_id, workDoneToken=token))
    assert len(result["issues"]) == len(expected)
    values = [
        m["params"]["value"]
        for m in agent.messages
        if m.get("method") == "$/progress" and m["params"]["token"] == token
    ]
    assert values and values[0]["kind"] == "begin" and values[-1]["kind"] == "end", values
    reports = [v for v in values if v["kind"] == "report"]
    assert len(reports) >= 2, values
    done = [int(re.match(r"\d+", r["message"]).group()) for r in reports]  # type: ignore[union-attr]
    assert done == sorted(set(done)) and done[-1] <= len(expected), done
    percents = [r["percentage"] for r in reports]
    assert percents == sorted(percents) and all(0 <= p <= 100 for p in percents), percents


def test_cancelling_a_fetch_in_flight_answers_cancelled_and_the_agent_goes_on(
    agent: RawAgent, harness: ProviderHarness
) -> None:
    instance_id = connect(agent, harness)
    assert result_of(fetch(agent, instance_id, limit=1))["issues"]  # the session is up
    # The tracker holds every answer far longer than any wait here: an answer can only
    # come from the cancellation.
    harness.set_latency(300)
    seen = harness.list_requests_received()
    token = "cancel-me"
    msg_id = agent.request(FETCH, {"instanceId": instance_id, "workDoneToken": token})
    agent.wait_for(
        lambda m: (
            m.get("method") == "$/progress"
            and m["params"]["token"] == token
            and m["params"]["value"]["kind"] == "begin"
        )
    )
    if seen is not None:
        received = harness.list_requests_received
        wait_until(lambda: (received() or 0) > seen, "the fetch's list request reaching it")
    agent.notify("$/cancelRequest", {"id": msg_id})
    error = error_of(agent.response(msg_id, timeout=CALL), CANCELLED)
    assert error["data"]["kind"] == "cancelled"
    harness.set_latency(0)
    assert result_of(agent.call(LIST, {}))
    assert result_of(fetch(agent, instance_id, limit=2))["issues"]
    assert len(agent.responses_to(msg_id)) == 1


# --- secrets ------------------------------------------------------------------------------


def encodings(values: list[str], others: list[str]) -> list[str]:
    """The values, and the Basic credentials (`other:value`) any of them can travel in."""
    found = list(values)
    for value in values:
        for other in others:
            found.append(base64.b64encode(f"{other}:{value}".encode()).decode("ascii"))
    return found


def test_secrets_never_leak_to_the_log_the_wire_or_readable_files(
    home: Path, harness: ProviderHarness
) -> None:
    good = harness.fields(harness.user)
    wrong = harness.wrong_fields()
    secrets = [s for s in harness.secrets(harness.user) if s]
    assert secrets, "the harness names no secret"
    agent = RawAgent(agent_env(home, ISSUEBRIDGE_LOG="debug"))
    try:
        agent.initialize(options={"http": {"timeoutSeconds": 20}})
        secret_names = secret_fields(agent, harness)
        wrong_secrets = [v for k, v in wrong.items() if k in secret_names and v not in secrets]
        plain = [v for k, v in good.items() if k not in secret_names]
        instance_id = connect(agent, harness)
        harness.set_page_size(harness.small_page_size)
        result_of(fetch(agent, instance_id))
        query, _ = harness.query()
        result_of(fetch(agent, instance_id, query=query, limit=5))
        error_of(configure(agent, harness, wrong), AUTHENTICATION_FAILED)
        bad = harness.bad_query()
        if bad is not None:
            error_of(fetch(agent, instance_id, query=bad), REMOTE_ERROR)
        harness.fail_lists(500, 1)
        error_of(fetch(agent, instance_id), REMOTE_ERROR)
        harness.drop_network()
        assert "stale" in result_of(fetch(agent, instance_id))
        harness.restore_network()
        agent.call("shutdown", None)
        agent.notify("exit")
        agent.wait_exit()
    finally:
        agent.kill()
    wire = bytes(agent.raw_stdout).decode("utf-8")
    log = agent.stderr_text()
    assert "DEBUG" in log  # the most talkative level was on
    for secret in encodings(secrets + wrong_secrets, plain):
        assert secret not in wire, "a secret in a message to the editor"
        assert secret not in log, "a secret in the log"
    files = [p for p in home.rglob("*") if p.is_file()]
    for path in files:
        content = path.read_bytes()
        if stat.S_IMODE(path.stat().st_mode) != 0o600:
            for secret in secrets + wrong_secrets:
                assert secret.encode() not in content, f"a secret in {path}, not 0600"
        for secret in wrong_secrets:
            assert secret.encode() not in content, f"refused credentials kept in {path}"
    assert any(s.encode() in p.read_bytes() for p in files for s in secrets), "nothing stored"


# --- capabilities -------------------------------------------------------------------------


def capability_params(method: str, instance_id: str, issue: dict[str, Any]) -> dict[str, Any]:
    """Plausible params for each optional method, about an issue the fetch returned."""
    key = issue["key"]
    project = issue["project"]["key"]
    params: dict[str, dict[str, Any]] = {
        "issuebridge/projects/list": {},
        "issuebridge/issues/get": {"key": key},
        "issuebridge/issues/createForm": {"projectKey": project},
        "issuebridge/issues/create": {"projectKey": project, "issueType": "Task", "fields": {}},
        "issuebridge/issues/transition": {"key": key, "transitionId": "no-such-transition"},
        "issuebridge/issues/comment": {"key": key, "body": "From the conformance suite."},
        "issuebridge/issues/assignees": {"key": key, "query": "a"},
        "issuebridge/issues/assign": {"key": key, "assignee": "me"},
        "issuebridge/issues/startWork": {"key": key},
    }
    return {"instanceId": instance_id, **params[method]}


def test_methods_outside_the_capabilities_answer_unsupported(
    agent: RawAgent, harness: ProviderHarness
) -> None:
    capabilities = listed(agent, harness)["capabilities"]
    missing = [m for m in CAPABILITIES if m not in capabilities]
    if not missing:
        pytest.skip(f"{harness.provider_id} lists every optional method")
    instance_id = connect(agent, harness)
    issue = result_of(fetch(agent, instance_id, limit=1))["issues"][0]
    for method in missing:
        reply = agent.call(method, capability_params(method, instance_id, issue), timeout=CALL)
        error = error_of(reply, UNSUPPORTED)
        assert error["data"]["kind"] == "unsupportedServer", (method, error)


def test_methods_in_the_capabilities_are_served(agent: RawAgent, harness: ProviderHarness) -> None:
    capabilities = listed(agent, harness)["capabilities"]
    instance_id = connect(agent, harness)
    issue = result_of(fetch(agent, instance_id, limit=1))["issues"][0]
    for method in capabilities:
        reply = agent.call(method, capability_params(method, instance_id, issue), timeout=CALL)
        # Made-up params may be refused (a transition the issue lacks, a form's required
        # fields), never as unsupported.
        if "error" in reply:
            refused = reply["error"]["code"]
            assert refused not in (UNSUPPORTED, METHOD_NOT_FOUND, INTERNAL_ERROR), (method, reply)
            # A key the fetch gave is a key, whatever its shape (`owner/repo#12`).
            assert reply["error"]["data"].get("field") != "key", (method, reply)


def test_issues_get_reads_a_fetched_issue(agent: RawAgent, harness: ProviderHarness) -> None:
    if GET not in listed(agent, harness)["capabilities"]:
        pytest.skip(f"{harness.provider_id} does not read single issues")
    instance_id = connect(agent, harness)
    fetched = result_of(fetch(agent, instance_id, limit=1))["issues"][0]
    detail = result_of(agent.call(GET, {"instanceId": instance_id, "key": fetched["key"]}))
    issue = detail["issue"]
    for name in ("id", "key", "title", "url", "status", "project"):
        assert issue[name] == fetched[name], name
    assert isinstance(issue["comments"], list) and isinstance(issue["transitions"], list)
    assert isinstance(issue["labels"], list) and issue["createdAt"]
    for comment in issue["comments"]:
        assert comment["id"] and comment["author"]["name"] and isinstance(comment["body"], str)
