"""Servers that answer too much, too slowly, or nonsense: the agent stays bounded,
answers every request with a classified error, and keeps working afterwards."""

import json
from pathlib import Path
from typing import Any

import pytest
from hostile import HostileServer, drip, endless, head, jira_like, reply
from jira_flows import CONFIGURE, FETCH, configure_token, error_of
from wire import RawAgent

TOKEN = "t" * 44
LIST = "issuebridge/providers/list"


def _configure(agent: RawAgent, base_url: str, timeout: float = 30) -> dict[str, Any]:
    return agent.call(
        CONFIGURE,
        {
            "providerId": "jira-server",
            "authMethod": "token",
            "fields": {"baseUrl": base_url, "token": TOKEN},
        },
        timeout=timeout,
    )


def _peak_rss_mib(agent: RawAgent) -> float:
    """The agent's high-water mark of resident memory (VmHWM), in MiB."""
    status = Path(f"/proc/{agent.proc.pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def _still_answers(agent: RawAgent) -> None:
    assert "result" in agent.call(LIST, {}, timeout=20)


# --- 1. unbounded bodies ------------------------------------------------------------


def test_an_endless_search_answer_is_refused_and_memory_stays_bounded(agent: RawAgent) -> None:
    with HostileServer(jira_like(search=endless())) as server:
        instance_id = configure_token(agent, server.base_url, TOKEN)["result"]["instance"][
            "instanceId"
        ]
        error = error_of(agent.call(FETCH, {"instanceId": instance_id}, timeout=60))
    assert error["code"] == -32004
    assert "too large" in error["message"] and "64 MiB" in error["message"]
    assert _peak_rss_mib(agent) < 400
    _still_answers(agent)


def test_a_gzip_bomb_is_measured_inflated(agent: RawAgent) -> None:
    with HostileServer(jira_like(serverInfo=endless(compressed=True))) as server:
        error = error_of(_configure(agent, server.base_url, timeout=60))
    assert error["code"] == -32004
    assert "too large" in error["message"]
    assert _peak_rss_mib(agent) < 400
    _still_answers(agent)


def test_a_declared_huge_body_is_refused_before_it_is_read(agent: RawAgent) -> None:
    # 2 GiB announced, then a byte a second: waiting for it would end in a timeout.
    announce = head(200, {"Content-Type": "application/json", "Content-Length": str(2 << 30)})
    with HostileServer(jira_like(serverInfo=drip(b"[", 0.5, prefix=announce))) as server:
        error = error_of(_configure(agent, server.base_url))
    assert error["code"] == -32004
    assert "too large" in error["message"]
    _still_answers(agent)


# --- 2. a total deadline per request -------------------------------------------------


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_server_dripping_a_byte_at_a_time_hits_the_total_deadline(
    raw_agent: RawAgent, where: str
) -> None:
    raw_agent.initialize(options={"http": {"timeoutSeconds": 2}})
    body = json.dumps({"version": "9.12.0", "versionNumbers": [9, 12, 0]}).encode()
    answer = head(200, {"Content-Type": "application/json", "Content-Length": str(len(body))})
    # Each byte comes well within the 2 s read timeout; the whole answer never does.
    handler = drip(answer + body, 0.5) if where == "headers" else drip(body, 0.5, prefix=answer)
    with HostileServer(jira_like(serverInfo=handler)) as server:
        error = error_of(_configure(raw_agent, server.base_url))
        assert error["code"] == -32003
        assert f"127.0.0.1:{server.port} did not answer within 2 seconds" in error["message"]
        assert error["data"]["action"] == "retry"
    _still_answers(raw_agent)


# --- 3. Retry-After that is not a sane number ----------------------------------------


@pytest.mark.parametrize(
    "retry_after",
    ["inf", "-inf", "nan", "1e999", "99999999999", "Wed, 21 Oct 2099 07:28:00 GMT", "-5", "soon"],
)
def test_retry_after_becomes_a_finite_bounded_whole_number(
    agent: RawAgent, retry_after: str
) -> None:
    limited = reply({"errorMessages": ["Slow down"]}, 429, headers={"Retry-After": retry_after})
    with HostileServer(jira_like(serverInfo=limited)) as server:
        error = error_of(_configure(agent, server.base_url, timeout=60))
    assert error["code"] == -32006
    seconds = error["data"]["retryAfterSeconds"]
    assert type(seconds) is int and 0 <= seconds <= 3600
    assert error["data"]["action"] == "retry"
    for word in (b"Infinity", b"NaN"):
        assert word not in bytes(agent.raw_stdout)


# --- 4. answers that are not a Jira's ------------------------------------------------

NESTED = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    "server_info",
    [
        {"version": "nine", "versionNumbers": ["nine"]},
        {"version": "9.12", "versionNumbers": "9.12"},
        {"version": "9", "versionNumbers": {"major": 9}},
        NESTED,
        "[1, 2, 3]",
        '"Jira"',
        "null",
        "42",
    ],
    ids=["words", "string", "object", "nested", "array", "json-string", "null", "number"],
)
def test_a_server_info_that_is_not_jiras_is_classified(agent: RawAgent, server_info: Any) -> None:
    with HostileServer(jira_like(serverInfo=reply(server_info))) as server:
        error = error_of(_configure(agent, server.base_url))
    assert error["code"] in (-32004, -32005), error
    assert error["data"]["action"] == "configure"
    _still_answers(agent)


