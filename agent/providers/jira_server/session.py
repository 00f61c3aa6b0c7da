"""A live connection to one Jira instance: its HTTP client, auth and searches."""

from collections.abc import Callable
from typing import Any

from agent.providers.base import FetchResult, ProgressCallback, TrackerSession
from agent.providers.jira_server import lookup, work
from agent.providers.jira_server.api import JiraApi
from agent.providers.jira_server.create import JiraCreate
from agent.providers.jira_server.projects import ProjectNames
from agent.providers.jira_server.search import LARGEST_PAGE, fetch_all
from protocol.types import (
    Comment,
    CreateFormResult,
    FieldValue,
    Issue,
    IssueDetail,
    ProjectInfo,
    Transition,
    User,
)

# The contract's default: my unresolved issues, most recently updated first.
DEFAULT_JQL = "assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC"


class JiraSession(TrackerSession):
    def __init__(self, new_api: Callable[[], JiraApi], operation_timeout_seconds: float) -> None:
        self._new_api = new_api
        self._api: JiraApi | None = None
        self.operation_timeout_seconds = operation_timeout_seconds
        self._fetching = 0
        # Kept across clients: `aclose` after a large fetch must not forget them.
        self._projects = ProjectNames()
        self._create = JiraCreate()

    @property
    def api(self) -> JiraApi:
        if self._api is None:
            self._api = self._new_api()
        return self._api

    async def fetch_issues(
        self, jql: str | None, limit: int, on_progress: ProgressCallback
    ) -> FetchResult:
        query = jql if jql and jql.strip() else DEFAULT_JQL
        self._fetching += 1
        try:
            result = await fetch_all(
                self.api, query, limit, on_progress, self.operation_timeout_seconds, self._projects
            )
        finally:
            self._fetching -= 1
        if len(result.issues) > LARGEST_PAGE and not self._fetching:
            # A fetch of many pages opened one connection per page in flight. Idle
            # connections expire after 5 s anyway; their objects, made in the middle of
            # the fetch, kept ~9 MB of the memory it used from going back to the system.
            # The next request opens a new client.
            await self.aclose()
        return result

    async def suggest_issues(self, project: str, text: str, limit: int) -> list[dict[str, Any]]:
        """Completion after `PROJECT-` (agent.providers.jira_server.suggest)."""
        from agent.providers.jira_server.suggest import suggest

        names = await self._projects.get(self.api)
        return await suggest(self.api, project, text, limit, names)

    # --- projects and creating issues (agent.providers.jira_server.create) -----

    async def list_projects(self, refresh: bool) -> list[ProjectInfo]:
        return await self._projects.projects(self.api, refresh)

    async def create_form(self, project_key: str, issue_type: str | None) -> CreateFormResult:
        return await self._create.form(self.api, project_key, issue_type)

    async def create_issue(
        self, project_key: str, issue_type: str, fields: dict[str, FieldValue]
    ) -> Issue:
        return await self._create.create(self.api, project_key, issue_type, fields)

    # --- issue keys in documents (agent.providers.jira_server.lookup) ------------

    async def key_prefixes(self) -> set[str]:
        return {project.key for project in await self._projects.projects(self.api)}

    async def lookup_issues(self, keys: list[str]) -> list[dict[str, Any]]:
        return await lookup.lookup_issues(self.api, self._projects, keys)

    # --- one issue (agent.providers.jira_server.work) ---------------------------

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

    async def aclose(self) -> None:
        api, self._api = self._api, None
        if api is not None:
            await api.client.aclose()
