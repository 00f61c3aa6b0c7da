"""The agent's own CPU per issue, without the network: Jira's JSON in, the frame out.

    python bench/mapping.py [--issues 1000] [--rounds 7]

One real 1000-issue search page from the simulator is run through both paths, in one
process, interleaved, and the best round of each is kept (robust on a busy machine):

- attrs:  json.loads -> `to_issue` -> cattrs `unstructure` -> `json.dumps` -> bytes ->
          frame (the fetch before the direct mapping)
- direct: json.loads -> `entry_problem` + `to_wire` (shared parts) -> `encode` (item
          by item, straight to bytes) (the fetch now)

`json.loads` of Jira's answer (~2 KB per issue) is the same in both and printed apart:
the floor client pays it too.
"""

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from agent.providers.jira_server.issues import (  # noqa: E402
    SEARCH_FIELDS,
    entry_problem,
    to_issue,
    to_wire,
)
from agent.rpc.encode import encode  # noqa: E402
from protocol.converter import unstructure  # noqa: E402
from simulators.jira_server import JiraSimulator, SimulatorConfig  # noqa: E402

BASE = "https://jira.example.com"


def page_bytes(count: int) -> bytes:
    with JiraSimulator(SimulatorConfig(max_results_cap=count, issue_count=count)) as sim:
        response = httpx.post(
            f"{sim.base_url}/rest/api/2/search",
            json={"jql": "ORDER BY key", "maxResults": count, "fields": SEARCH_FIELDS},
            headers={"Authorization": f"Bearer {sim.user('alice').pat}"},
            timeout=60,
        )
        return response.content


def attrs_path(body: bytes) -> bytes:
    raw = json.loads(body)["issues"]
    result = {"issues": [unstructure(to_issue(i, BASE)) for i in raw], "total": len(raw)}
    text = json.dumps({"jsonrpc": "2.0", "id": 1, "result": result}, ensure_ascii=False)
    payload = text.encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(payload) + payload


def direct_path(body: bytes) -> bytes:
    raw = json.loads(body)["issues"]
    shared: dict[Any, Any] = {}
    issues = [to_wire(i, BASE, shared) for i in raw if entry_problem(i) is None]
    message = {"jsonrpc": "2.0", "id": 1, "result": {"issues": issues, "total": len(raw)}}
    return b"".join(encode(message, str))


def parse_only(body: bytes) -> bytes:
    json.loads(body)
    return b""


def best(run: Callable[[bytes], bytes], body: bytes, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.process_time()
        run(body)
        times.append(time.process_time() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--issues", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    body = page_bytes(args.issues)
    assert json.loads(attrs_path(body).split(b"\r\n\r\n", 1)[1]) == json.loads(direct_path(body))
    results: dict[str, list[float]] = {"parse": [], "attrs": [], "direct": []}
    for _ in range(3):  # interleaved
        for name, run in (("parse", parse_only), ("attrs", attrs_path), ("direct", direct_path)):
            results[name].append(best(run, body, args.rounds))
    per_issue = {k: min(v) * 1e6 / args.issues for k, v in results.items()}
    print(f"{args.issues} issues, {len(body) / args.issues:.0f} bytes of Jira JSON per issue")
    print(f"  json.loads alone          {per_issue['parse']:6.1f} µs per issue")
    print(f"  attrs path (before)       {per_issue['attrs']:6.1f} µs per issue")
    print(f"  direct path (now)         {per_issue['direct']:6.1f} µs per issue")
    mine = {k: per_issue[k] - per_issue["parse"] for k in ("attrs", "direct")}
    print(f"  beyond json.loads: before {mine['attrs']:.1f} µs, now {mine['direct']:.1f} µs")
    print(json.dumps({k: round(v, 1) for k, v in per_issue.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
