"""GitHub and GitHub Enterprise Server (REST API v3), with a personal access token."""

from agent.providers.github.provider import GitHubProvider

PROVIDER = GitHubProvider()
