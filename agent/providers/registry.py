"""Finds the providers: each subpackage of `agent.providers` that exports `PROVIDER`.

Adding a tracker is adding a folder here; nothing else names trackers.
"""

import importlib
import pkgutil
from collections.abc import Iterable

import agent.providers as providers_package
from agent.errors import InvalidParams
from agent.providers.base import TrackerProvider


class ProviderRegistry:
    def __init__(self, providers: Iterable[TrackerProvider]) -> None:
        self._providers = {p.id: p for p in providers}

    def all(self) -> list[TrackerProvider]:
        return list(self._providers.values())

    def get(self, provider_id: str) -> TrackerProvider:
        provider = self._providers.get(provider_id)
        if provider is None:
            known = ", ".join(sorted(self._providers)) or "none"
            raise InvalidParams(
                "providerId", f"Unknown provider {provider_id!r}; known providers: {known}."
            )
        return provider


def discover() -> ProviderRegistry:
    found: list[TrackerProvider] = []
    for module_info in sorted(
        pkgutil.iter_modules(providers_package.__path__), key=lambda m: m.name
    ):
        if not module_info.ispkg:
            continue
        module = importlib.import_module(f"{providers_package.__name__}.{module_info.name}")
        provider = getattr(module, "PROVIDER", None)
        if isinstance(provider, TrackerProvider):
            found.append(provider)
    return ProviderRegistry(sorted(found, key=lambda p: (p.listing_order, p.id)))
