"""Configured instances: their stored configuration, secrets, state and sessions.

This is the one place that changes what is stored about an instance, and it
tells the editor (`providers/didChange`) after every change.
"""

import asyncio
import contextlib
import contextvars
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from pathlib import Path
from typing import Literal, TypeVar

import attrs

from agent import net_settings
from agent.errors import AgentError, AuthorizationExpired, NotConnected
from agent.providers.base import (
    Credentials,
    InstanceConfig,
    ParsedConfiguration,
    Renewal,
    ServerCheck,
    TrackerSession,
)
from agent.providers.registry import ProviderRegistry
from agent.secret import Secret
from agent.settings import Settings
from agent.store import unit
from agent.store.config import (
    ConfigStore,
    StoredConfig,
    StoredInstance,
    StoredUser,
    peek,
)
from agent.store.files import remove_stale_temp_files
from agent.store.secrets import SecretStore, open_secret_store
from protocol.types import HttpSettings, Instance, User

log = logging.getLogger("issuebridge.instances")


def instance_id_for(provider_id: str, base_url: str) -> str:
    """Stable for a provider and base URL, on every machine (teammates share it)."""
    digest = hashlib.sha256(f"{provider_id}\n{base_url}".encode()).hexdigest()[:12]
    return f"{provider_id}-{digest}"


T = TypeVar("T")
# The instance ids whose lock the current request (task) holds.
_held_locks: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "held_instance_locks", default=frozenset()
)


def key_secret_name(key_id: str) -> str:
    return f"key/{key_id}/private"


# The secrets an instance may hold; USER_CREDENTIALS are the ones that are the user's own
# (disconnect removes them and keeps the instance's: its key, OAuth 2.0's client secret).
USER_CREDENTIALS = (
    "token",
    "accessToken",
    "accessTokenSecret",
    "refreshToken",
    "accessTokenExpiresAt",
)
CREDENTIAL_NAMES = (*USER_CREDENTIALS, "privateKey", "clientSecret")
# Settings with a field of their own in the stored entry; the rest go in `settings`.
OWN_FIELDS = ("consumerKey", "keyId")
# What Instance.settings shows: the non-secret form values a reconnect fills in again.
SHOWN_SETTINGS = ("consumerKey", "clientId", "redirectUri", "scope")
# Every secret an instance may hold: credentials and those of its network settings.
INSTANCE_SECRETS = (*CREDENTIAL_NAMES, *net_settings.SECRET_NAMES)


