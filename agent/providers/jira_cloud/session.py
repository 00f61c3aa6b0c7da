"""A live connection to one Jira Cloud site: its HTTP client, auth and searches."""

from collections.abc import Callable
from typing import Any

from agent.providers.base import FetchResult, ProgressCallback, TrackerSession
from agent.providers.jira_cloud import keys as key_requests
from agent.providers.jira_cloud import work
from agent.providers.jira_cloud.api import CloudApi
from agent.providers.jira_cloud.search import fetch_all
from agent.providers.key_lookup import Prefixes
from protocol.types import Comment, Issue, IssueDetail, Transition, User

# The contract's default: my unresolved issues, most recently updated first.
DEFAULT_JQL = "assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC"


class JiraCloudSession(TrackerSession):
    def __init__(self, new_api: Callable[[], CloudApi], operation_timeout_seconds: float) -> None:
        self._new_api = new_api
        self._api: CloudApi | None = None
        self.operation_timeout_seconds = operation_timeout_seconds
        self._prefixes = Prefixes(lambda: key_requests.project_keys(self.api))

    @property
    def api(self) -> CloudApi:
        if self._api is None:
            self._api = self._new_api()
        return self._api

    async def fetch_issues(
        self, jql: str | None, limit: int, on_progress: ProgressCallback
    ) -> FetchResult:
        query = jql if jql and jql.strip() else DEFAULT_JQL
        return await fetch_all(self.api, query, limit, on_progress, self.operation_timeout_seconds)

    async def get_issue(self, key: str) -> IssueDetail:
        return await work.get_issue(self.api, key)

    async def issue_with_transitions(self, key: str) -> tuple[Issue, list[Transition]]:
        return await work.issue_with_transitions(self.api, key)

    async def transition(self, key: str, transition_id: str, comment: str | None) -> Issue:
        return await work.transition(self.api, key, transition_id, comment)

    async def comment(self, key: str, body: str) -> Comment:
        return await work.add_comment(self.api, key, body)

    async def assignees(self, key: str, query: str) -> list[User]:
        return await work.assignees(self.api, key, query)

    async def assign(self, key: str, user_name: str | None) -> Issue:
        return await work.assign(self.api, key, user_name)

    async def current_user(self) -> User:
        return await work.current_user(self.api)

    async def key_prefixes(self) -> set[str]:
        return await self._prefixes.get()

    async def lookup_issues(self, keys: list[str]) -> list[dict[str, Any]]:
        return await key_requests.lookup(self.api, keys)

    async def suggest_issues(self, project: str, text: str, limit: int) -> list[dict[str, Any]]:
        return await key_requests.suggest(self.api, project, text, limit)

    async def aclose(self) -> None:
        api, self._api = self._api, None
        if api is not None:
            await api.client.aclose()
