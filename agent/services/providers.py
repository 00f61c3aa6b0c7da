"""`issuebridge/providers/*`: describe providers and their configured instances."""

from agent.providers.registry import ProviderRegistry
from protocol.types import Instance, Provider, ProvidersListResult


def describe(registry: ProviderRegistry, instances: list[Instance]) -> list[Provider]:
    return [
        Provider(
            id=p.id,
            name=p.name,
            kind="issues",
            auth_methods=p.auth_methods(),
            instances=[i for i in instances if i.provider_id == p.id],
        )
        for p in registry.all()
    ]


def list_providers(registry: ProviderRegistry, instances: list[Instance]) -> ProvidersListResult:
    return ProvidersListResult(providers=describe(registry, instances))
