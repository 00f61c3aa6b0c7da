"""A Jira Server / Data Center simulator on loopback (see docs/simulator.md)."""

from simulators.common.server import RecordedRequest

from .config import SimulatorConfig
from .data import Issue, User
from .faults import Faults
from .server import JiraSimulator

SIMULATOR = "jira-server"  # its name on the command line (`issuebridge-sim jira-server`)
DESCRIPTION = "Jira Server / Data Center"

__all__ = ["Faults", "Issue", "JiraSimulator", "RecordedRequest", "SimulatorConfig", "User"]
