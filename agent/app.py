"""The agent's composition root: settings, providers, the editor, and the services
behind each contract method. `agent.server` binds these to the wire."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from agent.client import EditorClient
from agent.errors import NotImplementedYet
from agent.providers.registry import ProviderRegistry, discover
from agent.services import issues, providers
from agent.services.instances import Instances
from agent.settings import Settings, parse_options
from protocol import methods
from protocol import types as t

log = logging.getLogger("issuebridge")

Service = Callable[[Any], Awaitable[Any]]


class Agent:
    def __init__(self, client: EditorClient, registry: ProviderRegistry | None = None) -> None:
        self.client = client
        self.registry = registry or discover()
        self.settings: Settings = parse_options(None)
        self.instances = Instances(self.registry, lambda: self.settings, self._providers_changed)

    # --- lifecycle --------------------------------------------------------------

    def initialize(self, options: Any) -> None:
        self.settings = parse_options(options)
        log.info("Storage dir: %s", self.settings.storage_dir)

    async def change_configuration(self, settings: Any) -> None:
        self.settings = parse_options(settings, field_prefix="settings")
        # HTTP settings may have changed: reconnect with the new ones.
        await self.instances.drop_all_sessions()

    async def _providers_changed(self) -> None:
        result = t.ProvidersDidChangeParams(
            providers=providers.describe(self.registry, await self.instances.all())
        )
        self.client.notify(methods.PROVIDERS_DID_CHANGE, result)

    # --- methods ----------------------------------------------------------------

    async def providers_list(self, _params: t.EmptyParams) -> t.ProvidersListResult:
        return t.ProvidersListResult(
            providers=providers.describe(self.registry, await self.instances.all())
        )

    async def configure(self, params: t.ConfigureParams) -> t.InstanceResult:
        return await providers.configure(self.registry, self.instances, self.settings, params)

    async def disconnect(self, params: t.DisconnectParams) -> t.EmptyResult:
        await self.instances.disconnect(params.instance_id, params.forget)
        return t.EmptyResult()

    async def fetch_issues(self, params: t.IssuesFetchParams) -> t.IssuesFetchResult:
        return await issues.fetch(self.instances, self.client, params)

    def services(self) -> dict[str, Service]:
        implemented: dict[str, Service] = {
            methods.PROVIDERS_LIST: self.providers_list,
            methods.PROVIDERS_CONFIGURE: self.configure,
            methods.PROVIDERS_DISCONNECT: self.disconnect,
            methods.ISSUES_FETCH: self.fetch_issues,
        }
        for method in methods.REQUESTS:
            implemented.setdefault(method, _not_yet(method))
        return implemented


def _not_yet(method: str) -> Service:
    async def service(_params: Any) -> Any:
        raise NotImplementedYet(
            f"{method} is not available in this version of the issuebridge agent.",
            hint="Update issuebridge; this method arrives in a later release.",
        )

    return service
