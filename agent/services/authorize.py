"""`providers/authorize` and `providers/completeAuthorization`: the browser step.

Loopback (the default): a one-shot listener on 127.0.0.1 is the callback, the
editor opens the authorize page (`window/showDocument`), and the request answers
when the browser comes back: Jira never has to reach the user's machine from
outside. In a remote set-up (the browser on another machine than the agent) a
client that declares it maps the listener's address to one the browser can
reach (`issuebridge/window/externalUri`). Out of band (`callback: "oob"`, or an
editor that cannot open URLs): the answer carries the URL, and
`completeAuthorization` takes the code Jira shows.

The paste path: `completeAuthorization` also takes the code, or the whole address
the browser shows, while a loopback `authorize` still waits (its callback never
arrived). The verifier is exchanged once, whichever way it came; both requests
answer with the connected instance.

One authorization per instance at a time: a new one replaces a pending one,
whose request is then answered saying so. A wait that ends unfinished says why.

The provider says where the browser comes back (`TrackerProvider.loopback`: any free
port for OAuth 1.0a; the registered redirect URI's port and path for OAuth 2.0, which
no editor may map to another address) and how the callback reads
(`PendingAuthorization.form`); this module knows no protocol's parameter names.
"""

import asyncio
import logging
import time
from typing import Any

import attrs

from agent import testing_hooks
from agent.auth import callback
from agent.auth.loopback import CallbackListener, ListenAt, PortInUse
from agent.client import EditorClient
from agent.errors import AgentError, InvalidParams, NotConnected
from agent.providers.base import (
    Credentials,
    InstanceConfig,
    PendingAuthorization,
    TrackerProvider,
)
from agent.providers.registry import ProviderRegistry
from agent.services.instances import Instances, instance_config
from protocol.errors import ErrorKind
from protocol.types import (
    AuthorizeParams,
    AuthorizeResult,
    CompleteAuthorizationParams,
    Instance,
    InstanceResult,
)

log = logging.getLogger("issuebridge.authorize")


class AuthorizationEnded(AgentError):
    """A loopback wait that ended before the browser came back (`-32800`)."""

    kind = ErrorKind.CANCELLED


@attrs.define(eq=False)
class _Pending:
    authorization: PendingAuthorization
    waiting: bool  # a loopback `authorize` request waits for the browser
    # The verifier, from the browser's callback or pasted; an AuthorizationEnded
    # exception when a newer authorization replaces a waiting one.
    verifier: "asyncio.Future[str]" = attrs.Factory(lambda: _future())
    exchange: "asyncio.Task[Instance] | None" = None  # the one exchange of the verifier
    listener: CallbackListener | None = None  # a waiting loopback request's


