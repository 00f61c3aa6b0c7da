"""`providers/authorize` and `providers/completeAuthorization`: the browser step.

Loopback (the default): a one-shot listener on 127.0.0.1 is the callback, the
editor opens the authorize page (`window/showDocument`), and the request answers
when the browser comes back: Jira never has to reach the user's machine from
outside. Out of band (`callback: "oob"`, or an editor that cannot open URLs):
the answer carries the URL, and `completeAuthorization` takes the code Jira shows.

One authorization per instance at a time: a new one replaces a pending one,
whose request is then answered as cancelled.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import attrs

from agent.auth.loopback import CallbackListener
from agent.client import EditorClient
from agent.errors import InvalidParams, NotConnected
from agent.providers.base import Credentials, InstanceConfig, PendingAuthorization
from agent.providers.registry import ProviderRegistry
from agent.services.instances import Instances, instance_config
from agent.settings import Settings
from protocol.types import (
    AuthorizeParams,
    AuthorizeResult,
    CompleteAuthorizationParams,
    Instance,
    InstanceResult,
)

log = logging.getLogger("issuebridge.authorize")


@attrs.define
class _Pending:
    authorization: PendingAuthorization
    task: "asyncio.Task[Any] | None" = None  # a loopback request waiting for the browser


class Authorizations:
    def __init__(
        self,
        registry: ProviderRegistry,
        instances: Instances,
        client: EditorClient,
        settings: Callable[[], Settings],
    ) -> None:
        self._registry = registry
        self._instances = instances
        self._client = client
        self._settings = settings
        self._pending: dict[str, _Pending] = {}

    async def authorize(self, params: AuthorizeParams) -> AuthorizeResult:
        instance_id = params.instance_id
        stored = await self._instances.get(instance_id)
        provider = self._registry.get(stored.provider_id)
        if not provider.needs_authorization(stored.auth_method):
            raise InvalidParams(
                "instanceId",
                f"{stored.base_url} uses {stored.auth_method} authentication, which needs no "
                "browser authorization.",
                hint="To change the token, configure the instance again.",
                action="configure",
            )
        self._replace_pending(instance_id)
        config = instance_config(stored)
        credentials = await self._instances.credentials(instance_id, stored)
        if params.callback == "oob" or not self._client.can_show_document:
            return await self._out_of_band(instance_id, config, credentials)
        return await self._loopback(instance_id, config, credentials, params)

    async def _out_of_band(
        self, instance_id: str, config: InstanceConfig, credentials: Credentials
    ) -> AuthorizeResult:
        stored = await self._instances.get(instance_id)
        provider = self._registry.get(stored.provider_id)
        pending = await provider.start_authorization(config, credentials, self._settings(), None)
        self._pending[instance_id] = _Pending(pending)
        return AuthorizeResult(
            instance=await self._instances.describe(instance_id, stored),
            authorize_url=pending.authorize_url,
        )

    async def _loopback(
        self,
        instance_id: str,
        config: InstanceConfig,
        credentials: Credentials,
        params: AuthorizeParams,
    ) -> AuthorizeResult:
        provider = self._registry.get((await self._instances.get(instance_id)).provider_id)
        listener = await CallbackListener.start()
        entry: _Pending | None = None
        try:
            pending = await provider.start_authorization(
                config, credentials, self._settings(), listener.url
            )
            listener.expect(pending.state["requestToken"].reveal())
            entry = _Pending(pending, asyncio.current_task())
            self._pending[instance_id] = entry
            title = f"Authorize issuebridge at {config.base_url}"
            with self._client.progress(params.work_done_token, title) as progress:
                progress.report("Waiting for you to allow access in the browser…")
                if not await self._client.show_document(pending.authorize_url):
                    # The editor could not open it: fall back to out of band, whose
                    # code the user can paste (the loopback token would lead nowhere).
                    log.info("The editor did not open the authorize page; switching to oob")
                    await listener.close()
                    return await self._out_of_band(instance_id, config, credentials)
                try:
                    callback = await listener.wait(max(1.0, pending.expires_at - time.time()))
                except TimeoutError:
                    raise NotConnected(
                        "The authorization was not finished in the browser in time.",
                        hint="Authorize again; Jira forgets unused authorizations in 10 minutes.",
                        action="authorize",
                        instanceId=instance_id,
                    ) from None
                progress.report("Exchanging the authorization for an access token…")
                instance = await self._finish(
                    instance_id, config, credentials, pending, callback.verifier
                )
            return AuthorizeResult(instance=instance)
        finally:
            await listener.close()
            if (
                entry is not None
                and self._pending.get(instance_id) is entry
                and entry.task is not None
            ):
                # The browser answered (or the wait ended): nothing is pending any more.
                self._pending.pop(instance_id, None)

    async def complete(self, params: CompleteAuthorizationParams) -> InstanceResult:
        instance_id = params.instance_id
        entry = self._pending.get(instance_id)
        if entry is None or entry.task is not None:
            raise NotConnected(
                "No authorization is waiting for a code for this instance.",
                hint="Authorize the instance again; then enter the code Jira shows.",
                action="authorize",
                instanceId=instance_id,
            )
        stored = await self._instances.get(instance_id)
        credentials = await self._instances.credentials(instance_id, stored)
        verifier = params.verifier.strip().strip("'\"")
        if not verifier:
            raise InvalidParams("verifier", "The verification code is empty.")
        try:
            instance = await self._finish(
                instance_id, instance_config(stored), credentials, entry.authorization, verifier
            )
        finally:
            # Used, refused or expired: a request token is good for one exchange only.
            self._pending.pop(instance_id, None)
        return InstanceResult(instance=instance)

    async def _finish(
        self,
        instance_id: str,
        config: InstanceConfig,
        credentials: Credentials,
        pending: PendingAuthorization,
        verifier: str,
    ) -> Instance:
        stored = await self._instances.get(instance_id)
        provider = self._registry.get(stored.provider_id)
        authorized = await provider.finish_authorization(
            config, credentials, self._settings(), pending, verifier
        )
        return await self._instances.save_authorization(
            instance_id, authorized.secrets, authorized.check
        )

    def _replace_pending(self, instance_id: str) -> None:
        old = self._pending.pop(instance_id, None)
        if old is not None and old.task is not None and not old.task.done():
            log.info("A new authorization replaces the pending one for %s", instance_id)
            old.task.cancel()

    def forget(self, instance_id: str) -> None:
        self._replace_pending(instance_id)
