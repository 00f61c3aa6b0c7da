"""An instance's configuration and its secrets, changed as one unit.

They live in two places (config.json and the secret store), and no file system
renames two files at once. So secrets are written in generations: an instance's
secrets are named `instance/<id>/<generation>/<name>`, and its entry in config.json
says which generation is its own. A change writes the new generation first, then
the configuration that points to it (the one atomic step that commits), then
deletes the old generation. A crash at any moment leaves the old state or the new
one, plus perhaps a generation that no configuration points to: an orphan, which
`remove_orphans` deletes the next time the stores are opened.
"""

import logging
import secrets as random_source
from collections.abc import Callable, Collection, Mapping

from agent.secret import Secret
from agent.store.config import ConfigStore, StoredConfig, StoredInstance
from agent.store.secrets import SecretStore

log = logging.getLogger("issuebridge.store")

INSTANCE_PREFIX = "instance/"

# Given the instance's current entry (None if there is none), its new entry (None:
# remove it). Runs under the configuration's lock, on a freshly read copy.
Change = Callable[[StoredInstance | None], StoredInstance | None]


def secret_prefix(instance_id: str, generation: str | None) -> str:
    # Entries written before generations have none: `instance/<id>/<name>`.
    return f"{INSTANCE_PREFIX}{instance_id}/" + (f"{generation}/" if generation else "")


def owner(name: str) -> tuple[str, str | None] | None:
    """(instance id, generation) of an instance secret's name; None for other secrets."""
    if not name.startswith(INSTANCE_PREFIX):
        return None
    parts = name[len(INSTANCE_PREFIX) :].split("/")
    if len(parts) == 2:
        return parts[0], None
    if len(parts) == 3:
        return parts[0], parts[1]
    return None


def commit(
    config: ConfigStore,
    secrets: SecretStore,
    instance_id: str,
    change: Change,
    new_secrets: Mapping[str, Secret] | None = None,
    keep: Collection[str] = (),
) -> StoredInstance | None:
    """Apply `change`; with `new_secrets`, the instance gets a new generation of secrets:
    those, plus the `keep` names carried over from its current ones. Without, its
    secrets stay as they are. Returns the new entry."""
    replaced: list[str | None] = []

    def apply(c: StoredConfig) -> StoredInstance | None:
        current = c.instances.get(instance_id)
        old_generation = current.secrets if current else None
        updated = change(current)
        if updated is not None and new_secrets is not None:
            values: dict[str, Secret] = {}
            if current is not None:
                old = secret_prefix(instance_id, old_generation)
                for name in keep:
                    value = secrets.get(old + name)
                    if value is not None:
                        values[name] = value
            values.update(new_secrets)
            generation = random_source.token_hex(6)
            new = secret_prefix(instance_id, generation)
            if values:  # first the new generation, then the configuration that names it
                secrets.set_many({new + name: value for name, value in values.items()})
            updated.secrets = generation
        elif updated is not None:
            updated.secrets = old_generation
        if updated is None:
            c.instances.pop(instance_id, None)
        else:
            c.instances[instance_id] = updated
        if current is not None and (updated is None or updated.secrets != old_generation):
            replaced.append(old_generation)
        return updated

    result = config.update(apply)
    for generation in replaced:  # committed: the old generation is an orphan now
        old = (instance_id, generation)
        secrets.delete_matching(lambda name: owner(name) == old)  # noqa: B023
    return result


def remove_orphans(config: ConfigStore, secrets: SecretStore) -> int:
    """Delete instance secrets that no configuration entry points to (left by a crash)."""
    if config.set_aside or not config.path.exists():
        return 0  # what the configuration held is unknown: delete nothing
    with config.holding() as current:
        if config.set_aside:
            return 0
        live = {(i, stored.secrets) for i, stored in current.instances.items()}
        orphans = [n for n in secrets.names() if (o := owner(n)) is not None and o not in live]
        if orphans:
            secrets.delete_matching(set(orphans).__contains__)
            log.info("Removed %d secrets that no configured instance uses", len(orphans))
    return len(orphans)
