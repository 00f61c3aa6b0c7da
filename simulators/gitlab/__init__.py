"""A GitLab (REST API v4) simulator on loopback (see docs/gitlab.md)."""

from .data import Issue, Note, Project, User
from .server import GitLabSimulator

SIMULATOR = "gitlab"  # its name on the command line (`issuebridge-sim gitlab`)
DESCRIPTION = "GitLab (gitlab.com and self-managed), REST API v4"

__all__ = ["GitLabSimulator", "Issue", "Note", "Project", "User"]
