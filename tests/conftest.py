"""The fixtures of the whole suite: the agent (raw stdio and pytest-lsp), Jira
simulators, and for the simulator's own tests keys and an HTTP client.

One conftest for all, not one per folder: the tests and their helpers are plain
modules (no packages), and mypy cannot check two modules named `conftest`.
"""

import ssl
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import pytest_asyncio
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

# The helper modules, importable by name as pytest imports the tests next to them.
sys.path.insert(0, str(Path(__file__).parent / "simulator"))
sys.path.insert(0, str(Path(__file__).parent))

from sim_helpers import CONSUMER_KEY, KeyPair, key_pair
from wire import AGENT_COMMAND, RawAgent, agent_env

if TYPE_CHECKING:
    from simulators.jira_server import JiraSimulator


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def raw_agent(home: Path) -> Iterator[RawAgent]:
    agent = RawAgent(agent_env(home))
    try:
        yield agent
    finally:
        agent.kill()


@pytest_asyncio.fixture
async def client(home: Path) -> AsyncIterator[LanguageClient]:
    """The agent as a subprocess, driven by pytest-lsp's client, initialized."""
    config = ClientServerConfig(server_command=AGENT_COMMAND, server_env=agent_env(home))
    lsp_client = await config.start()
    assert isinstance(lsp_client, LanguageClient)
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(
                window=lsp.WindowClientCapabilities(
                    work_done_progress=True,
                    show_document=lsp.ShowDocumentClientCapabilities(support=True),
                )
            )
        )
    )
    yield lsp_client
    await lsp_client.shutdown_session()
    await lsp_client.stop()


@pytest.fixture
def jira() -> Iterator["JiraSimulator"]:
    """A Jira Server simulator on loopback with a 50-issue page cap."""
    from simulators.jira_server import JiraSimulator, SimulatorConfig

    with JiraSimulator(SimulatorConfig(max_results_cap=50)) as sim:
        yield sim


@pytest.fixture
def approving_jira(jira: "JiraSimulator") -> "JiraSimulator":
    """The simulator approving every authorization (OAuth 1.0a and 2.0) as alice."""
    jira.oauth_auto_approve = "alice"
    return jira


@pytest.fixture
def agent(raw_agent: RawAgent) -> RawAgent:
    """An initialized agent over raw stdio (fast, and every byte checked)."""
    raw_agent.initialize(
        # Generous: a loaded runner must not turn a slow simulator into a timeout.
        options={"http": {"timeoutSeconds": 20}},
        capabilities={"window": {"showDocument": {"support": True}, "workDoneProgress": True}},
    )
    return raw_agent


# --- the simulator's own tests ---------------------------------------------------


@pytest.fixture(scope="session")
def keys() -> KeyPair:
    return key_pair()


@pytest.fixture(scope="session")
def other_keys() -> KeyPair:
    return key_pair()


@pytest.fixture
def sim(keys: KeyPair) -> Iterator["JiraSimulator"]:
    """A fresh simulator per test, with the test consumer registered."""
    from simulators.jira_server import JiraSimulator, SimulatorConfig

    with JiraSimulator(SimulatorConfig()) as simulator:
        simulator.add_oauth_consumer(CONSUMER_KEY, keys.public_pem)
        yield simulator


@pytest.fixture(scope="module")
def shared_sim() -> Iterator["JiraSimulator"]:
    """One simulator for a module of read-only tests."""
    from simulators.jira_server import JiraSimulator, SimulatorConfig

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
