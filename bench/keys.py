"""Issue keys in a 10,000-line file with 500 keys, over real stdio against the simulator.

    python bench/keys.py [--runs 30] [--latency-ms 20] [--cap 1000]

The Jira simulator runs in its own process (with injected latency per request); one
agent is started, configured with a token, and given two documents: a 10,000-line
file with 500 keys and a 100-line file with 5 others. Printed, side by side in one
run (medians):

- didOpen of the big file and of the small one (each followed by a request);
- documentLink on the big file: the first request (it loads the project keys) and
  the next ones;
- hover: the first in the big file (it looks up all 500 keys of the document), the
  first in the small file (a cold lookup of its 5 keys), and one answered from the
  cache;
- a keystroke (one incremental didChange in the middle of the file) followed by a
  hover off any key (a round trip that shows the change's own cost) and followed by
  a documentLink, in the big file vs the small one, and vs a 100-line file with the
  same 500 keys (the same answer: what is left is the cost of the file's size);
- the HTTP requests the simulator received for the links and for the hovers.
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
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fetch  # noqa: E402  (bench/fetch.py, beside this file)

from agent.cli.connection import AgentConnection  # noqa: E402

BIG, SMALL, DENSE = "file:///bench/big.py", "file:///bench/small.py", "file:///bench/dense.py"


def start_simulator(latency_ms: int, cap: int) -> tuple[subprocess.Popen[str], str, str]:
    # bench/fetch.py's, with enough issues for 505 keys.
    return fetch.start_simulator(latency_ms, cap, issues=700)


def simulator_keys(base_url: str, token: str) -> list[str]:
    body = {"jql": "ORDER BY key ASC", "maxResults": 1000, "fields": ["summary"]}
    answer = httpx.post(
        f"{base_url}/rest/api/2/search",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    return [issue["key"] for issue in answer["issues"]]


def document(lines: int, keys: list[str]) -> str:
    """`lines` lines of code-like text, the keys spread evenly over them (several a
    line when there are more keys than lines). Every other line has a `#12`-like
    candidate too (no repository tracker is connected, so none resolves)."""
    every = max(1, lines // len(keys))
    per_line = max(1, len(keys) // lines)
    out = []
    for n in range(lines):
        start = (n // every) * per_line
        if n % every == 0 and start < len(keys):
            refs = " ".join(keys[start : start + per_line])
            out.append(f"    # TODO: {refs} handle the naïve case (UTF-8, SHA-256)\n")
        else:
            out.append(f"    value_{n} = compute(value_{n - 1}, 'text with a-dash #{n}')\n")
    return "".join(out)


def requests_since(base_url: str, start: int) -> list[dict[str, Any]]:
    log = httpx.get(f"{base_url}/_sim/requests", timeout=30).json()
    return [r for r in log[start:] if r["path"].startswith("/jira/rest/") or "/rest/" in r["path"]]


def request_count(base_url: str) -> int:
    return len(httpx.get(f"{base_url}/_sim/requests", timeout=30).json())


async def timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


def ms(values: list[float]) -> float:
    return statistics.median(values)


async def main_async(args: argparse.Namespace) -> int:
    sim, base_url, token = start_simulator(args.latency_ms, args.cap)
    home = tempfile.mkdtemp(prefix="issuebridge-bench-keys-")
    agent = await AgentConnection.start(env={**os.environ, "ISSUEBRIDGE_HOME": home})
    try:
        await agent.initialize(options={"http": {"timeoutSeconds": 60}})
        await agent.request(
            "issuebridge/providers/configure",
            {
                "providerId": "jira-server",
                "authMethod": "token",
                "fields": {"baseUrl": base_url, "token": token},
            },
        )
        keys = simulator_keys(base_url, token)
        big_text = document(10_000, keys[:500])
        small_text = document(100, keys[500:505])
        dense_text = document(100, keys[:500])  # the big file's 500 keys in 100 lines
        opened: dict[str, float] = {}
        for uri, text in ((BIG, big_text), (SMALL, small_text), (DENSE, dense_text)):
            started = time.perf_counter()
            agent.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
            )
            # A request behind it: its answer comes once the document is in.
            await agent.request(
                "textDocument/hover",
                {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 0}},
            )
            opened[uri] = (time.perf_counter() - started) * 1000
        versions = {BIG: 1, SMALL: 1, DENSE: 1}

        def links(uri: str) -> Awaitable[Any]:
            return agent.request("textDocument/documentLink", {"textDocument": {"uri": uri}})

        def hover(uri: str, line: int, character: int) -> Awaitable[Any]:
            return agent.request(
                "textDocument/hover",
                {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
            )

        def keystroke(uri: str, line: int) -> None:
            versions[uri] += 1
            agent.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": versions[uri]},
                    "contentChanges": [
                        {
                            "range": {
                                "start": {"line": line, "character": 4},
                                "end": {"line": line, "character": 4},
                            },
                            "text": "x",
                        }
                    ],
                },
            )

        # --- links ---------------------------------------------------------------
        before = request_count(base_url)
        first_links = await timed(lambda: links(BIG))
        found = await links(BIG)
        assert len(found) == 500, len(found)
        link_times = [await timed(lambda: links(BIG)) for _ in range(args.runs)]
        link_requests = requests_since(base_url, before)

        # --- hovers ----------------------------------------------------------------
        before = request_count(base_url)
        column = len("    # TODO: ") + 1
        first_hover = await timed(lambda: hover(BIG, 0, column))
        big_lookup = requests_since(base_url, before)
        before = request_count(base_url)
        cold_hover = await timed(lambda: hover(SMALL, 0, column))
        small_lookup = requests_since(base_url, before)
        before = request_count(base_url)
        cached = [
            await timed(lambda n=n: hover(BIG, (n * 20) % 10_000, column)) for n in range(args.runs)
        ]
        cached_requests = requests_since(base_url, before)
        answer = await hover(BIG, 20, column)
        assert answer and answer["contents"]["value"].startswith("**["), answer

        # --- keystrokes --------------------------------------------------------------
        async def type_then(uri: str, line: int, then: Callable[[], Awaitable[Any]]) -> float:
            started = time.perf_counter()
            keystroke(uri, line)
            await then()
            return (time.perf_counter() - started) * 1000

        stroke: dict[str, list[float]] = {}
        assert len(await links(DENSE)) == 500
        for name, uri, middle in (("big", BIG, 5_001), ("small", SMALL, 51), ("dense", DENSE, 51)):
            stroke[f"{name}+links"] = [
                await type_then(uri, middle, lambda uri=uri: links(uri)) for _ in range(args.runs)
            ]
            stroke[f"{name}+hover"] = [
                await type_then(uri, middle, lambda uri=uri, m=middle: hover(uri, m, 0))
                for _ in range(args.runs)
            ]
    finally:
        await agent.close()
        sim.terminate()
        sim.wait()

    def count(requests: list[dict[str, Any]], suffix: str) -> int:
        return sum(1 for r in requests if r["path"].endswith(suffix))

    print(
        f"10,000-line file with 500 keys (and a 100-line file with 5), {args.latency_ms} ms "
        f"simulated latency per request, page cap {args.cap}, {args.runs} runs (medians)"
    )
    print(
        f"didOpen (and a request behind it)  big {opened[BIG]:.1f} ms, "
        f"100 lines {opened[SMALL]:.1f} ms"
    )
    print("documentLink (big file, 500 links)")
    print(f"  first (loads the project keys)   {first_links:8.1f} ms")
    print(f"  next                             {ms(link_times):8.1f} ms")
    print(
        f"  HTTP requests for all links      {len(link_requests)} "
        f"({count(link_requests, '/project')} project list, "
        f"{count(link_requests, '/search')} searches)"
    )
    print("hover")
    print(
        f"  first (looks up 500 keys)        {first_hover:8.1f} ms   "
        f"{count(big_lookup, '/search')} searches"
    )
    print(
        f"  cold (small file, 5 new keys)    {cold_hover:8.1f} ms   "
        f"{count(small_lookup, '/search')} search"
    )
    print(
        f"  cached                           {ms(cached):8.1f} ms   "
        f"{len(cached_requests)} requests for {args.runs} hovers"
    )
    print("a keystroke (didChange) and then, in the big file vs a 100-line file")
    for then, small_name, what in (
        ("hover", "small", "hover off a key (5 keys)"),
        ("links", "small", "documentLink (5 keys)"),
        ("links", "dense", "documentLink (500 keys)"),
    ):
        big, small = ms(stroke[f"big+{then}"]), ms(stroke[f"{small_name}+{then}"])
        print(
            f"  {what:<26} big {big:7.2f} ms, 100 lines {small:7.2f} ms, ratio {big / small:5.2f}"
        )
    print(
        json.dumps(
            {
                "open_ms": {"big": round(opened[BIG], 1), "small": round(opened[SMALL], 1)},
                "links_ms": {"first": round(first_links, 1), "next": round(ms(link_times), 2)},
                "hover_ms": {
                    "first": round(first_hover, 1),
                    "cold": round(cold_hover, 1),
                    "cached": round(ms(cached), 2),
                },
                "keystroke_ms": {k: round(ms(v), 2) for k, v in stroke.items()},
                "requests": {
                    "links": len(link_requests),
                    "first_hover": len(big_lookup),
                    "cold_hover": len(small_lookup),
                    "cached_hovers": len(cached_requests),
                },
            }
        )
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--cap", type=int, default=1000)
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
