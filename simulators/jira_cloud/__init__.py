"""A Jira Cloud simulator on loopback (see docs/jira-cloud.md), built from Atlassian's
Jira Cloud platform REST API v3 documentation."""

from .data import CloudIssue, CloudUser
from .server import JiraCloudSimulator

SIMULATOR = "jira-cloud"  # its name on the command line (`issuebridge-sim jira-cloud`)
DESCRIPTION = "Jira Cloud (REST API v3: enhanced search, ADF, accountId users)"

__all__ = ["CloudIssue", "CloudUser", "JiraCloudSimulator"]
