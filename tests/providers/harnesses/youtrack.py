"""The YouTrack provider's conformance harness: the simulator in this process."""

from providers.harness import ProviderHarness

from simulators.youtrack import YouTrackSimulator
from simulators.youtrack import query as yt_query


class YouTrackHarness(ProviderHarness):
    provider_id = "youtrack"
    auth_method = "token"
    small_page_size = 10

    def __init__(self) -> None:
        self.sim = YouTrackSimulator()

    def start(self) -> None:
        self.sim.start()

    def stop(self) -> None:
        self.sim.stop()

    @property
    def base_url(self) -> str:
        return self.sim.base_url

    def set_page_size(self, size: int) -> None:
        self.sim.page_size = size

    def list_requests(self) -> int:
        return self.sim.lists_answered

    def list_requests_received(self) -> int | None:
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
        return {"baseUrl": self.sim.base_url, "token": self.sim.store.users[user].token}

    def wrong_fields(self) -> dict[str, str]:
        return {"baseUrl": self.sim.base_url, "token": "perm:d3Jvbmc=.V3Jvbmc=.notAToken"}

    def secrets(self, user: str) -> list[str]:
        return [self.sim.store.users[user].token]

    def expected_open_keys(self, user: str) -> list[str]:
        return self._keys("for: me #Unresolved sort by: updated desc", user)

    def query(self) -> tuple[str, list[str]]:
        text = "project: CORE #Unresolved sort by: updated desc"
        return text, self._keys(text, self.user)

    def bad_query(self) -> str | None:
        return "nosuchfield: value"

    def expected_user_name(self, user: str) -> str | None:
        return user  # the login

    def revoke(self, user: str) -> bool:
        self.sim.store.revoke(user)
        return True

    # --- issue keys in documents ------------------------------------------------------

    def existing_keys(self) -> list[str]:
        return ["DEMO-1", "CORE-1", "DEMO-4", "CORE-3"]

    def missing_key(self) -> str:
        return "DEMO-9999"

    def api_requests(self) -> int:
        return sum(1 for r in self.sim.request_log if not r.path.startswith("/_sim"))

    def lookup_request_bound(self, keys: list[str]) -> int:
        return -(-len(set(keys)) // 50)  # one search per 50 issue ids

    def project_keys(self) -> set[str] | None:
        return set(self.sim.store.projects)

    def suggest_project(self) -> str:
        return "DEMO"

    def suggest_text(self) -> str:
        return "login"

    def mine_and_open(self, key: str) -> bool:
        issue = self.sim.store.find(key)
        return issue is not None and issue.assignee == self.user and not issue.resolved

    def _keys(self, text: str, user: str) -> list[str]:
        parsed = yt_query.parse(text, user)
        found = [i for i in self.sim.store.issues.values() if parsed.matches(i)]
        return [i.id_readable for i in parsed.sort(found)]


HARNESS = YouTrackHarness
