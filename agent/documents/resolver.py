"""Candidates -> (instance, issue key), for the instances connected now.

What the connected instances are, and the project keys of each "project" style one
(`TrackerSession.key_prefixes`, one request per instance), is loaded once and kept:
reloaded when the instances change (connect, disconnect, configure: `reload`), and
in the background after `LIFETIME_SECONDS`. Only the first request after a change
waits for the load; later ones use what is kept. Nothing is a key while no instance
is connected or `issueKeys.enabled` is false.

Repository style (`owner/repo#12`, `#12`) needs no request: `owner/repo#12` belongs
to the connected repository-style instance the document's checkout maps to (its git
remote, `TrackerProvider.repository_of_remote`), else to the first one; `#12` only
to a document whose checkout maps to a connected instance's repository.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable
from urllib.parse import urlparse

import attrs

from agent.documents.index import Candidate
from agent.documents.repositories import Checkouts
from agent.errors import AgentError, AuthenticationFailed
from agent.providers.base import InstanceConfig, TrackerProvider, TrackerSession
from agent.providers.registry import ProviderRegistry
from agent.services.instances import Instances, instance_config

log = logging.getLogger("issuebridge.documents")

# Projects are added rarely; a new one is seen after this long (or a reconnect).
LIFETIME_SECONDS = 300.0
# After a failed load of an instance's projects: try again this soon.
RETRY_SECONDS = 30.0


@attrs.frozen
class Connected:
    instance_id: str
    provider: TrackerProvider
    config: InstanceConfig
    label: str
    prefixes: frozenset[str] = frozenset()


@attrs.frozen
class Target:
    """Where a candidate points: an issue of a connected instance."""

    instance: Connected
    key: str
    url: str


@attrs.frozen
class _Snapshot:
    connected: tuple[Connected, ...]
    loaded_at: float
    lifetime: float

    def stale(self) -> bool:
        return time.monotonic() - self.loaded_at > self.lifetime


def label_of(base_url: str) -> str:
    """How hovers and tooltips name an instance: its host (and path)."""
    parsed = urlparse(base_url)
    return (parsed.netloc + parsed.path.rstrip("/")) or base_url


class Resolver:
    def __init__(
        self,
        instances: Instances,
        registry: ProviderRegistry,
        enabled: Callable[[], bool],
        checkouts: Checkouts | None = None,
    ) -> None:
        self._instances = instances
        self._registry = registry
        self._enabled = enabled
        self.checkouts = checkouts or Checkouts()
        self._snapshot: _Snapshot | None = None
        self._loading: asyncio.Task[_Snapshot] | None = None
        self._generation = 0

    # --- what is connected --------------------------------------------------------

    def reload(self) -> None:
        """The instances changed: forget what is kept; the next request loads it."""
        self._generation += 1
        self._snapshot = None
        self._loading = None

    async def connected(self) -> tuple[Connected, ...]:
        """The connected instances whose keys documents show (none while disabled)."""
        if not self._enabled():
            return ()
        snapshot = self._snapshot
        while snapshot is None:
            generation = self._generation
            loaded = await asyncio.shield(self._load())
            # A change while it loaded: that load is out of date, wait for the next.
            snapshot = loaded if generation == self._generation else self._snapshot
        if snapshot.stale():
            self._load()  # in the background: this request uses what is kept
        return snapshot.connected

    def _load(self) -> "asyncio.Task[_Snapshot]":
        if self._loading is None:
            generation = self._generation
            task = asyncio.get_running_loop().create_task(self._read(generation))
            self._loading = task
        return self._loading

    async def _read(self, generation: int) -> _Snapshot:
        try:
            connected, complete = await self._read_instances()
        except Exception:
            log.exception("Could not list the instances for issue keys")
            connected, complete = [], False
        snapshot = _Snapshot(
            tuple(connected),
            time.monotonic(),
            LIFETIME_SECONDS if complete else RETRY_SECONDS,
        )
        if generation == self._generation:
            self._snapshot, self._loading = snapshot, None
        return snapshot

    async def _read_instances(self) -> tuple[list[Connected], bool]:
        connected: list[Connected] = []
        complete = True
        for instance in await self._instances.all(team=set()):
            if instance.state != "connected":
                continue
            try:
                provider = self._registry.get(instance.provider_id)
            except AgentError:
                continue
            if provider.key_style is None:
                continue
            prefixes: frozenset[str] = frozenset()
            stored = await self._instances.get(instance.instance_id)
            if provider.key_style == "project":
                try:
                    async with self.session(instance.instance_id) as session:
                        prefixes = frozenset(await session.key_prefixes())
                except AgentError as exc:
                    log.info("No project keys of %s for documents: %s", instance.instance_id, exc)
                    complete = False
                    continue
            connected.append(
                Connected(
                    instance.instance_id,
                    provider,
                    instance_config(stored),
                    label_of(instance.base_url),
                    prefixes,
                )
            )
        return connected, complete

    @contextlib.asynccontextmanager
    async def session(self, instance_id: str) -> AsyncIterator[TrackerSession]:
        """The instance's session; a rejected login marks the instance, as a fetch does."""
        stored, session = await self._instances.session(instance_id)
        try:
            yield session
        except AuthenticationFailed as exc:
            await self._instances.mark_failed(instance_id, exc, stored)
            raise

    # --- candidates -> targets ----------------------------------------------------

    async def resolve(
        self, uri: str, candidates: Iterable[tuple[int, Candidate]]
    ) -> list[tuple[int, Candidate, Target]]:
        """The candidates that are keys of a connected instance, with their target."""
        connected = await self.connected()
        if not connected:
            return []
        by_prefix: dict[str, Connected] = {}
        for instance in connected:
            for prefix in instance.prefixes:
                by_prefix.setdefault(prefix, instance)
        repository_style = [c for c in connected if c.provider.key_style == "repository"]
        found: list[tuple[int, Candidate, Target]] = []
        mapped: tuple[Connected, str] | bool | None = False  # False: not looked up yet
        for line, candidate in candidates:
            target: Target | None = None
            if candidate.kind == "project":
                owner = by_prefix.get(candidate.prefix)
                if owner is not None:
                    target = _target(owner, candidate.text)
            elif repository_style:
                if mapped is False:
                    mapped = await self.checkout_repository(uri, repository_style)
                home = mapped if isinstance(mapped, tuple) else None
                if candidate.kind == "repository":
                    instance = home[0] if home else repository_style[0]
                    target = _target(instance, candidate.text)
                elif home is not None:
                    target = _target(home[0], f"{home[1]}#{candidate.number}")
            if target is not None:
                found.append((line, candidate, target))
        return found

    async def checkout_repository(
        self, uri: str, candidates: list[Connected]
    ) -> tuple[Connected, str] | None:
        """The instance and `owner/repo` the document's git checkout maps to, if any."""
        remotes = await asyncio.to_thread(self.checkouts.remotes, uri)
        for remote in remotes:
            for instance in candidates:
                repository = instance.provider.repository_of_remote(instance.config, remote)
                if repository:
                    return instance, repository
        return None


def _target(instance: Connected, key: str) -> Target | None:
    url = instance.provider.issue_url(instance.config, key)
    return Target(instance, key, url) if url else None
