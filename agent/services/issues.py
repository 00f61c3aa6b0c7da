"""`issuebridge/issues/fetch`: every matching issue, with progress."""

from agent.client import EditorClient
from agent.errors import AuthenticationFailed
from agent.services.instances import Instances
from protocol.types import IssuesFetchParams, IssuesFetchResult


async def fetch(
    instances: Instances, client: EditorClient, params: IssuesFetchParams
) -> IssuesFetchResult:
    stored, session = await instances.session(params.instance_id)
    title = f"Fetching issues from {stored.base_url}"
    with client.progress(params.work_done_token, title) as progress:

        def on_progress(done: int, expected: int) -> None:
            percent = 100 * done // expected if expected else 100
            progress.report(f"{done} of {expected} issues", percent)

        try:
            result = await session.fetch_issues(params.jql, params.limit, on_progress)
        except AuthenticationFailed as exc:
            await instances.mark_failed(params.instance_id, exc, stored)
            raise
    return IssuesFetchResult(issues=result.issues, total=result.total)
