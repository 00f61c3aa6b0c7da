"""GitLab (gitlab.com and self-managed), REST API v4."""

from agent.providers.gitlab.provider import GitLabProvider

PROVIDER = GitLabProvider()
