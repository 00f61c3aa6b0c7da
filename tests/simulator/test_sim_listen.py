"""The listening socket queues connections like Jira's Tomcat (acceptCount 100).

With socketserver's default of 5, a client opening ten connections at once (the
agent's page concurrency) overflowed the queue now and then, and each dropped
handshake cost its connection a retransmission: noise in every benchmark.
"""

import shutil
import subprocess

import pytest

from simulators.jira_server import JiraSimulator


def test_the_listen_queue_holds_a_hundred_connections(shared_sim: JiraSimulator) -> None:
    ss = shutil.which("ss")
    if ss is None:
        pytest.skip("reading a listen queue's size needs ss (iproute2)")
    found = subprocess.run(
        [ss, "-Hltn", f"sport = :{shared_sim.port}"], capture_output=True, text=True, check=True
    ).stdout.split()
    # For a listening socket, ss shows the queue's size as Send-Q.
    assert found[0] == "LISTEN" and int(found[2]) == 100, found
