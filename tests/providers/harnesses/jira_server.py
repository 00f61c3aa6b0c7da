"""The conformance harness of Jira Server / Data Center (`jira-server`): its simulator
(simulators/jira_server) with a personal access token.

Lists are the searches (`/rest/api/2/search`). A 429, 502 or 503 comes from the
simulator's own faults (Jira's rate-limit headers, nginx's 502 page, Tomcat's 503); any
other status is Jira's JSON error body (`errorMessages`), answered by this harness in
front of the simulator.
"""

import threading
from typing import ClassVar

from providers.harness import ProviderHarness

from simulators.jira_server import JiraSimulator, SimulatorConfig
from simulators.jira_server.wire import Request, Response, error_response

SEARCH = "/rest/api/2/search"
# Enough issues for alice to need well over three small pages, few enough to be quick.
ISSUE_COUNT = 90


class _Simulator(JiraSimulator):
    """The simulator, with list requests answering any status on demand."""

    def __init__(self, config: SimulatorConfig) -> None:
        super().__init__(config)
        self.failing_lists: list[int] = []
        self._failing_lock = threading.Lock()

    def fail_lists(self, status: int, count: int) -> None:
        with self._failing_lock:
            self.failing_lists.extend([status] * count)

    def route(self, request: Request) -> Response:
        if request.path.endswith(SEARCH):
            with self._failing_lock:
                status = self.failing_lists.pop(0) if self.failing_lists else None
            if status is not None:
                return error_response(status, [f"Internal server error ({status})."])
        return super().route(request)


class JiraServerHarness(ProviderHarness):
    provider_id = "jira-server"
    auth_method = "token"
    user = "alice"
    small_page_size = 10

    def __init__(self) -> None:
        self.sim = _Simulator(SimulatorConfig(issue_count=ISSUE_COUNT))

    # --- the simulator -----------------------------------------------------------------

    def start(self) -> None:
        self.sim.start()

    def stop(self) -> None:
        self.sim.stop()

    @property
    def base_url(self) -> str:
        return self.sim.base_url

    def set_page_size(self, size: int) -> None:
        self.sim.config.max_results_cap = size

    def list_requests(self) -> int:
        # The request log records a request as it arrives: answered, or held by latency.
        return sum(1 for r in list(self.sim.request_log) if r.path.endswith(SEARCH))

    def list_requests_received(self) -> int | None:
        return self.list_requests()

    def drop_network(self) -> None:
        self.sim.drop_network()

    def restore_network(self) -> None:
        self.sim.restore_network()

    def set_latency(self, seconds: float) -> None:
        self.sim.faults.latency_seconds = seconds

    def fail_lists(self, status: int, count: int) -> None:
        faults = self.sim.faults
        if status == 429:
            faults.rate_limit(count, retry_after=1, match=SEARCH)
        elif status == 502:
            faults.html_502(count, match=SEARCH)
        elif status == 503:
            faults.unavailable_503(count, match=SEARCH)
        else:
            self.sim.fail_lists(status, count)

    # --- what the agent is given and should answer ---------------------------------------

    def fields(self, user: str) -> dict[str, str]:
        return {"baseUrl": self.base_url, "token": self.sim.user(user).pat}

    def wrong_fields(self) -> dict[str, str]:
        # The shape of a real token (base64 of "<12 digits>:<20 bytes>"), unknown to Jira.
        return {"baseUrl": self.base_url, "token": "MDAwMDAwMDAwOTk5OldyT25nV3JPbmdXck9uZ1dy"}

    def secrets(self, user: str) -> list[str]:
        return [self.sim.user(user).pat]

    def expected_user_name(self, user: str) -> str | None:
        return user

    def revoke(self, user: str) -> bool:
        return self.sim.revoke_pat(self.sim.user(user).pat)

    def expected_open_keys(self, user: str) -> list[str]:
        mine = [i for i in self.sim.issues if i.assignee == user and i.resolution_id is None]
        mine.sort(key=lambda i: (i.updated, i.id), reverse=True)
        return [i.key for i in mine]

    QUERY: ClassVar[str] = "resolution is not EMPTY ORDER BY updated DESC"

    def query(self) -> tuple[str, list[str]]:
        done = [i for i in self.sim.issues if i.resolution_id is not None]
        done.sort(key=lambda i: (i.updated, i.id), reverse=True)
        return self.QUERY, [i.key for i in done]

    def bad_query(self) -> str | None:
        return "project = = ISB"

    # --- issue keys in documents (asked once Jira Server has a key_style) ---------------

    def existing_keys(self) -> list[str]:
        return ["ISB-1", "WEB-1", "ISB-2", "OPS-1"]

    def missing_key(self) -> str:
        return "ISB-9999"

    def api_requests(self) -> int:
        return sum(1 for r in list(self.sim.request_log) if not r.path.startswith("/_sim"))

    def lookup_request_bound(self, keys: list[str]) -> int:
        # One search per 100 keys, and the project list once (it names the projects).
        return -(-len(set(keys)) // 100) + 1

    def project_keys(self) -> set[str] | None:
        return {"ISB", "WEB", "OPS", "DOC"}

    def suggest_project(self) -> str:
        return "ISB"

    def suggest_text(self) -> str:
        return "regression"  # in summaries of three of alice's open ISB issues and three others

    def mine_and_open(self, key: str) -> bool:
        issue = next((i for i in self.sim.issues if i.key == key), None)
        return issue is not None and issue.assignee == self.user and issue.resolution_id is None


HARNESS = JiraServerHarness
