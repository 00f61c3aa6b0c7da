"""A GitHub / GitHub Enterprise Server REST API simulator on loopback (docs/github.md)."""

from .data import GitHubData, Issue, User
from .server import GitHubSimulator

SIMULATOR = "github"  # its name on the command line (`issuebridge-sim github`)
DESCRIPTION = "GitHub / GitHub Enterprise Server (REST API v3)"

__all__ = ["GitHubData", "GitHubSimulator", "Issue", "User"]
