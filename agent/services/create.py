"""`projects/list`, `issues/createForm` and `issues/create`: what a create form needs.

The provider's session does the work; this says which instance, and marks it failed
when the tracker rejects its credentials (as a fetch does).
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from agent.errors import AuthenticationFailed
from agent.providers.base import TrackerSession
from agent.services.instances import Instances
from protocol.types import (
    CreateFormParams,
    CreateFormResult,
    CreateIssueParams,
    IssueResult,
    ProjectsListParams,
    ProjectsListResult,
)

T = TypeVar("T")


async def _with_session(
    instances: Instances, instance_id: str, work: Callable[[TrackerSession], Awaitable[T]]
) -> T:
    stored, session = await instances.session(instance_id)
    try:
        return await work(session)
    except AuthenticationFailed as exc:
        await instances.mark_failed(instance_id, exc, stored)
        raise


async def list_projects(instances: Instances, params: ProjectsListParams) -> ProjectsListResult:
    projects = await _with_session(
        instances, params.instance_id, lambda s: s.list_projects(params.refresh)
    )
    return ProjectsListResult(projects=projects)


async def create_form(instances: Instances, params: CreateFormParams) -> CreateFormResult:
    return await _with_session(
        instances,
        params.instance_id,
        lambda s: s.create_form(params.project_key, params.issue_type),
    )


async def create_issue(instances: Instances, params: CreateIssueParams) -> IssueResult:
    issue = await _with_session(
        instances,
        params.instance_id,
        lambda s: s.create_issue(params.project_key, params.issue_type, params.fields),
    )
    return IssueResult(issue=issue)
