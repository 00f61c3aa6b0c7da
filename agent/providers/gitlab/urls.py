"""The GitLab base URL: `agent.urls`'s rules with GitLab's example, and the API's own
path (`/api/v4`) taken off when a user pastes it."""

from agent.urls import normalize_base_url

GITLAB_EXAMPLE = "e.g. https://gitlab.com or https://gitlab.example.com"


def gitlab_base_url(raw: str) -> str:
    """The normalized base URL, without a trailing `/api/v4` (the API's own path)."""
    return normalize_base_url(raw, example=GITLAB_EXAMPLE).removesuffix("/api/v4")
