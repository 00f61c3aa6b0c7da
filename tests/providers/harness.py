"""What the provider conformance suite needs from each provider and its simulator.

Every provider has one `ProviderHarness` in `tests/providers/harnesses/<provider>.py`
(the module exports `HARNESS`, the class). The suite (`test_conformance.py`) runs each
of its tests once per harness, against the provider's simulator on 127.0.0.1 and the
agent as a subprocess over stdio; a provider is done when it passes.

A harness module imports this one as `providers.harness` (tests/ is on the path, as
for mypy). The suite makes one harness per test (`HARNESS()`, no arguments), starts
it, and stops it after the test, so no fault, latency or page size outlives a test.
Methods below "optional" have defaults; see docs/providers.md.
"""

import abc
from typing import ClassVar


class ProviderHarness(abc.ABC):
    provider_id: ClassVar[str]
    # The auth method the suite configures with (a token-like one: no browser step).
    auth_method: ClassVar[str]
    # A user with more open issues assigned than three pages of `small_page_size`.
    user: ClassVar[str] = "alice"
    # A page size small enough that the user's open issues need several pages.
    small_page_size: ClassVar[int] = 10

    # --- the simulator -----------------------------------------------------------------

    @abc.abstractmethod
    def start(self) -> None:
        """Start the simulator on 127.0.0.1 with its seeded data."""

    @abc.abstractmethod
    def stop(self) -> None: ...

    @property
    @abc.abstractmethod
    def base_url(self) -> str:
        """What a user types as the form's `baseUrl` for this simulator."""

    @abc.abstractmethod
    def set_page_size(self, size: int) -> None:
        """Cap the pages the tracker's list or search endpoint answers at `size` items."""

    @abc.abstractmethod
    def list_requests(self) -> int:
        """How many issue list or search requests the simulator has answered so far."""

    @abc.abstractmethod
    def drop_network(self) -> None:
        """Connections refused from now on (the VPN dropped), until `restore_network`."""

    @abc.abstractmethod
    def restore_network(self) -> None: ...

    @abc.abstractmethod
    def set_latency(self, seconds: float) -> None:
        """Delay every answer of the simulator by `seconds` (0: none)."""

    @abc.abstractmethod
    def fail_lists(self, status: int, count: int) -> None:
        """The next `count` issue list or search requests answer `status` (a 5xx, or 429
        with the tracker's own rate-limit headers) the way the tracker does."""

    # --- what the agent is given and should answer ---------------------------------------

    @abc.abstractmethod
    def fields(self, user: str) -> dict[str, str]:
        """Configure fields that connect as `user`."""

    @abc.abstractmethod
    def wrong_fields(self) -> dict[str, str]:
        """Configure fields whose credentials the tracker refuses."""

    @abc.abstractmethod
    def secrets(self, user: str) -> list[str]:
        """Every secret value `fields(user)` carries: they must never leak."""

    @abc.abstractmethod
    def expected_open_keys(self, user: str) -> list[str]:
        """The keys of the default fetch (the user's open issues), in the order the
        provider documents (newest update first), read from the simulator's data."""

    @abc.abstractmethod
    def query(self) -> tuple[str, list[str]]:
        """A search in the tracker's own syntax and the keys it must return, in order."""

    @abc.abstractmethod
    def bad_query(self) -> str | None:
        """A search the tracker refuses as malformed (`remoteError`), or None if every
        string is a valid search there."""

    # --- optional: what the suite checks when a harness says it ---------------------------

    def expected_user_name(self, user: str) -> str | None:
        """The `Instance.user.name` configure answers for `user` (the login, or an
        account id where the tracker names users so); None: any non-empty name."""
        return None

    def list_requests_received(self) -> int | None:
        """How many list or search requests have reached the simulator, answered or not
        (one held by `set_latency` counts); None: it cannot tell, and the cancellation
        test cancels once the fetch has begun (its `$/progress` begin)."""
        return None

    def revoke(self, user: str) -> bool:
        """Make the tracker refuse the credentials `fields(user)` carries from now on (the
        user revoked the token); False if the simulator cannot, and the suite skips that."""
        return False

    # --- optional: issue keys in documents (test_conformance_keys.py) ----------------------
    # Asked only of a provider with a `key_style`; a harness of such a provider gives all.

    def existing_keys(self) -> list[str]:
        """Several keys of issues the user can see, from two projects (or repositories)
        where the simulator has them."""
        raise NotImplementedError

    def missing_key(self) -> str:
        """A key of one of the instance's projects (repositories) that names no issue."""
        raise NotImplementedError

    def api_requests(self) -> int:
        """How many tracker API requests reached the simulator so far (its request log,
        the admin API left out)."""
        raise NotImplementedError

    def lookup_request_bound(self, keys: list[str]) -> int:
        """The most requests the provider documents for one lookup of `keys`."""
        raise NotImplementedError

    def project_keys(self) -> set[str] | None:
        """Key style "project": the project keys of the instance; None otherwise."""
        return None

    def suggest_project(self) -> str:
        """A project key (or `owner/repo`) where the user has open issues and others too."""
        raise NotImplementedError

    def suggest_text(self) -> str:
        """A word the tracker's text search finds in several issues of `suggest_project`."""
        raise NotImplementedError

    def mine_and_open(self, key: str) -> bool:
        """The issue is open and assigned to `user` (read from the simulator's data)."""
        raise NotImplementedError
