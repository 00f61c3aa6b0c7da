"""The params, results and notifications of the editor contract as attrs classes.

Python names are snake_case; the converter in `protocol.converter` renames them to
camelCase on the wire. Fields that default to ``None`` are optional and left out of
the JSON when empty. Class docstrings become the descriptions in the generated JSON
Schema and TypeScript declarations, so they are written for editor developers.
"""

from typing import Literal

import attrs

# The methods beyond configure/authorize/fetch that a provider may lack.
CAPABILITIES = (
    "issuebridge/projects/list",
    "issuebridge/issues/get",
    "issuebridge/issues/createForm",
    "issuebridge/issues/create",
    "issuebridge/issues/transition",
    "issuebridge/issues/comment",
    "issuebridge/issues/assignees",
    "issuebridge/issues/assign",
    "issuebridge/issues/startWork",
)

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
# The kinds of a create form's fields: the configuration kinds and those of issue fields.
FormFieldKind = Literal[
    "url",
    "text",
    "secret",
    "multilineSecret",
    "keyRef",
    "multilineText",
    "select",
    "multiSelect",
    "number",
    "date",
    "user",
    "labels",
]
# A value in `issues/create` `fields`: text and dates as strings, numbers, an allowed
# value's id, a list of ids (multiSelect) or of strings (labels).
FieldValue = str | int | float | list[str]
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
    # The value a form starts with (e.g. OAuth 2.0's redirect URI); sent as given if kept.
    default: str | None = None


@attrs.frozen
class AuthMethod:
    """A way to connect to a provider, with the form that configures it. `authorization`
    is "browser" when a configured instance still needs `providers/authorize`."""

    id: str
    label: str
    description: str
    fields: list[Field]
    authorization: Literal["browser", "none"] = "none"
    # A `file:` URI of the guide for the tracker's admin (what to create on the server,
    # what to register), when the agent's installation has it; a form links to it.
    guide_url: str | None = None


@attrs.frozen
class User:
    """A tracker user as the tracker names them."""

    name: str
    display_name: str


@attrs.frozen
class HttpSettings:
    """How the agent reaches trackers: CA bundle, proxy, timeouts, client certificate.
    `timeoutSeconds` bounds each request (default 30); `operationTimeoutSeconds` bounds
    an operation of many requests, such as a fetch of many pages (default ten times
    `timeoutSeconds`). `caBundle` (PEM) is trusted in addition to the operating system's
    trust store (`useSystemTrustStore`, default true). `clientCertificate` is a PEM file
    with the certificate (and its key, unless `clientKey` names the key file). Global in
    `initializationOptions`, or per instance in `providers/configure`, where set fields
    override the global ones; `insecureSkipVerify` (default false) is per instance only."""

    ca_bundle: str | None = None
    proxy: str | None = None
    timeout_seconds: float | None = None
    operation_timeout_seconds: float | None = None
    client_certificate: str | None = None
    client_key: str | None = None
    use_system_trust_store: bool | None = None
    insecure_skip_verify: bool | None = None


@attrs.frozen
class HttpSecrets:
    """Secrets of an instance's network settings, kept in the secret store, never in a
    settings file: the passphrase of an encrypted client key, the proxy's password."""

    client_key_passphrase: str | None = None
    proxy_password: str | None = None


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
    # TLS verification is off for this instance (its `http.insecureSkipVerify`).
    insecure: bool = False
    # The instance's own network settings as last configured (never their secrets), so
    # that a client can show them and fill them in again when the user reconnects.
    http: HttpSettings | None = None
    # The configuration's non-secret form values (e.g. consumerKey, clientId,
    # redirectUri, scope), so a client can show them and fill them in on a reconnect.
    settings: dict[str, str] | None = None


@attrs.frozen
class Provider:
    """An issue tracker the agent knows, its auth methods and its configured instances."""

    id: str
    name: str
    kind: Literal["issues"]
    auth_methods: list[AuthMethod]
    instances: list[Instance]
    # The optional methods its tracker supports (names from `CAPABILITIES`); a client
    # offers no action whose method is missing here.
    capabilities: list[str] = attrs.Factory(list)


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


@attrs.frozen
class Comment:
    """A comment on an issue; `body` is the tracker's text (Jira wiki markup as written)."""

    id: str
    author: User
    body: str
    created_at: str


@attrs.frozen
class Transition:
    """A workflow step the issue offers now, and the status it leads to."""

    id: str
    name: str
    to: IssueStatus


@attrs.frozen(kw_only=True)
class IssueDetail(Issue):
    """An issue with what its detail view shows: description, reporter, labels,
    comments (oldest first) and the transitions it offers now."""

    description: str | None = None
    reporter: User | None = None
    created_at: str
    labels: list[str]
    comments: list[Comment]
    transitions: list[Transition]


@attrs.frozen
class ProjectInfo:
    """A project the user can see, as `projects/list` lists it."""

    key: str
    name: str
    id: str


@attrs.frozen
class IssueType:
    """An issue type a project offers for creating issues."""

    id: str
    name: str


@attrs.frozen
class AllowedValue:
    """One choice of a `select` or `multiSelect` field (Jira's option, priority, …)."""

    id: str
    label: str


@attrs.frozen
class FormField:
    """One input of a create form: a `Field` with the kinds of issue fields and, for
    choices, the values allowed."""

    name: str
    label: str
    kind: FormFieldKind
    required: bool
    help: str | None = None
    allowed_values: list[AllowedValue] | None = None


# --- initialization ----------------------------------------------------------