class Authorizations:
    def __init__(
        self,
        registry: ProviderRegistry,
        instances: Instances,
        client: EditorClient,
    ) -> None:
        self._registry = registry
        self._instances = instances
        self._client = client
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
        replaced = self._end_pending(
            instance_id, "A newer authorization of this instance replaced this one."
        )
        if replaced is not None and replaced.listener is not None:
            # A registered redirect URI has one port: the new listener needs it.
            await replaced.listener.close()
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
        settings = await self._instances.settings_for(instance_id, stored)
        pending = await provider.start_authorization(config, credentials, settings, None)
        self._pending[instance_id] = _Pending(pending, waiting=False)
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
        where = provider.loopback(config)
        if where is None:
            log.info("The redirect URI is not on this machine; the user enters the code")
            return await self._out_of_band(instance_id, config, credentials)
        listener = await _listen(where, instance_id)
        entry: _Pending | None = None
        try:
            callback_url = listener.url
            if where.registered is None and self._client.can_map_external_uri:
                callback_url = await self._client.external_uri(listener.url) or listener.url
                if callback_url != listener.url:
                    log.info("The browser comes back through %s", callback_url)
            pending = await provider.start_authorization(
                config, credentials, await self._instances.settings_for(instance_id), callback_url
            )
            listener.expect(pending.expected, pending.form)
            entry = _Pending(pending, waiting=True, listener=listener)
            self._pending[instance_id] = entry
            verifier = entry.verifier
            listener.result.add_done_callback(
                lambda result: _take_callback(result, verifier, provider, config)
            )
            title = f"Authorize issuebridge at {config.base_url}"
            with self._client.progress(params.work_done_token, title) as progress:
                progress.report("Waiting for you to allow access in the browser…")
                if not await self._client.show_document(pending.authorize_url):
                    # The editor could not open it: fall back to out of band, whose
                    # code the user can paste (the loopback token would lead nowhere).
                    log.info("The editor did not open the authorize page; switching to oob")
                    await listener.close()
                    self._pending.pop(instance_id, None)
                    entry = None
                    return await self._out_of_band(instance_id, config, credentials)
                code = await self._wait(instance_id, entry)
                progress.report("Exchanging the authorization for an access token…")
                instance = await asyncio.shield(self._exchange(instance_id, entry, code))
            return AuthorizeResult(instance=instance)
        except asyncio.CancelledError:
            if entry is not None and entry.exchange is not None:
                raise  # cancelled while exchanging: that goes on, shielded
            # The client cancelled the request (or the agent is shutting down): answer
            # saying so, instead of the generic "cancelled".
            raise AuthorizationEnded(
                "The authorization was cancelled before the browser came back.",
                hint="Authorize again when you are ready.",
                action="authorize",
                instanceId=instance_id,
            ) from None
        finally:
            await listener.close()
            # Ended without an exchange: nothing is pending any more.
            if entry is not None and self._pending.get(instance_id) is entry and not entry.exchange:
                self._pending.pop(instance_id, None)

    async def _wait(self, instance_id: str, entry: _Pending) -> str:
        """The verifier, from the browser or pasted; an error saying why if none came."""
        seconds = max(1.0, entry.authorization.expires_at - time.time())
        seconds = testing_hooks.authorize_wait_seconds() or seconds
        try:
            return await asyncio.wait_for(asyncio.shield(entry.verifier), seconds)
        except TimeoutError:
            raise NotConnected(
                f"The authorization was not finished in the browser within {_duration(seconds)}; "
                "it timed out.",
                hint="Authorize again; Jira forgets unused authorizations in 10 minutes. If the "
                "browser never comes back (it runs on another machine), enter the code or the "
                "address the browser shows instead.",
                action="authorize",
                instanceId=instance_id,
            ) from None

    async def complete(self, params: CompleteAuthorizationParams) -> InstanceResult:
        instance_id = params.instance_id
        entry = self._pending.get(instance_id)
        if entry is None:
            raise NotConnected(
                "No authorization is waiting for a code for this instance.",
                hint="Authorize the instance again; then enter the code Jira shows.",
                action="authorize",
                instanceId=instance_id,
            )
        stored = await self._instances.get(instance_id)
        try:
            verifier = _pasted_verifier(params.verifier, entry.authorization)
        except callback.Refused as refusal:
            error = self._registry.get(stored.provider_id).callback_refused(
                instance_config(stored), refusal.error, refusal.description
            )
            if self._pending.get(instance_id) is entry:
                self._pending.pop(instance_id, None)
            if not entry.verifier.done():
                entry.verifier.set_exception(error)  # a waiting loopback request too
            raise error from None
        if not entry.verifier.done():
            entry.verifier.set_result(verifier)  # a waiting loopback request answers too
        instance = await asyncio.shield(self._exchange(instance_id, entry, verifier))
        return InstanceResult(instance=instance)

    def _exchange(
        self, instance_id: str, entry: _Pending, verifier: str
    ) -> "asyncio.Task[Instance]":
        """The one exchange of this authorization's verifier, shared by every request
        that waits for it (the loopback `authorize` and a pasted code)."""
        if entry.exchange is None:
            entry.exchange = asyncio.ensure_future(self._finish(instance_id, entry, verifier))
            # Whoever waits may be cancelled; the outcome is still retrieved.
            entry.exchange.add_done_callback(lambda t: t.cancelled() or t.exception())
        return entry.exchange

    async def _finish(self, instance_id: str, entry: _Pending, verifier: str) -> Instance:
        try:
            stored = await self._instances.get(instance_id)
            provider = self._registry.get(stored.provider_id)
            credentials = await self._instances.credentials(instance_id, stored)
            authorized = await provider.finish_authorization(
                instance_config(stored),
                credentials,
                await self._instances.settings_for(instance_id, stored),
                entry.authorization,
                verifier,
            )
            return await self._instances.save_authorization(
                instance_id, authorized.secrets, authorized.check
            )
        finally:
            # Used, refused or expired: a request token is good for one exchange only.
            if self._pending.get(instance_id) is entry:
                self._pending.pop(instance_id, None)

    def _end_pending(self, instance_id: str, why: str) -> _Pending | None:
        old = self._pending.pop(instance_id, None)
        if old is not None and old.waiting and not old.verifier.done():
            log.info("Ending the pending authorization of %s: %s", instance_id, why)
            old.verifier.set_exception(
                AuthorizationEnded(why, action="authorize", instanceId=instance_id)
            )
        return old

    def forget(self, instance_id: str) -> None:
        self._end_pending(
            instance_id, "The instance was disconnected while the authorization waited."
        )


