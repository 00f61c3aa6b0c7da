"""`issuebridge/issues/fetch`: every matching issue, with progress; the last result
when the server is away (`agent.services.offline`)."""

import asyncio
import gc
import logging

from agent.client import EditorClient
from agent.errors import AuthenticationFailed, InvalidParams, Unreachable
from agent.services.instances import Instances
from agent.services.offline import Offline
from protocol.converter import WireJson
from protocol.types import IssuesFetchParams

log = logging.getLogger("issuebridge")

# After a fetch this large, hand the memory it used back to the system once the answer
# is sent: 10,000 issues otherwise left ~19 MB of freed but unreturned heap behind.
LARGE_FETCH = 1000
# Long enough for the answer to be encoded and written, and its objects freed.
RELEASE_DELAY_SECONDS = 0.2


async def fetch(
    instances: Instances, offline: Offline, client: EditorClient, params: IssuesFetchParams
) -> WireJson:
    """The result in wire form (`IssuesFetchResult`), built without attrs objects."""
    query = search_text(params)
    stored, session = await instances.session(params.instance_id)
    user = stored.user.name if stored.user else None
    title = f"Fetching issues from {stored.base_url}"
    with client.progress(params.work_done_token, title) as progress:

        def on_progress(done: int, expected: int) -> None:
            percent = 100 * done // expected if expected else 100
            progress.report(f"{done} of {expected} issues", percent)

        try:
            result = await session.fetch_issues(query, params.limit, on_progress)
        except AuthenticationFailed as exc:
            await instances.mark_failed(params.instance_id, exc, stored)
            raise
        except Unreachable as exc:
            if params.fresh or not exc.offline:
                raise
            kept = await offline.stand_in(
                params.instance_id, stored.base_url, user, query, params.limit, exc
            )
            if kept is None:
                raise
            answer = kept
        else:
            await offline.keep(params.instance_id, user, query, result.issues, result.total)
            answer = WireJson(issues=result.issues, total=result.total)
    if len(answer["issues"]) >= LARGE_FETCH:
        asyncio.get_running_loop().call_later(RELEASE_DELAY_SECONDS, release_memory)
    return answer


def search_text(params: IssuesFetchParams) -> str | None:
    """`query` (the tracker's own syntax) or its older name `jql`; both only if equal."""
    if params.query is not None and params.jql is not None and params.query != params.jql:
        raise InvalidParams("query", "Give the search as query or as jql, not two different ones.")
    return params.query if params.query is not None else params.jql


def release_memory() -> None:
    """Collect what a large answer left and return free heap pages to the system."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the memory is reused by the next fetch instead