class Instances:
    def __init__(
        self,
        registry: ProviderRegistry,
        settings: Callable[[], Settings],
        on_change: Callable[[], Awaitable[None]],
        on_corrupt: Callable[[str], None] = lambda text: None,
    ) -> None:
        self._registry = registry
        self._settings = settings
        self._on_change = on_change
        self._on_corrupt = on_corrupt
        # Set by the team service: the ids that a workspace's team configuration lists.
        self.team_ids: Callable[[], Awaitable[set[str]]] = _no_team
        self._sessions: dict[str, TrackerSession] = {}
        self._stores_for: Path | None = None
        self._config: ConfigStore | None = None
        self._secrets: SecretStore | None = None
        self._locks: dict[str, asyncio.Lock] = {}

    # --- stores (they follow the storage dir setting) ----------------------------

    async def _stores(self) -> tuple[ConfigStore, SecretStore]:
        directory = self._settings().storage_dir
        if self._config is None or self._secrets is None or directory != self._stores_for:
            # Choosing the secret store may import keyring and ask the OS: off the loop.
            config = ConfigStore(directory, on_corrupt=self._on_corrupt)
            secrets = await asyncio.to_thread(open_secret_store, directory, self._on_corrupt)
            await asyncio.to_thread(_tidy, config, secrets)
            self._config, self._secrets, self._stores_for = config, secrets, directory
        return self._config, self._secrets

    async def warn_about_insecure(self) -> None:
        """Log a warning for every instance whose TLS verification is off: at each start
        (the agent calls this after `initialize`), so it is never forgotten."""
        # A peek: a damaged file is reported (and set aside) by the store proper.
        current = await asyncio.to_thread(peek, self._settings().storage_dir)
        if current is None:
            return
        for instance_id, stored in sorted(current.instances.items()):
            if is_insecure(stored):
                log.warning("%s", insecure_warning(instance_id, stored.base_url))

    async def secret_storage(self) -> tuple[Literal["keyring", "file"], Path | None]:
        """Where secrets are kept: the OS keyring, or a 0600 file (and its path)."""
        _, secrets = await self._stores()
        return secrets.kind, secrets.location()

    async def _read(self) -> StoredConfig:
        config, _ = await self._stores()
        return await asyncio.to_thread(config.read)

    # --- reading -------------------------------------------------------------------

    async def all(self, team: set[str] | None = None) -> list[Instance]:
        """Every locally configured instance; `team` (ids the team lists) if already known."""
        config = await self._read()
        team = await self.team_ids() if team is None else team
        return [to_instance(i, stored, team) for i, stored in sorted(config.instances.items())]

    async def describe(self, instance_id: str, stored: StoredInstance | None = None) -> Instance:
        """The instance as the editor sees it (state, user, and team scope)."""
        stored = stored or await self.get(instance_id)
        return to_instance(instance_id, stored, await self.team_ids())

    async def get(self, instance_id: str) -> StoredInstance:
        stored = (await self._read()).instances.get(instance_id)
        if stored is None:
            raise NotConnected(
                f"There is no configured instance {instance_id!r}.",
                hint="Configure the server first.",
                action="configure",
                instanceId=instance_id,
            )
        return stored

    async def credentials(
        self, instance_id: str, stored: StoredInstance | None = None
    ) -> Credentials:
        """The instance's secrets, with its generated key (if it uses one) as privateKey."""
        _, secrets = await self._stores()
        stored = stored or await self.get(instance_id)
        prefix = unit.secret_prefix(instance_id, stored.secrets)

        def read() -> dict[str, Secret]:
            found = {
                name: value
                for name in CREDENTIAL_NAMES
                if (value := secrets.get(prefix + name)) is not None
            }
            if stored.key_id and "privateKey" not in found:
                key = secrets.get(key_secret_name(stored.key_id))
                if key is not None:
                    found["privateKey"] = key
            return found

        return Credentials(await asyncio.to_thread(read))

    async def settings_for(
        self, instance_id: str, stored: StoredInstance | None = None
    ) -> Settings:
        """The settings requests to this instance use: its own `http` over the global
        one (agent.net_settings), with the secrets those need."""
        settings = self._settings()
        stored = stored or await self.get(instance_id)
        own = net_settings.from_stored(stored.http)
        _, secrets = await self._stores()
        prefix = unit.secret_prefix(instance_id, stored.secrets)

        def read() -> dict[str, Secret]:
            names = net_settings.SECRET_NAMES
            return {n: v for n in names if (v := secrets.get(prefix + n)) is not None}

        found = await asyncio.to_thread(read) if own is not None or stored.secrets else {}
        return attrs.evolve(
            settings,
            http=net_settings.effective(settings.http, own),
            net_secrets=net_settings.net_secrets(found),
        )

    async def generated_key(self, key_id: str) -> Secret | None:
        _, secrets = await self._stores()
        return await asyncio.to_thread(secrets.get, key_secret_name(key_id))

    async def store_generated_key(self, key_id: str, private_pem: Secret) -> None:
        _, secrets = await self._stores()
        await asyncio.to_thread(secrets.set, key_secret_name(key_id), private_pem)

    # --- changing ----------------------------------------------------------------
    #
    # Every change of an instance runs under its lock (`serialized`), so two requests for
    # one instance never interleave: the later one wins, fully. The write itself is one
    # `unit.commit` (configuration and secrets as one unit, crash-safe) that, once it
    # starts, is not stopped by a cancel: the request then answers with its outcome.

    @contextlib.asynccontextmanager
    async def serialized(self, instance_id: str) -> AsyncIterator[None]:
        """Hold the instance's lock (re-entrant within one request)."""
        held = _held_locks.get()
        if instance_id in held:
            yield
            return
        async with self._locks.setdefault(instance_id, asyncio.Lock()):
            token = _held_locks.set(held | {instance_id})
            try:
                yield
            finally:
                _held_locks.reset(token)

    async def _commit(
        self,
        instance_id: str,
        change: unit.Change,
        new_secrets: Mapping[str, Secret] | None = None,
        keep: Collection[str] = (),
    ) -> StoredInstance | None:
        config, secrets = await self._stores()
        return await finish_despite_cancel(
            lambda: unit.commit(config, secrets, instance_id, change, new_secrets, keep)
        )

    async def changed(self) -> None:
        """Tell the editor that what it lists may have changed."""
        await self._on_change()

    async def save_configuration(
        self,
        provider_id: str,
        parsed: ParsedConfiguration,
        check: ServerCheck,
        http: HttpSettings | None = None,
        http_secrets: Mapping[str, Secret] | None = None,
    ) -> Instance:
        """Store a configuration that passed its check, replacing any for the same URL
        (with every secret of the old one, its authorization and its network settings:
        `http` and `http_secrets` are the new configuration's own)."""
        instance_id = instance_id_for(provider_id, parsed.base_url)
        stored = StoredInstance(
            provider_id=provider_id,
            base_url=parsed.base_url,
            auth_method=parsed.auth_method,
            consumer_key=parsed.settings.get("consumerKey"),
            key_id=parsed.settings.get("keyId"),
            settings={k: v for k, v in parsed.settings.items() if k not in OWN_FIELDS} or None,
            state="connected" if check.connected else "needsAuthorization",
            user=StoredUser(check.user.name, check.user.display_name) if check.user else None,
            server_version=check.server_version,
            http=net_settings.to_stored(http) if http else None,
        )
        new_secrets = {**parsed.secrets, **(http_secrets or {})}
        async with self.serialized(instance_id):
            await self._commit(instance_id, lambda _current: stored, new_secrets)
            await self.drop_session(instance_id)
        await self._on_change()
        return await self.describe(instance_id, stored)

    async def save_authorization(
        self, instance_id: str, new_secrets: dict[str, Secret], check: ServerCheck
    ) -> Instance:
        def change(current: StoredInstance | None) -> StoredInstance:
            if current is None:
                raise NotConnected(
                    "The instance was disconnected while it was being authorized.",
                    hint="Configure the instance again.",
                    instanceId=instance_id,
                    action="configure",
                )
            current.state = "connected" if check.connected else "needsAuthorization"
            current.error = None
            current.login_blocked, current.login_url = False, None
            current.user = (
                StoredUser(check.user.name, check.user.display_name) if check.user else None
            )
            current.server_version = check.server_version or current.server_version
            return current

        async with self.serialized(instance_id):
            stored = await self._commit(instance_id, change, new_secrets, keep=INSTANCE_SECRETS)
            await self.drop_session(instance_id)
        await self._on_change()
        return await self.describe(instance_id, stored)

    async def mark_failed(
        self, instance_id: str, error: AgentError, used: StoredInstance | None = None
    ) -> None:
        """After a rejected login: state `error`, and no more calls until reconfigured.
        `used`: the entry whose credentials were rejected; if the instance has been given
        other credentials since, they stand (the rejection was not of them). A refused
        renewal (AuthorizationExpired) was recorded by the session's Renewal already."""
        if isinstance(error, AuthorizationExpired):
            return

        def change(current: StoredInstance | None) -> StoredInstance | None:
            if current is not None and (used is None or current.secrets == used.secrets):
                current.state, current.error = "error", error.message
                # Jira's login throttling (CAPTCHA): no request until the user acts.
                current.login_blocked = error.data.get("loginReason") == "AUTHENTICATION_DENIED"
                current.login_url = error.data.get("loginUrl") if current.login_blocked else None
            return current

        async with self.serialized(instance_id):
            await self._commit(instance_id, change)
            await self.drop_session(instance_id)
        await self._on_change()

    async def save_renewed(
        self, instance_id: str, used: dict[str, Secret], new_secrets: dict[str, Secret]
    ) -> None:
        """Store credentials a session renewed (OAuth 2.0's refresh), if the instance still
        has the ones they were renewed from: not after a disconnect or a new authorization."""
        async with self.serialized(instance_id):
            if not await self._still_has(instance_id, used):
                log.info("Not storing renewed credentials of %s: it changed meanwhile", instance_id)
                return
            await self._commit(instance_id, lambda current: current, new_secrets, INSTANCE_SECRETS)
        log.info("Stored the renewed credentials of %s", instance_id)

    async def renewal_refused(
        self, instance_id: str, used: dict[str, Secret], error: AgentError
    ) -> None:
        """The server will not renew `used`: forget them, state needsAuthorization with the
        reason (unless the instance has other credentials by now)."""

        def change(current: StoredInstance | None) -> StoredInstance | None:
            if current is not None:
                current.state, current.error = "needsAuthorization", error.message
            return current

        async with self.serialized(instance_id):
            if not await self._still_has(instance_id, used):
                return
            keep = [n for n in INSTANCE_SECRETS if n not in USER_CREDENTIALS]
            await self._commit(instance_id, change, {}, keep)
        log.info("%s needs authorizing again: %s", instance_id, error.message)
        await self._on_change()

    async def _still_has(self, instance_id: str, used: dict[str, Secret]) -> bool:
        try:
            current = (await self.credentials(instance_id)).values
        except NotConnected:
            return False
        return all(current.get(name) == value for name, value in used.items())

    async def disconnect(self, instance_id: str, forget: bool) -> None:
        def change(current: StoredInstance | None) -> StoredInstance | None:
            if forget or current is None:
                return None
            current.state, current.error, current.user = "needsAuthorization", None, None
            current.login_blocked, current.login_url = False, None
            return current

        async with self.serialized(instance_id):
            stored = await self.get(instance_id)
            # Without `forget` the instance keeps its key: the user only authorizes again.
            keep = [n for n in INSTANCE_SECRETS if n not in USER_CREDENTIALS]
            await self._commit(instance_id, change, {}, keep)
            await self.drop_session(instance_id)
        log.info(
            "Disconnected %s (%s)%s", instance_id, stored.base_url, ", forgotten" if forget else ""
        )
        if stored.auth_method == "oauth2":
            # Jira Data Center offers OAuth 2.0 clients no revocation endpoint: the grant
            # ends when the user revokes it (or its refresh token expires unused).
            log.info(
                "issuebridge forgot its OAuth 2.0 tokens for %s; to revoke the grant in Jira "
                "as well, open your Jira profile's Authorized applications",
                stored.base_url,
            )
        await self._on_change()

    # --- sessions --------------------------------------------------------------

    async def session(self, instance_id: str) -> tuple[StoredInstance, TrackerSession]:
        stored = await self.get(instance_id)
        # A browser-authorized instance recovers by authorizing again, a token one only
        # by being configured with a new token: the action says which.
        browser = self._registry.get(stored.provider_id).needs_authorization(stored.auth_method)
        if stored.state == "error" and stored.login_blocked:
            where = f" at {stored.login_url}" if stored.login_url else ""
            raise NotConnected(
                f"{stored.base_url} wants you to log in once in the browser{where} (a CAPTCHA "
                "after failed logins); issuebridge sends it no request until you have and "
                "connect again.",
                hint=f"Log in to Jira in your browser{where}, then "
                + ("authorize the instance again." if browser else "configure it again."),
                action="authorize" if browser else "configure",
                instanceId=instance_id,
                loginReason="AUTHENTICATION_DENIED",
                loginUrl=stored.login_url,
            )
        if stored.state == "error":
            raise NotConnected(
                f"{stored.base_url} rejected this instance's credentials earlier "
                f"({stored.error or 'authentication failed'}); it makes no more requests until "
                "it is configured or authorized again.",
                hint="Authorize the instance again."
                if browser
                else "Configure the instance again with valid credentials.",
                action="authorize" if browser else "configure",
                instanceId=instance_id,
            )
        if stored.state != "connected":
            raise NotConnected(
                (
                    f"{stored.base_url} needs authorizing again: {stored.error}"
                    if stored.error
                    else f"{stored.base_url} is not authorized yet."
                )
                if browser
                else f"{stored.base_url} has no credentials on this machine.",
                hint="Authorize the instance first."
                if browser
                else "Configure the instance again with a personal access token.",
                action="authorize" if browser else "configure",
                instanceId=instance_id,
            )
        session = self._sessions.get(instance_id)
        if session is None:
            provider = self._registry.get(stored.provider_id)
            credentials = await self.credentials(instance_id, stored)
            settings = await self.settings_for(instance_id, stored)
            # Another request may have opened one while this one read the stores: one
            # session per instance (its credentials renew once, for all its requests).
            session = self._sessions.get(instance_id)
            if session is None:
                session = provider.open_session(
                    instance_config(stored),
                    attrs.evolve(credentials, renewal=_StoredRenewal(self, instance_id)),
                    settings,
                )
                self._sessions[instance_id] = session
        return stored, session

    async def drop_session(self, instance_id: str) -> None:
        session = self._sessions.pop(instance_id, None)
        if session is not None:
            await session.aclose()

    async def drop_all_sessions(self) -> None:
        for instance_id in list(self._sessions):
            await self.drop_session(instance_id)