def _future() -> "asyncio.Future[str]":
    future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    # An ended wait nobody awaits any more must not log "exception never retrieved".
    future.add_done_callback(lambda f: f.cancelled() or f.exception())
    return future


async def _listen(where: ListenAt, instance_id: str) -> CallbackListener:
    try:
        return await CallbackListener.start(where)
    except PortInUse as exc:
        registered = where.registered or f"port {exc.port}"
        error = InvalidParams(
            "callback",
            f"Port {exc.port} on 127.0.0.1 is in use by another program, so the browser "
            f"cannot come back to issuebridge at the redirect URI {registered}.",
            hint=f"Close the program that uses port {exc.port} and authorize again; or have "
            "another redirect URI registered and configure it; or authorize with the code "
            "instead (out of band): the browser's address after you allow access holds it.",
        )
        error.data.update(port=exc.port, instanceId=instance_id)
        if where.registered:
            error.data["redirectUri"] = where.registered
        raise error from None


def _take_callback(
    result: "asyncio.Future[Any]",
    verifier: "asyncio.Future[str]",
    provider: TrackerProvider,
    config: InstanceConfig,
) -> None:
    if result.cancelled() or result.exception() is not None or verifier.done():
        return
    found: callback.Callback = result.result()
    if found.error:
        verifier.set_exception(provider.callback_refused(config, found.error, found.description))
    else:
        verifier.set_result(found.value or "")


def _pasted_verifier(text: str, pending: PendingAuthorization) -> str:
    """The verifier in what the user pasted: the bare code, or the callback address."""
    form = pending.form
    text = text.strip().strip("'\"").strip()
    if not text:
        raise InvalidParams("verifier", "The verification code is empty.")
    if "?" not in text and f"{form.value}=" not in text and f"{form.match}=" not in text:
        return text
    # Never quote the pasted text back: it holds the verifier.
    query = callback.query_of(text)
    given = query.get(form.match)
    if (given is not None or form.match_required) and not callback.matches(pending.expected, given):
        raise InvalidParams(
            "verifier",
            "This address belongs to another authorization, not the one waiting."
            if given is not None
            else "This address does not say which authorization it belongs to.",
            hint="Use the address from the browser tab of the latest authorization.",
        )
    if form.error and query.get(form.error):
        raise callback.Refused(query[form.error], query.get(form.description or ""))
    verifier = query.get(form.value, "")
    if not verifier:
        raise InvalidParams(
            "verifier",
            f"This address has no {form.value} in it.",
            hint="Enter the code Jira shows, or the whole address the browser shows after "
            "you allow access.",
        )
    return verifier


def _duration(seconds: float) -> str:
    if seconds < 90:
        whole = max(1, round(seconds))
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = round(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
