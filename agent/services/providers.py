"""`issuebridge/providers/*`: describe providers, configure and disconnect instances."""

from agent.providers.base import Credentials
from agent.providers.registry import ProviderRegistry
from agent.services.instances import Instances
from agent.settings import Settings
from protocol.types import ConfigureParams, Instance, InstanceResult, Provider


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


async def configure(
    registry: ProviderRegistry, instances: Instances, settings: Settings, params: ConfigureParams
) -> InstanceResult:
    """Check the form against the server, then store it; a failure stores nothing."""
    provider = registry.get(params.provider_id)
    parsed = provider.parse_configuration(params.auth_method, params.fields)
    check = await provider.check(parsed, Credentials(parsed.secrets), settings)
    return InstanceResult(await instances.save_configuration(provider.id, parsed, check))