def test_a_deeply_nested_user_answer_is_a_remote_error(agent: RawAgent) -> None:
    with HostileServer(jira_like(myself=reply(NESTED))) as server:
        error = error_of(_configure(agent, server.base_url))
    assert error["code"] == -32004, error
    assert "nested" in error["message"]
    _still_answers(agent)


# --- 7. https:// against a plain http port -------------------------------------------


def test_https_against_a_plain_http_port_says_so(agent: RawAgent) -> None:
    with HostileServer(jira_like()) as server:
        error = error_of(_configure(agent, f"https://127.0.0.1:{server.port}"))
    assert error["code"] == -32003
    text = error["message"] + " " + error["data"]["hint"]
    assert "plain HTTP" in text and f"http://127.0.0.1:{server.port}" in text
    assert "CA" not in text and "WRONG_VERSION_NUMBER" not in text
    assert error["data"]["action"] == "configure"
    assert not error["data"].get("tls")


# --- 8. error texts ------------------------------------------------------------------


def test_an_html_404_is_one_sentence_that_does_not_claim_jira_answered(agent: RawAgent) -> None:
    page = reply("<html><body>nothing here</body></html>", 404, content_type="text/html")
    with HostileServer(jira_like(serverInfo=page)) as server:
        error = error_of(_configure(agent, server.base_url + "/wrong"))
        url = f"{server.base_url}/wrong/rest/api/2/serverInfo"
    assert error["code"] == -32005
    assert error["message"].startswith(f"{url} answered HTTP 404 with an HTML page")
    assert error["message"].count("404") == 1
    assert "Jira answered" not in error["message"]
    assert "context path" in error["data"]["hint"]
    assert error["data"]["action"] == "configure"


def test_a_failing_server_info_is_retryable_not_a_wrong_address(agent: RawAgent) -> None:
    page = reply("<html><title>Service Unavailable</title></html>", 503, content_type="text/html")
    with HostileServer(jira_like(serverInfo=page)) as server:
        error = error_of(_configure(agent, server.base_url))
    assert error["code"] == -32004
    assert error["message"].count("503") == 1
    assert error["data"]["action"] == "retry"


def test_a_refused_connection_names_host_and_port(agent: RawAgent) -> None:
    with HostileServer(jira_like()) as server:
        port = server.port
    error = error_of(_configure(agent, f"http://127.0.0.1:{port}/jira"))
    assert error["code"] == -32003
    assert f"127.0.0.1:{port}" in error["message"]
    assert error["data"]["action"] == "retry"


def test_a_proxy_502_page_is_retryable(agent: RawAgent) -> None:
    page = reply("<html><title>Bad Gateway</title></html>", 502, content_type="text/html")
    with HostileServer(jira_like(search=page)) as server:
        instance_id = configure_token(agent, server.base_url, TOKEN)["result"]["instance"][
            "instanceId"
        ]
        error = error_of(agent.call(FETCH, {"instanceId": instance_id}, timeout=20))
    assert error["code"] == -32004
    assert error["message"].count("502") == 1 and "'Bad Gateway'" in error["message"]
    assert error["data"]["action"] == "retry"
