"""Team sharing: `issuebridge/team/share` and `issuebridge/team/unlock`, and the team
instances that workspace folders bring.

The admin configures an instance and shares it into a workspace folder's
`.issuebridge/team.json`. A teammate's agent reads that file from the workspace
folders the editor gives it and lists the instance with `scope: "team"`. For
OAuth the teammate unlocks the sealed secret once (passphrase: OAuth 1.0a's private
key, OAuth 2.0's client secret) and authorizes; for tokens the teammate configures
their own token for the same base URL.
"""

import asyncio
import logging
from pathlib import Path
from typing import Any

from agent.auth import keys, sealing
from agent.errors import InvalidParams, NotConnected
from agent.providers.base import ParsedConfiguration, ServerCheck
from agent.secret import Secret
from agent.services.instances import Instances, instance_id_for
from agent.store import team as team_file
from protocol.types import (
    Instance,
    InstanceResult,
    TeamShareParams,
    TeamShareResult,
    TeamUnlockParams,
)

log = logging.getLogger("issuebridge.team")


def seal_context(entry: team_file.TeamEntry) -> str:
    """What the sealed key is bound to: it opens only for this instance."""
    return f"issuebridge team key\n{entry.provider_id}\n{entry.base_url}\n{entry.consumer_key}"


def client_secret_context(entry: team_file.TeamEntry) -> str:
    """What a sealed OAuth 2.0 client secret is bound to: this instance and client id."""
    client_id = (entry.settings or {}).get("clientId")
    return f"issuebridge team client secret\n{entry.provider_id}\n{entry.base_url}\n{client_id}"


