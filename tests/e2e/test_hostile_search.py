"""Search answers no Jira sends: a classified error or a skipped entry, never -32603.

A minimal server on 127.0.0.1 plays Jira well enough to configure a token against
(serverInfo, myself) and answers the search with whatever body the test sets.
"""

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from jira_flows import FETCH, configure_token, error_of
from wire import RawAgent

ISSUE: dict[str, Any] = {
    "id": "10001",
    "key": "HOST-1",
    "fields": {
        "summary": "A real issue",
        "status": {"name": "Open", "statusCategory": {"key": "new"}},
        "project": {"key": "HOST", "name": "Hostile"},
        "updated": "2024-03-05T14:22:01.000+0000",
    },
}

SearchAnswer = Callable[[dict[str, Any]], bytes]


class HostileJira(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer: SearchAnswer = lambda body: b'{"total": 0, "issues": []}'
        self.searches: list[dict[str, Any]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: HostileJira
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.endswith("/serverInfo"):
            info = {"version": "9.12.0", "versionNumbers": [9, 12, 0], "deploymentType": "Server"}
            self._send(json.dumps(info).encode())
        else:
            self._send(json.dumps({"name": "alice", "displayName": "Alice"}).encode())

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        self.server.searches.append(body)
        self._send(self.server.answer(body))


@pytest.fixture
def hostile() -> Iterator[HostileJira]:
    server = HostileJira()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _connect(agent: RawAgent, server: HostileJira) -> str:
    reply = configure_token(agent, server.base_url, "t" * 44)
    assert "result" in reply, reply
    return str(reply["result"]["instance"]["instanceId"])


def _page(total: Any, issues: Any) -> SearchAnswer:
    text = json.dumps({"startAt": 0, "maxResults": 50, "total": total, "issues": issues})
    return lambda body: text.encode()


@pytest.mark.parametrize(
    "answer",
    [
        _page("lots", [ISSUE]),
        _page(-1, [ISSUE]),
        _page(10**30, [ISSUE]),
        _page(2.5, [ISSUE]),
        _page(None, [ISSUE]),
        _page(True, [ISSUE]),
        lambda body: b'{"total": Infinity, "issues": []}',
        lambda body: b'{"total": NaN, "issues": []}',
        lambda body: b'{"total": 1e400, "issues": []}',
    ],
    ids=["text", "negative", "huge", "fraction", "null", "boolean", "Infinity", "NaN", "1e400"],
)
def test_a_total_that_is_not_a_count_is_a_remote_error(
    agent: RawAgent, hostile: HostileJira, answer: SearchAnswer
) -> None:
    instance_id = _connect(agent, hostile)
    hostile.answer = answer
    error = error_of(agent.call(FETCH, {"instanceId": instance_id}, timeout=20))
    assert error["code"] == -32004 and error["data"]["kind"] == "remoteError"
    assert "not what Jira sends" in error["message"]
    assert "Traceback" not in agent.stderr_text()


@pytest.mark.parametrize(
    "answer",
    [
        _page(1, "lots"),
        _page(1, {"HOST-1": ISSUE}),
        _page(1, None),
        lambda body: b'{"total": 1}',
        lambda body: b"[]",
    ],
    ids=["text", "object", "null", "missing", "array"],
)
def test_an_issue_list_that_is_not_a_list_is_a_remote_error(
    agent: RawAgent, hostile: HostileJira, answer: SearchAnswer
) -> None:
    instance_id = _connect(agent, hostile)
    hostile.answer = answer
    error = error_of(agent.call(FETCH, {"instanceId": instance_id}, timeout=20))
    assert error["code"] == -32004
    assert "not what Jira sends" in error["message"]


def test_entries_that_are_not_issues_are_skipped_and_logged(
    agent: RawAgent, hostile: HostileJira
) -> None:
    instance_id = _connect(agent, hostile)
    bad = [
        None,
        "HOST-2",
        [ISSUE],
        {"id": "10003", "fields": ISSUE["fields"]},  # no key
        {"id": "10004", "key": "HOST-4"},  # no fields
        {"id": "10005", "key": "HOST-5", "fields": None},
        {"key": "HOST-6", "fields": ISSUE["fields"]},  # no id
    ]
    hostile.answer = _page(len(bad) + 1, [*bad[:3], ISSUE, *bad[3:]])
    reply = agent.call(FETCH, {"instanceId": instance_id}, timeout=20)
    assert [i["key"] for i in reply["result"]["issues"]] == ["HOST-1"]
    assert reply["result"]["total"] == len(bad) + 1
    log = agent.wait_for_stderr("without a key", "without fields")
    assert "without a key" in log and "without fields" in log and "Traceback" not in log
    assert len(hostile.searches) == 1  # a skipped entry is not a reason to ask again


def test_fields_of_the_wrong_type_count_as_absent(agent: RawAgent, hostile: HostileJira) -> None:
    instance_id = _connect(agent, hostile)
    odd = {
        "id": 10002,
        "key": "HOST-2",
        "fields": {
            "summary": ["not", "text"],
            "status": "Open",
            "issuetype": "Bug",
            "priority": 3,
            "assignee": ["alice"],
            "project": None,
            "updated": {"at": 1},
        },
    }
    hostile.answer = _page(1, [odd])
    issue = agent.call(FETCH, {"instanceId": instance_id}, timeout=20)["result"]["issues"][0]
    assert issue["key"] == "HOST-2" and issue["id"] == "10002"
    assert issue["status"] == {"name": "Unknown", "category": "todo"}
    assert "assignee" not in issue and "type" not in issue and "priority" not in issue


@pytest.mark.parametrize(("total", "issues", "most_searches"), [(5, [], 1), (3, [ISSUE], 6)])
def test_a_total_the_server_never_fills_ends_the_fetch_with_what_it_sent(
    agent: RawAgent, hostile: HostileJira, total: int, issues: list[Any], most_searches: int
) -> None:
    instance_id = _connect(agent, hostile)
    hostile.answer = _page(total, issues)
    result = agent.call(FETCH, {"instanceId": instance_id}, timeout=20)["result"]
    assert [i["key"] for i in result["issues"]] == [i["key"] for i in issues]
    assert result["total"] == total
    assert len(hostile.searches) <= most_searches
