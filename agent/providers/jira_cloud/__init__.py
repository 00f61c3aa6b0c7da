"""Jira Cloud (REST API v3, email + API token)."""

from agent.providers.jira_cloud.provider import JiraCloudProvider

PROVIDER = JiraCloudProvider()
