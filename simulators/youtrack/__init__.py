"""A YouTrack (Cloud or Server) simulator on loopback (see docs/youtrack.md)."""

from .data import Issue, User
from .server import YouTrackSimulator

SIMULATOR = "youtrack"  # its name on the command line (`issuebridge-sim youtrack`)
DESCRIPTION = "YouTrack (Cloud or Server)"

__all__ = ["Issue", "User", "YouTrackSimulator"]