async def finish_despite_cancel(work: Callable[[], T]) -> T:
    """Run `work` in a thread to its end even if the awaiting request is cancelled
    meanwhile: a storage change that started is never left half done, and the request
    then answers with its outcome (all changed) rather than "cancelled"."""
    future = asyncio.ensure_future(asyncio.to_thread(work))
    while True:
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            if future.cancelled():
                raise
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()
            log.info("A request was cancelled while storing its change; it completes")


def _tidy(config: ConfigStore, secrets: SecretStore) -> None:
    """On first opening the stores: remove what a killed agent left behind (its temp
    files, secrets no configured instance points to). A damaged store is reported by the
    requests that use it, not here."""
    for directory in (config.path.parent, config.path.parent / "secrets"):
        for path in remove_stale_temp_files(directory):
            log.info("Removed %s, left by an interrupted write", path)
    try:
        unit.remove_orphans(config, secrets)
    except (AgentError, OSError) as exc:
        log.warning("Could not check for unused secrets: %s", getattr(exc, "message", exc))


class _StoredRenewal(Renewal):
    """A session's renewed credentials go to the instance store (crash-safe, one unit)."""

    def __init__(self, instances: Instances, instance_id: str) -> None:
        self._instances = instances
        self._instance_id = instance_id

    async def current(self) -> dict[str, Secret]:
        try:
            return (await self._instances.credentials(self._instance_id)).values
        except NotConnected:
            return {}

    async def renewed(self, used: dict[str, Secret], secrets: dict[str, Secret]) -> None:
        await self._instances.save_renewed(self._instance_id, used, secrets)

    async def refused(self, used: dict[str, Secret], error: AgentError) -> None:
        await self._instances.renewal_refused(self._instance_id, used, error)


