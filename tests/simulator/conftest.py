"""Fixtures for the simulator's own tests: running simulators and RSA keys."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import httpx
import pytest
from sim_helpers import CONSUMER_KEY, KeyPair, key_pair

from simulators.jira_server import JiraSimulator, SimulatorConfig


@pytest.fixture(scope="session")
def keys() -> KeyPair:
    return key_pair()


@pytest.fixture(scope="session")
def other_keys() -> KeyPair:
    return key_pair()


@pytest.fixture
def sim(keys: KeyPair) -> Iterator[JiraSimulator]:
    """A fresh simulator per test, with the test consumer registered."""
    with JiraSimulator(SimulatorConfig()) as simulator:
        simulator.add_oauth_consumer(CONSUMER_KEY, keys.public_pem)
        yield simulator


@pytest.fixture(scope="module")
def shared_sim() -> Iterator[JiraSimulator]:
    """One simulator for a module of read-only tests."""
    with JiraSimulator(SimulatorConfig()) as simulator:
        yield simulator


@pytest.fixture(scope="session")
def tls_context() -> ssl.SSLContext:
    # Building an SSL context loads the CA bundle (~50 ms); share one across clients.
    return ssl.create_default_context()


@pytest.fixture
def http(tls_context: ssl.SSLContext) -> Iterator[httpx.Client]:
    """A fresh client per test (own cookie jar), sharing the TLS context."""
    with httpx.Client(timeout=10, verify=tls_context) as client:
        yield client
