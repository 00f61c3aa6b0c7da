"""The GitLab base URL: `agent.urls` rules, its words for GitLab.

`agent.urls.normalize_base_url` is provider-neutral in what it accepts but names Jira
and gives Jira's examples in some messages; until it takes the tracker's words, this
says them for GitLab (the same error, field and action).
"""

from agent.errors import InvalidParams
from agent.urls import EXAMPLE, normalize_base_url

GITLAB_EXAMPLE = "e.g. https://gitlab.com or https://gitlab.example.com"


def gitlab_base_url(raw: str) -> str:
    """The normalized base URL, without a trailing `/api/v4` (the API's own path)."""
    try:
        base_url = normalize_base_url(raw)
    except InvalidParams as exc:
        raise InvalidParams(
            exc.field,
            _for_gitlab(exc.message),
            hint=_for_gitlab(exc.hint) if exc.hint else None,
            action="configure",
        ) from None
    return base_url.removesuffix("/api/v4")


def _for_gitlab(text: str) -> str:
    text = text.replace(EXAMPLE, GITLAB_EXAMPLE)
    text = text.replace("https://example.com/jira", "https://gitlab.example.com")
    text = text.replace("Jira's context path", "GitLab's relative URL")
    return text.replace("Jira", "GitLab")
