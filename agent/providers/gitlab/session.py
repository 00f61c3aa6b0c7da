"""A live connection to one GitLab instance: its HTTP client, the issue list and the
work on one issue."""

from collections.abc import Callable
from typing import Any

from agent.providers.base import FetchResult, ProgressCallback, TrackerSession, unsupported
from agent.providers.gitlab import lookup, work
from agent.providers.gitlab.api import GitLabApi
from agent.providers.gitlab.issues import to_user
from agent.providers.gitlab.projects import ProjectNames
from agent.providers.gitlab.search import fetch_all
from protocol.types import Comment, Issue, IssueDetail, ProjectInfo, Transition, User


class GitLabSession(TrackerSession):
    def __init__(self, new_api: Callable[[], GitLabApi], operation_timeout_seconds: float) -> None:
        self._new_api = new_api
        self._api: GitLabApi | None = None
        self.operation_timeout_seconds = operation_timeout_seconds
        self._projects = ProjectNames()

    @property
    def api(self) -> GitLabApi:
        if self._api is None:
            self._api = self._new_api()
        return self._api

    async def fetch_issues(
        self, jql: str | None, limit: int, on_progress: ProgressCallback
    ) -> FetchResult:
        return await fetch_all(
            self.api, jql, limit, on_progress, self.operation_timeout_seconds, self._projects
        )

    async def list_projects(self, refresh: bool) -> list[ProjectInfo]:
        return await self._projects.list_projects(self.api)

    async def get_issue(self, key: str) -> IssueDetail:
        return await work.get_issue(self.api, key, self._projects)

    async def issue_with_transitions(self, key: str) -> tuple[Issue, list[Transition]]:
        # Only `startWork` asks for this, and GitLab has no state "in progress" to move
        # an issue into (opened and closed only): not among the capabilities.
        raise unsupported("starting work")

    async def transition(self, key: str, transition_id: str, comment: str | None) -> Issue:
        return await work.transition(self.api, key, transition_id, comment, self._projects)

    async def comment(self, key: str, body: str) -> Comment:
        return await work.add_comment(self.api, key, body)

    async def assignees(self, key: str, query: str) -> list[User]:
        return await work.assignees(self.api, key, query)

    async def assign(self, key: str, user_name: str | None) -> Issue:
        return await work.assign(self.api, key, user_name, self._projects)

    async def current_user(self) -> User:
        return to_user(await self.api.current_user())

    async def lookup_issues(self, keys: list[str]) -> list[dict[str, Any]]:
        return await lookup.lookup(self.api, keys, self._projects)

    async def suggest_issues(self, project: str, text: str, limit: int) -> list[dict[str, Any]]:
        return await lookup.suggest(self.api, project, text, limit, self._projects)

    async def aclose(self) -> None:
        api, self._api = self._api, None
        if api is not None:
            await api.client.aclose()
