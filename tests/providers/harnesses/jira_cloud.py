"""The Jira Cloud provider against its simulator (simulators/jira_cloud), plain http on
127.0.0.1: the provider accepts http only for a loopback host (docs/jira-cloud.md)."""

from providers.harness import ProviderHarness

from simulators.jira_cloud import JiraCloudSimulator
from simulators.jira_cloud.jql import parse

DEFAULT_JQL = "assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC"
QUERY = 'project = WEB AND statusCategory = "In Progress" ORDER BY key ASC'


class JiraCloudHarness(ProviderHarness):
    provider_id = "jira-cloud"
    auth_method = "apiToken"

    def __init__(self) -> None:
        self.sim = JiraCloudSimulator()

    def start(self) -> None:
        self.sim.start()

    def stop(self) -> None:
        self.sim.stop()

    @property
    def base_url(self) -> str:
        return self.sim.base_url

    def set_page_size(self, size: int) -> None:
        self.sim.page_cap = size

    def list_requests(self) -> int:
        return self.sim.list_requests

    def drop_network(self) -> None:
        self.sim.drop_network()

    def restore_network(self) -> None:
        self.sim.restore_network()

    def set_latency(self, seconds: float) -> None:
        self.sim.latency_seconds = seconds

    def fail_lists(self, status: int, count: int) -> None:
        self.sim.fail_lists(status, count)

    def fields(self, user: str) -> dict[str, str]:
        account = self.sim.user(user)
        return {"baseUrl": self.base_url, "email": account.email, "token": account.api_token}

    def wrong_fields(self) -> dict[str, str]:
        account = self.sim.user(self.user)
        return {"baseUrl": self.base_url, "email": account.email, "token": "ATATT3xWrongToken0"}

    def secrets(self, user: str) -> list[str]:
        return [self.sim.user(user).api_token]

    def expected_open_keys(self, user: str) -> list[str]:
        return self._keys(DEFAULT_JQL, user)

    def query(self) -> tuple[str, list[str]]:
        return QUERY, self._keys(QUERY, self.user)

    def bad_query(self) -> str | None:
        return "assignee = = currentUser("

    def expected_user_name(self, user: str) -> str | None:
        return self.sim.user(user).account_id  # Cloud users are account ids

    def list_requests_received(self) -> int | None:
        return self.sim.list_requests  # the simulator counts searches on arrival

    def revoke(self, user: str) -> bool:
        self.sim.user(user).api_token = f"revoked-{self.sim.user(user).api_token}"
        return True

    # --- issue keys in documents ------------------------------------------------------

    def existing_keys(self) -> list[str]:
        return ["CORE-1", "WEB-2", "CORE-5", "WEB-7"]

    def missing_key(self) -> str:
        return "CORE-9999"

    def api_requests(self) -> int:
        return sum(1 for r in self.sim.request_log if not r.path.startswith("/_sim/"))

    def lookup_request_bound(self, keys: list[str]) -> int:
        return -(-len(set(keys)) // 100)  # one bulk fetch per 100 keys

    def project_keys(self) -> set[str] | None:
        return {"CORE", "WEB"}

    def suggest_project(self) -> str:
        return "CORE"

    def suggest_text(self) -> str:
        return "login"

    def mine_and_open(self, key: str) -> bool:
        issue = self.sim.issue(key)
        me = self.sim.user(self.user).account_id
        return issue is not None and issue.assignee == me and not issue.resolved

    def _keys(self, jql: str, user: str) -> list[str]:
        """Read from the simulator's data through its JQL (checked by its own tests)."""
        return [i.key for i in parse(jql, self.sim.user(user), self.sim.users).run(self.sim.issues)]


HARNESS = JiraCloudHarness