def stored_settings(stored: StoredInstance) -> dict[str, str]:
    """Every non-secret setting of the form, from wherever the entry keeps it."""
    own = {"consumerKey": stored.consumer_key, "keyId": stored.key_id}
    return {**(stored.settings or {}), **{k: v for k, v in own.items() if v is not None}}


def instance_config(stored: StoredInstance) -> InstanceConfig:
    return InstanceConfig(stored.base_url, stored.auth_method, stored_settings(stored))


async def _no_team() -> set[str]:
    return set()


def to_instance(instance_id: str, stored: StoredInstance, team: set[str]) -> Instance:
    state = (
        stored.state if stored.state in ("connected", "needsAuthorization", "error") else "error"
    )
    return Instance(
        instance_id=instance_id,
        provider_id=stored.provider_id,
        base_url=stored.base_url,
        auth_method=stored.auth_method,
        scope="team" if instance_id in team else "user",
        state=state,  # type: ignore[arg-type]
        user=User(stored.user.name, stored.user.display_name) if stored.user else None,
        server_version=stored.server_version,
        # An error with needsAuthorization says why it needs it again (a refused renewal).
        error=stored.error if state != "connected" else None,
        insecure=is_insecure(stored),
        http=net_settings.from_stored(stored.http),
        settings={k: v for k, v in stored_settings(stored).items() if k in SHOWN_SETTINGS} or None,
    )


def insecure_warning(instance_id: str, base_url: str) -> str:
    return (
        f"TLS verification is OFF for {base_url} (instance {instance_id}, its "
        "http.insecureSkipVerify): anyone on the network path can read and change what it "
        "sends, the credentials included. Trust the server's CA instead (http.caBundle)."
    )


def is_insecure(stored: StoredInstance) -> bool:
    """TLS verification is off for it: its own `insecureSkipVerify` (never a global one)."""
    own = net_settings.from_stored(stored.http)
    return bool(own and own.insecure_skip_verify)
