"""Fetching 1,000 and 10,000 issues through the agent, beside plain httpx clients.

    python bench/fetch.py [--runs 3] [--latency-ms 40] [--cap 50] [--sizes 1000,10000]

The Jira simulator runs in its own process with a page cap and injected latency.
For each size, a fresh agent is started (so its peak RSS belongs to that size) and
three clients fetch the same issues (`ORDER BY key`, the fields an editor needs),
interleaved, several times:

- agent:      `issuebridge/issues/fetch` over stdio (time from request to reply)
- floor:      httpx: the first page, then the rest 8 pages at a time
- sequential: httpx: one page after another

Printed per size: medians, the ratio agent/floor (goal <= 0.9) and sequential/floor,
CPU microseconds per issue (the agent process from /proc, beside the floor client's
own CPU), and the agent's RSS: idle (configured, before any fetch), peak (VmHWM; goal
<= 100 MB at 10,000) and after the fetches (goal: within 10 MB of idle).
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
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def start_simulator(
    latency_ms: int, cap: int, issues: int
) -> tuple[subprocess.Popen[str], str, str]:
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
            str(issues),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    base_url = proc.stdout.readline().strip()
    users = httpx.get(f"{base_url}/_sim/users", timeout=30).json()
    token = next(u["pat"] for u in users if u["name"] == "alice")
    return proc, base_url, token


async def floor_client(base_url: str, token: str, limit: int, concurrency: int) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(headers=headers, timeout=60) as client:

        async def page(start: int, size: int) -> dict[str, Any]:
            body = {"jql": JQL, "startAt": start, "maxResults": size, "fields": FIELDS}
            response = await client.post(f"{base_url}/rest/api/2/search", json=body)
            response.raise_for_status()
            return dict(response.json())

        first = await page(0, min(limit, 1000))
        size = len(first["issues"])
        wanted = min(limit, first["total"])
        got = list(first["issues"])
        starts = list(range(size, wanted, size))
        semaphore = asyncio.Semaphore(concurrency)

        async def bounded(start: int) -> dict[str, Any]:
            async with semaphore:
                return await page(start, min(size, wanted - start))

        for result in await asyncio.gather(*(bounded(s) for s in starts)):
            got.extend(result["issues"])
        return len(got)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def measure(size: int, runs: int, base_url: str, token: str, home: str) -> dict[str, Any]:
    agent = await AgentConnection.start(env={**os.environ, "ISSUEBRIDGE_HOME": home})
    pid = agent._process.pid
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
        await asyncio.sleep(0.5)
        idle = rss_mb(pid, "VmRSS")

        async def through_agent() -> int:
            result = await agent.request(
                "issuebridge/issues/fetch", {"instanceId": instance_id, "jql": JQL, "limit": size}
            )
            return len(result["issues"])

        timings: dict[str, list[float]] = {"agent": [], "floor": [], "sequential": []}
        cpu: dict[str, float] = {"agent": 0.0, "floor": 0.0}
        await through_agent()  # warm-up: connections, imports
        for _ in range(runs):
            for name, make in (
                ("agent", through_agent),
                ("floor", lambda: floor_client(base_url, token, size, 8)),
                ("sequential", lambda: floor_client(base_url, token, size, 1)),
            ):
                agent_cpu, own_cpu = cpu_seconds(pid), time.process_time()
                started = time.perf_counter()
                count = await make()
                timings[name].append(time.perf_counter() - started)
                if name == "agent":
                    cpu["agent"] += cpu_seconds(pid) - agent_cpu
                elif name == "floor":
                    cpu["floor"] += time.process_time() - own_cpu
                assert count == size, (name, count)
        await asyncio.sleep(1.0)
        after = rss_mb(pid, "VmRSS")
        peak = rss_mb(pid, "VmHWM")
    finally:
        await agent.close()
    med = {name: statistics.median(values) for name, values in timings.items()}
    return {
        "size": size,
        "medians_ms": {k: round(v * 1000) for k, v in med.items()},
        "ratio_agent_floor": round(med["agent"] / med["floor"], 3),
        "ratio_sequential_floor": round(med["sequential"] / med["floor"], 3),
        "cpu_us_per_issue": {k: round(v * 1e6 / (runs * size), 1) for k, v in cpu.items()},
        "rss_mb": {"idle": round(idle, 1), "peak": round(peak, 1), "after": round(after, 1)},
    }


async def main_async(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in args.sizes.split(",")]
    sim, base_url, token = start_simulator(args.latency_ms, args.cap, max(sizes) + 200)
    results = []
    try:
        for size in sizes:
            home = tempfile.mkdtemp(prefix="issuebridge-bench-")
            results.append(await measure(size, args.runs, base_url, token, home))
    finally:
        sim.terminate()
        sim.wait()

    print(
        f"page cap {args.cap}, {args.latency_ms} ms latency per request, "
        f"{args.runs} runs each, interleaved (medians)"
    )
    for r in results:
        med, cpu, rss = r["medians_ms"], r["cpu_us_per_issue"], r["rss_mb"]
        print(f"{r['size']} issues")
        for name in ("agent", "floor", "sequential"):
            print(f"  {name:<11} {med[name]:8.0f} ms")
        print(f"  ratio agent/floor       {r['ratio_agent_floor']:.3f}  (goal <= 0.9)")
        print(f"  ratio sequential/floor  {r['ratio_sequential_floor']:.3f}")
        print(f"  CPU per issue           agent {cpu['agent']:.1f} µs, floor {cpu['floor']:.1f} µs")
        print(
            f"  agent RSS               idle {rss['idle']:.1f} MB, peak {rss['peak']:.1f} MB "
            f"(goal <= 100), after {rss['after']:.1f} MB (goal <= idle + 10)"
        )
    print(json.dumps(results))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency-ms", type=int, default=40)
    parser.add_argument("--cap", type=int, default=50)
    parser.add_argument("--sizes", default="1000,10000")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
