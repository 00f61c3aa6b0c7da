"""`issuebridge/keys/generate`: an RSA key pair whose private half never leaves the agent."""

import asyncio

from agent.auth import keys
from agent.services.instances import Instances
from protocol.types import KeysGenerateParams, KeysGenerateResult


async def generate(instances: Instances, params: KeysGenerateParams) -> KeysGenerateResult:
    await asyncio.to_thread(keys.check_rsa_sha1_signing)
    pair = await asyncio.to_thread(keys.generate, params.bits)  # 4096 bits takes a second
    key_id = keys.key_id_for(pair.public_pem)
    await instances.store_generated_key(key_id, pair.private_pem)
    return KeysGenerateResult(
        key_id=key_id,
        public_key_pem=pair.public_pem,
        fingerprint=keys.fingerprints(pair.public_pem)["sha256"],
    )
