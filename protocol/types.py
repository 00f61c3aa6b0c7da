"""The params, results and notifications of the editor contract as attrs classes.

Python names are snake_case; the converter in `protocol.converter` renames them to
camelCase on the wire. Fields that default to ``None`` are optional and left out of
the JSON when empty. Class docstrings become the descriptions in the generated JSON
Schema and TypeScript declarations, so they are written for editor developers.
"""

from typing import Literal

import attrs

FieldKind = Literal["url", "text", "secret", "multilineSecret", "keyRef"]
InstanceState = Literal["needsAuthorization", "connected", "error"]
InstanceScope = Literal["user", "team"]
StatusCategory = Literal["todo", "inProgress", "done"]
CallbackMode = Literal["loopback", "oob"]
KeyBits = Literal[2048, 3072, 4096]
LogLevel = Literal["error", "warning", "info", "debug"]
# `error.data.action`: the next step an error calls for; each client words it itself.
ErrorAction = Literal[
    "configure", "authorize", "generateKey", "unlock", "setCaBundle", "retry", "repairStorage"
]
# LSP's ProgressToken: the client's `workDoneToken` for `$/progress` reports.
ProgressToken = int | str


# --- shared shapes -----------------------------------------------------------


@attrs.frozen
class Field:
    """One input of a configuration form; an editor renders the form from these alone."""

    name: str
    label: str
    kind: FieldKind
    required: bool
    help: str | None = None


@attrs.frozen
class AuthMethod:
    """A way to connect to a provider, with the form that configures it. `authorization`
    is "browser" when a configured instance still needs `providers/authorize`."""

    id: str
    label: str
    description: str
    fields: list[Field]
    authorization: Literal["browser", "none"] = "none"


@attrs.frozen
class User:
    """A tracker user as the tracker names them."""

    name: str
    display_name: str


@attrs.frozen
class Instance:
    """One configured server of a provider and the state of its connection."""

    instance_id: str
    provider_id: str
    base_url: str
    auth_method: str
    scope: InstanceScope
    state: InstanceState
    user: User | None = None
    server_version: str | None = None
    error: str | None = None
    # A team instance whose shared key must be unlocked (team/unlock) before authorize.
    needs_unlock: bool = False


@attrs.frozen
class Provider:
    """An issue tracker the agent knows, its auth methods and its configured instances."""

    id: str
    name: str
    kind: Literal["issues"]
    auth_methods: list[AuthMethod]
    instances: list[Instance]


@attrs.frozen
class IssueStatus:
    """The issue's workflow status and the category it belongs to."""

    name: str
    category: StatusCategory


@attrs.frozen
class Project:
    """The project an issue belongs to."""

    key: str
    name: str


@attrs.frozen
class Issue:
    """An issue, in the tracker-neutral shape every editor shows."""

    id: str
    key: str
    title: str
    url: str
    status: IssueStatus
    project: Project
    updated_at: str
    type: str | None = None
    priority: str | None = None
    assignee: User | None = None


# --- initialization ----------------------------------------------------------


@attrs.frozen
class HttpSettings:
    """How the agent reaches trackers: CA bundle, proxy, timeouts, client certificate.
    `timeoutSeconds` bounds each request (default 30); `operationTimeoutSeconds` bounds
    an operation of many requests, such as a fetch of many pages (default ten times
    `timeoutSeconds`)."""

    ca_bundle: str | None = None
    proxy: str | None = None
    timeout_seconds: float | None = None
    operation_timeout_seconds: float | None = None
    client_certificate: str | None = None


@attrs.frozen
class InitializationOptions:
    """Settings in `initialize.params.initializationOptions` and in configuration changes."""

    http: HttpSettings | None = None
    storage_dir: str | None = None
    # The agent's stderr log (and `window/logMessage`) level; default `info`.
    log_level: LogLevel | None = None


# --- requests ----------------------------------------------------------------


@attrs.frozen
class EmptyParams:
    """A request that takes no params."""


@attrs.frozen
class EmptyResult:
    """A request that answers nothing but success."""


