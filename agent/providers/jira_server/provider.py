"""Jira Server / Data Center: personal access tokens (8.14+), OAuth 2.0 (Data Center
8.22+, `oauth2`) or OAuth 1.0a. Each flow's requests live in its own module (oauth.py,
oauth2.py, oauth2_flow.py); this class says which one a method uses.

httpx and the REST modules are imported inside the methods that use them, so
listing providers at start-up stays cheap.
"""

import contextlib
import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from agent.auth.loopback import ListenAt
from agent.errors import (
    AgentError,
    AuthenticationFailed,
    InvalidParams,
    NotConnected,
    UnsupportedServer,
)
from agent.providers.base import (
    Authorized,
    Credentials,
    InstanceConfig,
    ParsedConfiguration,
    PendingAuthorization,
    ServerCheck,
    TrackerProvider,
    TrackerSession,
)
from agent.providers.jira_server import methods
from agent.secret import Secret
from agent.settings import Settings
from agent.urls import normalize_base_url
from protocol.types import CAPABILITIES, AuthMethod, User

if TYPE_CHECKING:
    import httpx

    from agent.providers.jira_server.api import JiraApi

# Personal access tokens arrived in Jira 8.14.
PAT_MINIMUM_VERSION = (8, 14)
# Jira forgets an unused request token after 10 minutes.
REQUEST_TOKEN_LIFETIME_SECONDS = 600


