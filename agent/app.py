"""The agent's composition root: settings, providers, the editor, and the services
behind each contract method. `agent.server` binds these to the wire."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from agent.client import EditorClient
from agent.errors import NotImplementedYet
from agent.providers.registry import ProviderRegistry, discover
from agent.services import providers
from agent.settings import Settings, parse_options
from protocol import methods
from protocol import types as t

log = logging.getLogger("issuebridge")


class Agent:
    def __init__(self, client: EditorClient, registry: ProviderRegistry | None = None) -> None:
        self.client = client
        self.registry = registry or discover()
        self.settings: Settings = parse_options(None)

    # --- lifecycle --------------------------------------------------------------

    def initialize(self, options: Any) -> None:
        self.settings = parse_options(options)
        log.info("Storage dir: %s", self.settings.storage_dir)

    def change_configuration(self, settings: Any) -> None:
        self.settings = parse_options(settings, field_prefix="settings")

    # --- methods ----------------------------------------------------------------

    async def providers_list(self, _params: t.EmptyParams) -> t.ProvidersListResult:
        return providers.list_providers(self.registry, [])

    def services(self) -> dict[str, Callable[[Any], Awaitable[Any]]]:
        implemented: dict[str, Callable[[Any], Awaitable[Any]]] = {
            methods.PROVIDERS_LIST: self.providers_list,
        }
        for method in methods.REQUESTS:
            implemented.setdefault(method, _not_yet(method))
        return implemented


def _not_yet(method: str) -> Callable[[Any], Awaitable[Any]]:
    async def service(_params: Any) -> Any:
        raise NotImplementedYet(
            f"{method} is not available in this version of the issuebridge agent.",
            hint="Update issuebridge; this method arrives in a later release.",
        )

    return service