@attrs.frozen
class SecretStorage:
    """Where the agent keeps secrets: the OS keyring, or (`kind` "file", where there is
    no usable keyring) a file readable by the user only, whose `path` is given."""

    kind: Literal["keyring", "file"]
    path: str | None = None


@attrs.frozen
class ProvidersListResult:
    providers: list[Provider]
    secret_storage: SecretStorage | None = None


@attrs.frozen
class ConfigureParams:
    """Configure (or reconfigure) an instance of a provider with one auth method's fields."""

    provider_id: str
    auth_method: str
    fields: dict[str, str]
    work_done_token: ProgressToken | None = None


@attrs.frozen
class InstanceResult:
    instance: Instance


@attrs.frozen
class AuthorizeParams:
    """Run the authorization of an instance, through a loopback callback or out of band."""

    instance_id: str
    callback: CallbackMode = "loopback"
    work_done_token: ProgressToken | None = None


@attrs.frozen
class AuthorizeResult:
    instance: Instance
    authorize_url: str | None = None


@attrs.frozen
class CompleteAuthorizationParams:
    """Finish a pending authorization with what the browser showed: the bare code, or the
    whole callback address (`…?oauth_token=…&oauth_verifier=…`). Works for an out-of-band
    authorization and while a loopback `authorize` still waits (which then answers too)."""

    instance_id: str
    verifier: str


@attrs.frozen
class DisconnectParams:
    """Remove the user's credentials for an instance; with `forget`, the instance too."""

    instance_id: str
    forget: bool = False


@attrs.frozen
class KeysGenerateParams:
    """Generate an RSA key pair; the private key stays in the agent's secret store."""

    bits: KeyBits = 2048


@attrs.frozen
class KeysGenerateResult:
    key_id: str
    public_key_pem: str
    # SHA-256 of the public key, as `ssh-keygen -l` prints it: to compare with the link's.
    fingerprint: str | None = None


@attrs.frozen
class IssuesFetchParams:
    """Fetch issues: the user's open issues by default, or those a JQL query matches."""

    instance_id: str
    jql: str | None = None
    limit: int = attrs.field(default=1000, metadata={"minimum": 1, "maximum": 10000})
    work_done_token: ProgressToken | None = None


@attrs.frozen
class IssuesFetchResult:
    issues: list[Issue]
    total: int


@attrs.frozen
class TeamShareParams:
    """Share an instance's configuration with the team in `.issuebridge/team.json` of a
    workspace folder (a path or a file:// URI). Nothing secret is written in the clear."""

    instance_id: str
    workspace_folder: str


@attrs.frozen
class TeamShareResult:
    """Where the team file is; for OAuth, the passphrase that unlocks the shared key,
    returned this once: hand it to the team through a password manager."""

    path: str
    passphrase: str | None = None


@attrs.frozen
class TeamUnlockParams:
    """Unlock a team OAuth instance's key with the passphrase; then authorize."""

    instance_id: str
    passphrase: str


# --- notifications -----------------------------------------------------------


@attrs.frozen
class ProvidersDidChangeParams:
    """Sent after any change of configuration or connection state."""

    providers: list[Provider]


# --- agent -> client requests -------------------------------------------------


@attrs.frozen
class IssuebridgeClientCapabilities:
    """What a client declares under `initialize` `capabilities.experimental.issuebridge`.
    `external_uri`: the client answers `issuebridge/window/externalUri`."""

    external_uri: bool = False


@attrs.frozen
class ExternalUriParams:
    """Asks the editor for an address of the agent's local callback listener that the
    user's browser can reach (VS Code: `env.asExternalUri`), for remote set-ups."""

    uri: str


@attrs.frozen
class ExternalUriResult:
    """The address the browser can reach; the listener accepts a path equal to or ending
    in `/callback`. Answer the same `uri` when nothing needs mapping."""

    uri: str


# --- errors ------------------------------------------------------------------


@attrs.frozen
class ErrorData:
    """The `data` of every error: what kind of failure, and what the user can do."""

    kind: str
    hint: str | None = None
    field: str | None = None
    action: ErrorAction | None = None