@attrs.frozen
class IssuesSettings:
    """How issue work behaves. `branchTemplate` makes `startWork`'s `branchName`; it may
    use `{key}`, `{summary}`, `{type}` and `{project}` (default `{key}-{summary}`)."""

    branch_template: str | None = None


@attrs.frozen
class IssueKeysSettings:
    """Issue keys in documents (links, hovers, completion, create-from-TODO); on by
    default, and only ever for the project keys of a connected instance."""

    enabled: bool = True


@attrs.frozen
class InitializationOptions:
    """Settings in `initialize.params.initializationOptions` and in configuration changes."""

    http: HttpSettings | None = None
    storage_dir: str | None = None
    # The agent's stderr log (and `window/logMessage`) level; default `info`.
    log_level: LogLevel | None = None
    issues: IssuesSettings | None = None
    issue_keys: IssueKeysSettings | None = None


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
    # Network settings for this instance only, over the global ones; their secrets.
    http: HttpSettings | None = None
    http_secrets: HttpSecrets | None = None
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
    """Fetch issues: the user's open issues by default, or those a JQL query matches.
    When the server is unreachable the last result of the same query is answered
    (`stale`), unless `fresh` is true."""

    instance_id: str
    jql: str | None = None
    # A search in the tracker's own syntax; for Jira providers the same as `jql`.
    query: str | None = None
    limit: int = attrs.field(default=1000, metadata={"minimum": 1, "maximum": 10000})
    fresh: bool = False
    work_done_token: ProgressToken | None = None


@attrs.frozen
class IssuesFetchResult:
    """`stale` is true when the server was unreachable and this is the last result kept
    on disk, fetched at `fetchedAt` (ISO 8601, UTC); `staleReason` is then the message
    of the failure (e.g. "Could not connect to jira.example.com:443: …")."""

    issues: list[Issue]
    total: int
    stale: bool | None = None
    fetched_at: str | None = None
    stale_reason: str | None = None


@attrs.frozen
class ProjectsListParams:
    """The projects of an instance; cached per instance, `refresh` reads them again."""

    instance_id: str
    refresh: bool = False


@attrs.frozen
class ProjectsListResult:
    projects: list[ProjectInfo]


@attrs.frozen
class IssueKeyParams:
    """One issue of an instance, by key (e.g. `CORE-12`)."""

    instance_id: str
    key: str


@attrs.frozen
class IssueDetailResult:
    issue: IssueDetail


@attrs.frozen
class IssueResult:
    issue: Issue


@attrs.frozen
class CreateFormParams:
    """The create form of a project: its issue types and, for `issueType` (an id or a
    name; the first type when left out), the fields the form shows."""

    instance_id: str
    project_key: str
    issue_type: str | None = None


@attrs.frozen
class CreateFormResult:
    """`issueType` is the id of the type whose `fields` these are."""

    issue_types: list[IssueType]
    issue_type: str
    fields: list[FormField]


@attrs.frozen
class CreateIssueParams:
    """Create an issue of `issueType` (an id or a name) with the form's values by field
    name. Required fields are checked before anything is sent."""

    instance_id: str
    project_key: str
    issue_type: str
    fields: dict[str, FieldValue]


@attrs.frozen
class TransitionParams:
    """Move an issue along a transition it offers now, optionally with a comment."""

    instance_id: str
    key: str
    transition_id: str
    comment: str | None = None


@attrs.frozen
class CommentParams:
    instance_id: str
    key: str
    body: str


@attrs.frozen
class CommentResult:
    comment: Comment


@attrs.frozen
class AssigneesParams:
    """Users the issue can be assigned to whose name matches `query`, searched by the
    server (never a full user list)."""

    instance_id: str
    key: str
    query: str


@attrs.frozen
class AssigneesResult:
    users: list[User]


@attrs.frozen
class AssigneeRef:
    """A user by name, as `issues/assignees` lists them."""

    name: str


@attrs.frozen
class AssignParams:
    """Assign an issue: a user, `"me"` (the connected user), or null to unassign."""

    instance_id: str
    key: str
    assignee: AssigneeRef | Literal["me"] | None


@attrs.frozen
class StartWorkParams:
    """Assign to me and move to in progress (`transitionId`, or the first transition
    into the in-progress category); suggests a branch name. Changes nothing in git."""

    instance_id: str
    key: str
    transition_id: str | None = None


@attrs.frozen
class StartWorkResult:
    issue: Issue
    branch_name: str


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
    # On `-32602` from `issues/create`: a message for every field that is wrong.
    field_errors: dict[str, str] | None = None


# --- issue keys in documents (standard LSP) ------------------------------------

# The command a "Create issue from this comment" code action carries.
CREATE_ISSUE_FROM_COMMENT = "issuebridge.createIssueFromComment"


@attrs.frozen
class CreateFromCommentArgs:
    """The one argument of `issuebridge.createIssueFromComment`: the comment's document
    and line, the text after `TODO`/`FIXME` (the range the new key replaces), and the
    instance and project the agent proposes (a client may let the user choose others)."""

    uri: str
    line: int
    # LSP positions (UTF-16) of the comment text after the marker, on `line`.
    start_character: int
    end_character: int
    text: str
    # The path the description names: relative to the workspace folder where it is in one.
    path: str
    instance_id: str | None = None
    project_key: str | None = None


@attrs.frozen
class CreateFromCommentResult:
    """What the command did: the issue made, and whether the TODO text now names it."""

    issue: Issue
    edited: bool
