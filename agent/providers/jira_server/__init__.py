"""Jira Server / Data Center."""

from agent.providers.jira_server.provider import JiraServerProvider

PROVIDER = JiraServerProvider()
