"""Fetching 1000 issues through the agent, beside plain httpx clients, in one run.

    python bench/fetch.py [--runs 5] [--latency-ms 40] [--cap 50]

The Jira simulator runs in its own process with a page cap and injected latency.
Three clients fetch the same 1000 issues (`ORDER BY key`, the fields an editor
needs), interleaved, several times:

- agent:      `issuebridge/issues/fetch` over stdio (time from request to reply)
- floor:      httpx: the first page, then the rest 8 pages at a time
- sequential: httpx: one page after another

Printed: medians, the ratios agent/floor (goal <= 1.0) and sequential/floor, and
the agent's peak RSS (goal < 100 MB).
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.cli.connection import AgentConnection  # noqa: E402

FIELDS = ["summary", "status", "issuetype", "priority", "assignee", "project", "updated"]
JQL = "ORDER BY key ASC"
LIMIT = 1000


def start_simulator(latency_ms: int, cap: int) -> tuple[subprocess.Popen[str], str, str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulators.jira_server",
            "--port",
            "0",
            "--cap",
            str(cap),
            "--latency-ms",
            str(latency_ms),
            "--issues",
            "1200",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    base_url = proc.stdout.readline().strip()
    users = httpx.get(f"{base_url}/_sim/users", timeout=10).json()
    token = next(u["pat"] for u in users if u["name"] == "alice")
    return proc, base_url, token


async def floor_client(base_url: str, token: str, concurrency: int) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(headers=headers, timeout=30) as client:

        async def page(start: int, size: int) -> dict[str, Any]:
            body = {"jql": JQL, "startAt": start, "maxResults": size, "fields": FIELDS}
            response = await client.post(f"{base_url}/rest/api/2/search", json=body)
            response.raise_for_status()
            return dict(response.json())

        first = await page(0, LIMIT)
        size = len(first["issues"])
        wanted = min(LIMIT, first["total"])
        got = list(first["issues"])
        starts = list(range(size, wanted, size))
        semaphore = asyncio.Semaphore(concurrency)

        async def bounded(start: int) -> dict[str, Any]:
            async with semaphore:
                return await page(start, min(size, wanted - start))

        for result in await asyncio.gather(*(bounded(s) for s in starts)):
            got.extend(result["issues"])
        return len(got)


async def time_it(coro: Any) -> tuple[float, int]:
    started = time.perf_counter()
    count = await coro
    return time.perf_counter() - started, count


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def main_async(args: argparse.Namespace) -> int:
    sim, base_url, token = start_simulator(args.latency_ms, args.cap)
    home = tempfile.mkdtemp(prefix="issuebridge-bench-")
    agent = await AgentConnection.start(env={**os.environ, "ISSUEBRIDGE_HOME": home})
    try:
        await agent.initialize()
        configured = await agent.request(
            "issuebridge/providers/configure",
            {
                "providerId": "jira-server",
                "authMethod": "token",
                "fields": {"baseUrl": base_url, "token": token},
            },
        )
        instance_id = configured["instance"]["instanceId"]

        async def through_agent() -> int:
            result = await agent.request(
                "issuebridge/issues/fetch", {"instanceId": instance_id, "jql": JQL, "limit": LIMIT}
            )
            return len(result["issues"])

        timings: dict[str, list[float]] = {"agent": [], "floor": [], "sequential": []}
        await through_agent()  # warm-up: connections, imports
        for _ in range(args.runs):
            for name, make in (
                ("agent", through_agent),
                ("floor", lambda: floor_client(base_url, token, 8)),
                ("sequential", lambda: floor_client(base_url, token, 1)),
            ):
                elapsed, count = await time_it(make())
                assert count == LIMIT, (name, count)
                timings[name].append(elapsed)
        rss = peak_rss_mb(agent._process.pid)
    finally:
        await agent.close()
        sim.terminate()
        sim.wait()

    med = {name: statistics.median(values) for name, values in timings.items()}
    print(
        f"{LIMIT} issues, page cap {args.cap}, {args.latency_ms} ms latency per request, "
        f"{args.runs} runs each, interleaved (medians)"
    )
    for name in ("agent", "floor", "sequential"):
        print(f"  {name:<11} {med[name] * 1000:8.0f} ms")
    print(f"  ratio agent/floor       {med['agent'] / med['floor']:.3f}  (goal <= 1.0)")
    print(f"  ratio sequential/floor  {med['sequential'] / med['floor']:.3f}")
    print(f"  agent peak RSS          {rss:.1f} MB  (goal < 100 MB)")
    print(
        json.dumps(
            {
                "medians_ms": {k: round(v * 1000) for k, v in med.items()},
                "agent_peak_rss_mb": round(rss, 1),
            }
        )
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency-ms", type=int, default=40)
    parser.add_argument("--cap", type=int, default=50)
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
