"""Start-up: spawn -> `initialize` reply, the agent beside the smallest pygls server.

    python bench/startup.py [--runs 21]

Both run on this interpreter, interleaved so machine noise hits them alike; the
ratio of medians is the figure (goal: agent <= 1.15x the floor).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AGENT = [sys.executable, "-m", "agent", "--stdio"]
FLOOR = [sys.executable, str(HERE / "minimal_pygls_server.py")]


def initialize_frame() -> bytes:
    body = json.dumps(
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    ).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def time_to_initialize(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(initialize_frame())
    proc.stdin.flush()
    received = b""
    while b'"id": 1' not in received and b'"id":1' not in received:
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            raise RuntimeError(f"{command} exited before answering initialize")
        received += chunk
    elapsed = time.perf_counter() - started
    proc.kill()
    proc.wait()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    env = dict(os.environ)
    env["ISSUEBRIDGE_HOME"] = tempfile.mkdtemp(prefix="issuebridge-bench-")
    env["ISSUEBRIDGE_LOG"] = "warning"
    # Warm the OS file cache and .pyc files for both before measuring.
    time_to_initialize(AGENT, env)
    time_to_initialize(FLOOR, env)
    agent, floor = [], []
    for _ in range(args.runs):
        agent.append(time_to_initialize(AGENT, env))
        floor.append(time_to_initialize(FLOOR, env))
    agent_ms = statistics.median(agent) * 1000
    floor_ms = statistics.median(floor) * 1000
    print(f"python {sys.version.split()[0]}, {args.runs} runs each, interleaved")
    print(f"minimal pygls server  median {floor_ms:7.1f} ms")
    print(f"issuebridge agent     median {agent_ms:7.1f} ms")
    print(f"ratio agent/floor     {agent_ms / floor_ms:.3f}  (goal <= 1.15)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
