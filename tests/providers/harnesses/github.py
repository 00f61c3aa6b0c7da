"""The GitHub provider against its simulator, for the provider conformance suite."""

from typing import ClassVar

from providers.harness import ProviderHarness

from simulators.github import GitHubSimulator


class GitHubHarness(ProviderHarness):
    provider_id: ClassVar[str] = "github"
    auth_method: ClassVar[str] = "token"

    def __init__(self) -> None:
        self.sim = GitHubSimulator()

    def start(self) -> None:
        self.sim.start()

    def stop(self) -> None:
        self.sim.stop()

    @property
    def base_url(self) -> str:
        return self.sim.api_url

    def set_page_size(self, size: int) -> None:
        self.sim.page_cap = size

    def list_requests(self) -> int:
        return self.sim.list_requests

    def list_requests_received(self) -> int | None:
        # Counted as each request arrives, before any latency holds it.
        return self.sim.list_requests

    def revoke(self, user: str) -> bool:
        return self.sim.data.revoke(user)

    def expected_user_name(self, user: str) -> str | None:
        return user  # the login

    def drop_network(self) -> None:
        self.sim.drop_network()

    def restore_network(self) -> None:
        self.sim.restore_network()

    def set_latency(self, seconds: float) -> None:
        self.sim.faults.latency_seconds = seconds

    def fail_lists(self, status: int, count: int) -> None:
        # 429: the primary rate limit spent, as GitHub answers it (x-ratelimit-remaining 0
        # and x-ratelimit-reset).
        self.sim.faults.fail_lists(status, count)

    def fields(self, user: str) -> dict[str, str]:
        return {"baseUrl": self.base_url, "token": self.sim.user(user).token}

    def wrong_fields(self) -> dict[str, str]:
        return {"baseUrl": self.base_url, "token": "ghp_" + "0" * 36}

    def secrets(self, user: str) -> list[str]:
        return [self.sim.user(user).token]

    def expected_open_keys(self, user: str) -> list[str]:
        return [issue.key for issue in self.sim.data.open_assigned(user)]

    def query(self) -> tuple[str, list[str]]:
        data = self.sim.data
        with data.lock:
            chosen = [
                i
                for i in data.issues
                if "bug" in i.labels and i.state == "open" and not i.pull_request
            ]
        chosen.sort(key=lambda i: (i.updated, i.id), reverse=True)
        return "label:bug is:open", [i.key for i in chosen]

    def bad_query(self) -> str | None:
        # GitHub refuses a repository that does not exist (422 Validation Failed).
        return "repo:nobody-here/nothing is:open"

    # --- issue keys in documents ------------------------------------------------------

    def existing_keys(self) -> list[str]:
        """The first two issues (not pull requests) of two repositories."""
        with self.sim.data.lock:
            chosen = []
            for repo in ("acme/widgets", "acme/gadgets"):
                chosen += [
                    i.key for i in self.sim.data.issues if i.repo == repo and not i.pull_request
                ][:2]
        return chosen

    def missing_key(self) -> str:
        return "acme/widgets#9999"

    def api_requests(self) -> int:
        return sum(1 for r in list(self.sim.request_log) if not r.path.startswith("/_sim"))

    def lookup_request_bound(self, keys: list[str]) -> int:
        return -(-len(set(keys)) // 50)  # one GraphQL request per 50 keys

    def suggest_project(self) -> str:
        return "acme/widgets"

    def suggest_text(self) -> str:
        return "problem"

    def mine_and_open(self, key: str) -> bool:
        repo, _, number = key.rpartition("#")
        issue = self.sim.data.find(repo, int(number))
        return issue is not None and issue.state == "open" and self.user in issue.assignees


HARNESS = GitHubHarness
