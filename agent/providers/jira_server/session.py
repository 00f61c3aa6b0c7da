"""A live connection to one Jira instance: its HTTP client, auth and searches."""

from agent.providers.base import FetchResult, ProgressCallback, TrackerSession
from agent.providers.jira_server.api import JiraApi
from agent.providers.jira_server.search import fetch_all

# The contract's default: my unresolved issues, most recently updated first.
DEFAULT_JQL = "assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC"


class JiraSession(TrackerSession):
    def __init__(self, api: JiraApi, operation_timeout_seconds: float) -> None:
        self.api = api
        self.operation_timeout_seconds = operation_timeout_seconds

    async def fetch_issues(
        self, jql: str | None, limit: int, on_progress: ProgressCallback
    ) -> FetchResult:
        query = jql if jql and jql.strip() else DEFAULT_JQL
        return await fetch_all(self.api, query, limit, on_progress, self.operation_timeout_seconds)

    async def aclose(self) -> None:
        await self.api.client.aclose()
