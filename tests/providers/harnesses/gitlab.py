"""The GitLab provider's conformance harness: its simulator (simulators/gitlab) in
this process, on 127.0.0.1."""

from typing import ClassVar

from providers.harness import ProviderHarness

from simulators.gitlab import GitLabSimulator


class GitLabHarness(ProviderHarness):
    provider_id: ClassVar[str] = "gitlab"
    auth_method: ClassVar[str] = "token"
    small_page_size: ClassVar[int] = 10

    def __init__(self) -> None:
        self.sim = GitLabSimulator()

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
        return self.sim.list_requests()

    def drop_network(self) -> None:
        self.sim.drop_network()

    def restore_network(self) -> None:
        self.sim.restore_network()

    def set_latency(self, seconds: float) -> None:
        self.sim.faults.latency_seconds = seconds

    def fail_lists(self, status: int, count: int) -> None:
        self.sim.faults.fail_lists(status, count)

    def fields(self, user: str) -> dict[str, str]:
        return {"baseUrl": self.sim.base_url, "token": self.sim.user(user).token}

    def wrong_fields(self) -> dict[str, str]:
        return {"baseUrl": self.sim.base_url, "token": "glpat-wrongWrongWrong0000"}

    def secrets(self, user: str) -> list[str]:
        return [self.sim.user(user).token]

    def expected_open_keys(self, user: str) -> list[str]:
        return self.sim.open_assigned(user)

    def query(self) -> tuple[str, list[str]]:
        word = "pipeline"
        return word, self.sim.open_assigned(self.user, search=word)

    def bad_query(self) -> str | None:
        return None  # `search` is free text: GitLab accepts every string

    # --- issue keys in documents ------------------------------------------------------

    def existing_keys(self) -> list[str]:
        """The first two issues of two projects, one of them a subgroup's."""
        with self.sim.store.lock:
            chosen = []
            for path in ("acme/backend", "acme/platform/infra"):
                chosen += [
                    i.reference
                    for i in self.sim.store.issues
                    if i.project.path_with_namespace == path
                ][:2]
        return chosen

    def missing_key(self) -> str:
        return "acme/backend#9999"

    def api_requests(self) -> int:
        return sum(1 for r in list(self.sim.request_log) if r.path.startswith("/api/v4/"))

    def lookup_request_bound(self, keys: list[str]) -> int:
        # Per project: one request per 100 iids, and its name once per session.
        projects = {k.rpartition("#")[0] for k in keys}
        return 2 * len(projects)

    def suggest_project(self) -> str:
        return "acme/backend"

    def suggest_text(self) -> str:
        return "login"

    def mine_and_open(self, key: str) -> bool:
        with self.sim.store.lock:
            issue = next((i for i in self.sim.store.issues if i.reference == key), None)
            return issue is not None and issue.state == "opened" and self.user in issue.assignees

    def expected_user_name(self, user: str) -> str | None:
        return user  # GitLab users are named by username

    def list_requests_received(self) -> int | None:
        # The site logs each request before answering it (and before its latency).
        return self.sim.list_requests()

    def revoke(self, user: str) -> bool:
        self.sim.revoke_token(user)
        return True


HARNESS = GitLabHarness
