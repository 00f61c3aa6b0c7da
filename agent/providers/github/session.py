"""A live connection to one GitHub instance: its HTTP client and token."""

from collections.abc import Callable
from typing import Any

from agent.providers.base import FetchResult, ProgressCallback, TrackerSession, unsupported
from agent.providers.github import lookup, work
from agent.providers.github.api import GitHubApi
from agent.providers.github.fetch import fetch_all
from protocol.types import Comment, Issue, IssueDetail, Transition, User


class GitHubSession(TrackerSession):
    def __init__(self, new_api: Callable[[], GitHubApi], operation_timeout_seconds: float) -> None:
        self._new_api = new_api
        self._api: GitHubApi | None = None
        self.operation_timeout_seconds = operation_timeout_seconds
        self._me: User | None = None

    @property
    def api(self) -> GitHubApi:
        if self._api is None:
            self._api = self._new_api()
        return self._api

    async def fetch_issues(
        self, jql: str | None, limit: int, on_progress: ProgressCallback
    ) -> FetchResult:
        me = await self.current_user()
        return await fetch_all(
            self.api, jql, limit, on_progress, self.operation_timeout_seconds, me.name
        )

    async def get_issue(self, key: str) -> IssueDetail:
        return await work.get_issue(self.api, key)

    async def issue_with_transitions(self, key: str) -> tuple[Issue, list[Transition]]:
        # Only start-work asks for this, and it needs a way into progress, which GitHub
        # does not have (open or closed): it is not among the capabilities.
        raise unsupported("starting work (GitHub issues are only open or closed)")

    async def transition(self, key: str, transition_id: str, comment: str | None) -> Issue:
        return await work.transition(self.api, key, transition_id, comment)

    async def comment(self, key: str, body: str) -> Comment:
        return await work.add_comment(self.api, key, body)

    async def assignees(self, key: str, query: str) -> list[User]:
        return await work.assignees(self.api, key, query)

    async def assign(self, key: str, user_name: str | None) -> Issue:
        return await work.assign(self.api, key, user_name)

    async def current_user(self) -> User:
        """The token's user, asked once per session (the issue list names them among
        several assignees)."""
        if self._me is None:
            self._me = await work.current_user(self.api)
        return self._me

    async def lookup_issues(self, keys: list[str]) -> list[dict[str, Any]]:
        return await lookup.lookup(self.api, keys)

    async def suggest_issues(self, project: str, text: str, limit: int) -> list[dict[str, Any]]:
        me = await self.current_user()
        return await lookup.suggest(self.api, project, text, limit, me.name)

    async def aclose(self) -> None:
        api, self._api = self._api, None
        if api is not None:
            await api.client.aclose()