class Team:
    def __init__(self, instances: Instances) -> None:
        self._instances = instances
        self.folders: list[Path] = []
        instances.team_ids = self._ids
        # Which file each team entry came from (for errors that name it).
        self._sources: dict[str, Path] = {}

    async def _ids(self) -> set[str]:
        return set(await self.entries())

    def set_folders(self, folders: list[str]) -> None:
        self.folders = [team_file.folder_path(f) for f in folders]

    def add_folders(self, added: list[str], removed: list[str]) -> None:
        gone = {team_file.folder_path(f) for f in removed}
        current = [f for f in self.folders if f not in gone]
        current += [p for p in map(team_file.folder_path, added) if p not in current]
        self.folders = current

    async def entries(self) -> dict[str, team_file.TeamEntry]:
        """Team entries of all workspace folders, by instance id (first folder wins)."""

        def read_all() -> dict[str, team_file.TeamEntry]:
            found: dict[str, team_file.TeamEntry] = {}
            for folder in self.folders:
                for entry in team_file.read(folder):
                    instance_id = instance_id_for(entry.provider_id, entry.base_url)
                    if instance_id not in found:
                        found[instance_id] = entry
                        self._sources[instance_id] = team_file.team_file(folder)
            return found

        return await asyncio.to_thread(read_all)

    async def listed(self) -> list[Instance]:
        """Local instances, plus the team's that are not configured here yet."""
        team = await self.entries()
        local = await self._instances.all(set(team))  # scoped "team" where the team lists them
        merged = list(local)
        known = {i.instance_id for i in local}
        for instance_id, entry in sorted(team.items()):
            if instance_id not in known:
                merged.append(
                    Instance(
                        instance_id=instance_id,
                        provider_id=entry.provider_id,
                        base_url=entry.base_url,
                        auth_method=entry.auth_method,
                        scope="team",
                        state="needsAuthorization",
                        needs_unlock=entry.sealed,
                        settings=_shown(entry),
                    )
                )
        return merged

    async def require_set_up(self, instance_id: str) -> None:
        """Explain a team instance that is not set up on this machine yet: its shared key
        needs unlocking (OAuth), or the user's own token (personal access tokens)."""
        try:
            await self._instances.get(instance_id)
            return
        except NotConnected:
            entry = (await self.entries()).get(instance_id)
            if entry is None:
                raise
        if entry.sealed:
            what = "client secret" if entry.sealed_client_secret else "key"
            raise NotConnected(
                f"The team's shared {what} for {entry.base_url} is still locked on this machine.",
                hint="Unlock it with the passphrase from the person who shared it.",
                action="unlock",
                instanceId=instance_id,
            )
        raise NotConnected(
            f"{entry.base_url} is shared by the team but not set up on this machine yet.",
            hint="Configure it with your own token for the same base URL.",
            action="configure",
            instanceId=instance_id,
        )

    async def share(self, params: TeamShareParams) -> TeamShareResult:
        folder = team_file.folder_path(params.workspace_folder)
        if not folder.is_dir():
            raise InvalidParams(
                "workspaceFolder", f"{params.workspace_folder} is not a folder on this machine."
            )
        stored = await self._instances.get(params.instance_id)
        entry = team_file.TeamEntry(
            provider_id=stored.provider_id,
            base_url=stored.base_url,
            auth_method=stored.auth_method,
            consumer_key=stored.consumer_key,
        )
        passphrase = None
        if stored.auth_method == "oauth1":
            private_key = await self._own_secret(params.instance_id, "privateKey", "private key")
            public_pem = keys.load_private_key(private_key.reveal()).public_pem
            entry.public_key_fingerprint = keys.fingerprints(public_pem)["sha256"]
            passphrase = sealing.new_passphrase()
            entry.sealed_private_key = await asyncio.to_thread(
                sealing.seal, private_key, passphrase, seal_context(entry)
            )
        if stored.auth_method == "oauth2":
            secret = await self._own_secret(params.instance_id, "clientSecret", "client secret")
            # The link's client id and redirect URI are shared like a base URL.
            entry.settings = dict(stored.settings or {})
            passphrase = sealing.new_passphrase()
            entry.sealed_client_secret = await asyncio.to_thread(
                sealing.seal, secret, passphrase, client_secret_context(entry)
            )
        path = await asyncio.to_thread(team_file.write, folder, entry)
        log.info("Shared %s in %s", stored.base_url, path)
        await self._instances.changed()
        return TeamShareResult(
            path=str(path), passphrase=passphrase.reveal() if passphrase else None
        )

    async def _own_secret(self, instance_id: str, name: str, what: str) -> Secret:
        """The instance's own secret that sharing seals (its key, its client secret)."""
        value = (await self._instances.credentials(instance_id)).get(name)
        if value is None:
            raise NotConnected(
                f"This instance's {what} is not on this machine, so it cannot be shared.",
                instanceId=instance_id,
            )
        return value

    async def unlock(self, params: TeamUnlockParams) -> InstanceResult:
        entry = (await self.entries()).get(params.instance_id)
        if entry is None:
            raise NotConnected(
                "No team configuration in the workspace folders has this instance.",
                hint="Open the project whose team configuration (team.json in its .issuebridge "
                "folder) lists it, or ask for it to be shared.",
                instanceId=params.instance_id,
            )
        if entry.sealed_client_secret:
            return await self._unlock_client_secret(params, entry, entry.sealed_client_secret)
        if not entry.sealed_private_key:
            raise InvalidParams(
                "instanceId",
                "This team instance has no shared key to unlock: it uses personal access tokens.",
                hint="Configure it with your own token for the same base URL.",
                action="configure",
            )
        private_key = await asyncio.to_thread(
            sealing.unseal,
            entry.sealed_private_key,
            Secret(params.passphrase),
            seal_context(entry),
            self._sources.get(params.instance_id, team_file.TEAM_FILE),
        )
        public_pem = keys.load_private_key(private_key.reveal(), field="instanceId").public_pem
        if entry.public_key_fingerprint and (
            keys.fingerprints(public_pem)["sha256"] != entry.public_key_fingerprint
        ):
            raise InvalidParams(
                "instanceId",
                "The shared key does not match the fingerprint in the team configuration.",
                hint="Ask the person who shared it to share it again.",
            )
        parsed = ParsedConfiguration(
            entry.base_url,
            "oauth1",
            settings={"consumerKey": entry.consumer_key or ""},
            secrets={"privateKey": private_key},
        )
        instance = await self._instances.save_configuration(
            entry.provider_id, parsed, ServerCheck(connected=False)
        )
        return InstanceResult(instance=instance)

    async def _unlock_client_secret(
        self, params: TeamUnlockParams, entry: team_file.TeamEntry, sealed: dict[str, Any]
    ) -> InstanceResult:
        client_secret = await asyncio.to_thread(
            sealing.unseal,
            sealed,
            Secret(params.passphrase),
            client_secret_context(entry),
            self._sources.get(params.instance_id, team_file.TEAM_FILE),
        )
        parsed = ParsedConfiguration(
            entry.base_url,
            entry.auth_method,
            settings=dict(entry.settings or {}),
            secrets={"clientSecret": client_secret},
        )
        # The admin's configure checked the link; the teammate only authorizes now.
        instance = await self._instances.save_configuration(
            entry.provider_id, parsed, ServerCheck(connected=False)
        )
        return InstanceResult(instance=instance)


def _shown(entry: team_file.TeamEntry) -> dict[str, str] | None:
    """The entry's non-secret form values, as a local instance shows them."""
    shown = {**(entry.settings or {})}
    if entry.consumer_key:
        shown["consumerKey"] = entry.consumer_key
    return shown or None