class JiraServerProvider(TrackerProvider):
    id = "jira-server"
    name = "Jira Server / Data Center"
    capabilities = CAPABILITIES
    listing_order = 0
    key_style = "project"

    def issue_url(self, instance: InstanceConfig, key: str) -> str:
        return f"{instance.base_url}/browse/{key}"

    def auth_methods(self) -> list[AuthMethod]:
        return methods.auth_methods()

    def needs_authorization(self, auth_method: str) -> bool:
        return auth_method in ("oauth1", "oauth2")

    def loopback(self, instance: InstanceConfig) -> ListenAt | None:
        if instance.auth_method == "oauth2":
            from agent.providers.jira_server import oauth2

            return oauth2.listen_at(oauth2.Link.of(instance.settings))
        return ListenAt()

    def callback_refused(
        self, instance: InstanceConfig, error: str, description: str | None
    ) -> AgentError:
        from agent.providers.jira_server import oauth2_errors

        return oauth2_errors.callback_refused(error, description)

    # --- configure -----------------------------------------------------------------

    def parse_configuration(self, auth_method: str, fields: dict[str, str]) -> ParsedConfiguration:
        method = self.auth_method(auth_method)
        if method is None:
            raise InvalidParams(
                "authMethod",
                f"Jira Server has no auth method {auth_method!r}; use token, oauth2 or oauth1.",
            )
        for field in method.fields:
            if field.required and not fields.get(field.name, "").strip():
                raise InvalidParams(
                    f"fields.{field.name}", f"{field.label} is required.", hint=field.help
                )
        base_url = normalize_base_url(fields["baseUrl"])
        if auth_method == "token":
            token = fields["token"].strip()
            if any(c.isspace() for c in token):
                raise InvalidParams(
                    "fields.token",
                    "The token contains spaces or line breaks; paste only the token itself.",
                )
            return ParsedConfiguration(base_url, auth_method, secrets={"token": Secret(token)})
        if auth_method == "oauth2":
            from agent.providers.jira_server import oauth2_flow

            return oauth2_flow.parse(base_url, fields)
        return self._parse_oauth1(base_url, fields)

    def _parse_oauth1(self, base_url: str, fields: dict[str, str]) -> ParsedConfiguration:
        from agent.auth import keys

        consumer_key = fields["consumerKey"].strip()
        key_id = fields.get("keyId", "").strip()
        pasted = fields.get("privateKey", "").strip()
        if key_id and pasted:
            raise InvalidParams(
                "fields.privateKey",
                "Give either a generated key (keyId) or a pasted private key, not both.",
            )
        if not key_id and not pasted:
            raise InvalidParams(
                "fields.keyId",
                "OAuth 1.0a needs an RSA key: a generated key (keyId) or a pasted private key.",
                hint="Generate a key pair and give its public key to the Jira admin, or paste "
                "a private key.",
                action="generateKey",
            )
        settings = {"consumerKey": consumer_key}
        if key_id:
            return ParsedConfiguration(base_url, "oauth1", settings={**settings, "keyId": key_id})
        pair = keys.load_private_key(pasted)
        warnings = []
        if pair.bits < keys.WEAK_BELOW_BITS:
            warnings.append(
                f"The pasted RSA key has only {pair.bits} bits; it works, but generate a "
                f"{keys.WEAK_BELOW_BITS}-bit key (or larger) and update the Application Link soon."
            )
        return ParsedConfiguration(
            base_url,
            "oauth1",
            settings=settings,
            secrets={"privateKey": pair.private_pem},
            warnings=warnings,
        )

    async def check(
        self, parsed: ParsedConfiguration, credentials: Credentials, settings: Settings
    ) -> ServerCheck:
        from agent.providers.jira_server.api import LoginRequired

        api = self._api(parsed, Credentials(), settings)
        signed = self._api(parsed, credentials, settings)
        try:
            try:
                info = await api.server_info()
            except LoginRequired:
                # Some servers refuse anonymous requests: a token can ask with itself;
                # OAuth has no credentials before it is authorized, so the probe decides.
                info = (
                    await signed.server_info(anonymous=False)
                    if parsed.auth_method == "token"
                    else {}
                )
            version = str(info.get("version") or "") or None
            if str(info.get("deploymentType", "")).lower() == "cloud":
                raise UnsupportedServer(
                    f"{parsed.base_url} is Jira Cloud; this provider is for Jira Server and "
                    "Data Center.",
                    serverVersion=version,
                    action="configure",
                )
            if parsed.auth_method == "oauth1":
                # A request token proves the consumer key and the key pair before anyone
                # is sent to the browser; it expires unused after 10 minutes.
                await self._oauth1_probe(api, parsed, credentials)
                return ServerCheck(connected=False, server_version=version)
            numbers = tuple(int(n) for n in info.get("versionNumbers", [])[:2])
            if parsed.auth_method == "oauth2":
                from agent.providers.jira_server import oauth2_flow

                await oauth2_flow.check(api, parsed, credentials, version, numbers)
                return ServerCheck(connected=False, server_version=version)
            if numbers < PAT_MINIMUM_VERSION:
                raise UnsupportedServer(
                    f"Jira {version} does not support personal access tokens "
                    "(they need Jira 8.14 or later).",
                    hint="Use the OAuth 1.0a (Application Link) method with this server.",
                    action="configure",
                    serverVersion=version,
                )
            user = await self._whoami(signed)
            return ServerCheck(connected=True, user=user, server_version=version)
        finally:
            await api.client.aclose()
            await signed.client.aclose()

    async def _oauth1_probe(
        self, api: "JiraApi", instance: InstanceConfig, credentials: Credentials
    ) -> None:
        from agent.providers.jira_server import oauth

        private_key = self._private_key(credentials)
        with self._key_problems_explained(private_key):
            await oauth.request_token(api, instance.settings["consumerKey"], private_key, oauth.OOB)

    async def _whoami(self, api: "JiraApi") -> User:
        from agent.providers.jira_server.issues import to_user

        return to_user(await api.myself())

    # --- authorize -----------------------------------------------------------------

    async def start_authorization(
        self,
        instance: InstanceConfig,
        credentials: Credentials,
        settings: Settings,
        callback_url: str | None,
    ) -> PendingAuthorization:
        import time

        from agent.providers.jira_server import oauth, oauth2_flow

        if instance.auth_method == "oauth2":
            return oauth2_flow.start(instance, credentials)
        private_key = self._private_key(credentials)
        api = self._api(instance, Credentials(), settings)
        try:
            with self._key_problems_explained(private_key):
                pair = await oauth.request_token(
                    api, instance.settings["consumerKey"], private_key, callback_url or oauth.OOB
                )
        finally:
            await api.client.aclose()
        return PendingAuthorization(
            authorize_url=oauth.authorize_url(instance.base_url, pair.token),
            expires_at=time.time() + REQUEST_TOKEN_LIFETIME_SECONDS,
            state={"requestToken": pair.token, "requestTokenSecret": pair.secret},
            expected=pair.token,
        )

    async def finish_authorization(
        self,
        instance: InstanceConfig,
        credentials: Credentials,
        settings: Settings,
        pending: PendingAuthorization,
        verifier: str,
    ) -> Authorized:
        from agent.providers.jira_server import oauth

        if instance.auth_method == "oauth2":
            from agent.providers.jira_server import oauth2_flow

            plain = functools.partial(self._api, instance, Credentials(), settings)
            secrets = await oauth2_flow.exchange(plain, instance, credentials, pending, verifier)
            return await self._authorized(instance, credentials, settings, secrets)
        private_key = self._private_key(credentials)
        request = oauth.TokenPair(
            pending.state["requestToken"], pending.state["requestTokenSecret"]
        )
        api = self._api(instance, Credentials(), settings)
        try:
            with self._key_problems_explained(private_key):
                access = await oauth.access_token(
                    api, instance.settings["consumerKey"], private_key, request, verifier
                )
        finally:
            await api.client.aclose()
        secrets = {"accessToken": access.token, "accessTokenSecret": access.secret}
        return await self._authorized(instance, credentials, settings, secrets)

    async def _authorized(
        self,
        instance: InstanceConfig,
        credentials: Credentials,
        settings: Settings,
        secrets: dict[str, Secret],
    ) -> Authorized:
        """Who the new credentials belong to, and the server's version."""
        signed = self._api(instance, Credentials({**credentials.values, **secrets}), settings)
        try:
            info = await signed.server_info(anonymous=False)
            user = await self._whoami(signed)
        finally:
            await signed.client.aclose()
        check = ServerCheck(
            connected=True, user=user, server_version=str(info.get("version") or "")
        )
        return Authorized(secrets=secrets, check=check)

    def _private_key(self, credentials: Credentials) -> Secret:
        from agent.auth import keys

        keys.check_rsa_sha1_signing()
        private_key = credentials.get("privateKey")
        if private_key is None:
            raise NotConnected(
                "The private key of this instance is not available on this machine.",
                hint="Configure the instance again with its key (or unlock the team's key).",
                action="configure",
            )
        return private_key

    @contextlib.contextmanager
    def _key_problems_explained(self, private_key: Secret) -> Iterator[None]:
        """Add the key's fingerprints when Jira says the signature does not match."""
        try:
            yield
        except AuthenticationFailed as exc:
            if exc.data.get("oauthProblem") == "signature_invalid":
                from agent.auth import keys

                public_pem = keys.load_private_key(private_key.reveal()).public_pem
                prints = keys.fingerprints(public_pem)
                exc.message = (
                    f"{exc.message} The public key in Jira's Application Link does not match "
                    f"this private key, whose public key has the fingerprints {prints['sha256']} "
                    f"(SHA-256) and {prints['md5']} (MD5)."
                )
                exc.args = (exc.message,)
                exc.data["publicKeyFingerprint"] = prints["sha256"]
                exc.data["publicKeyFingerprintMd5"] = prints["md5"]
            raise

    # --- sessions ------------------------------------------------------------------

    def open_session(
        self, instance: InstanceConfig, credentials: Credentials, settings: Settings
    ) -> TrackerSession:
        from agent.providers.jira_server.session import JiraSession

        if instance.auth_method == "oauth2":
            from agent.providers.jira_server import oauth2_flow

            plain = functools.partial(self._api, instance, Credentials(), settings)
            auth = oauth2_flow.session_auth(plain, instance, credentials)
            return JiraSession(
                lambda: self._api(instance, credentials, settings, auth),
                settings.operation_timeout_seconds,
            )
        return JiraSession(
            lambda: self._api(instance, credentials, settings), settings.operation_timeout_seconds
        )

    def _api(
        self,
        instance: InstanceConfig,
        credentials: Credentials,
        settings: Settings,
        auth: "httpx.Auth | None" = None,
    ) -> "JiraApi":
        from agent.net import make_client
        from agent.providers.jira_server.api import JiraApi

        client = make_client(
            settings.http,
            settings.timeout_seconds,
            auth or self._auth(instance, credentials),
            settings.net_secrets,
        )
        api = JiraApi(client, instance.base_url, instance.auth_method, settings.timeout_seconds)
        if instance.auth_method == "oauth2":
            from agent.providers.jira_server import oauth2_flow

            api.forbidden_hint = oauth2_flow.forbidden_hint(instance)
        return api

    def _auth(self, instance: InstanceConfig, credentials: Credentials) -> "httpx.Auth | None":
        token = {"token": credentials.get("token"), "oauth2": credentials.get("accessToken")}
        bearer = token.get(instance.auth_method)
        if bearer is not None:  # a PAT, or an OAuth 2.0 access token as it is (no refresh)
            from agent.providers.jira_server.auth import BearerAuth

            return BearerAuth(bearer)
        access, secret = credentials.get("accessToken"), credentials.get("accessTokenSecret")
        private_key = credentials.get("privateKey")
        if instance.auth_method == "oauth1" and access and private_key:
            from agent.auth.oauth1 import OAuth1Auth

            return OAuth1Auth(
                instance.settings["consumerKey"], private_key, token=access, token_secret=secret
            )
        return None
