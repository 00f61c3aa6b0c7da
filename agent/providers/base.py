"""The interface every tracker implements.

A provider describes itself (id, name, auth methods and the fields of their
forms) so editors render configuration forms from data alone; it turns a form
into a configuration, checks a configuration against the server, and opens
sessions that fetch issues. Services never branch on which tracker they serve.
"""

import abc
from collections.abc import Callable
from typing import Any, ClassVar, Literal

import attrs

from agent.auth.callback import OAUTH1, CallbackFormat
from agent.auth.loopback import ListenAt
from agent.errors import AgentError, InvalidParams, UnsupportedServer
from agent.secret import Secret
from agent.settings import Settings
from protocol.types import (
    AuthMethod,
    Comment,
    CreateFormResult,
    FieldValue,
    Issue,
    IssueDetail,
    ProjectInfo,
    Transition,
    User,
)

# A progress callback: (issues fetched so far, issues expected in all).
ProgressCallback = Callable[[int, int], None]

# How a tracker's issue keys look in text (agent.documents finds them):
# "project": `PRJ-12`, the part before the dash a project key of the instance;
# "repository": `owner/repo#12` (GitLab: `group/sub/project#12`), and `#12` in a
# document inside a git checkout whose remote is a repository of the instance.
KeyStyle = Literal["project", "repository"]


@attrs.frozen
class InstanceConfig:
    """What is stored about an instance apart from its secrets."""

    base_url: str
    auth_method: str
    settings: dict[str, str] = attrs.Factory(dict)


@attrs.frozen
class ParsedConfiguration(InstanceConfig):
    """A validated form: what goes in the config file, what is secret, what to warn about."""

    secrets: dict[str, Secret] = attrs.Factory(dict)
    warnings: list[str] = attrs.Factory(list)


@attrs.frozen
class ServerCheck:
    """What configure learned from the server."""

    connected: bool
    user: User | None = None
    server_version: str | None = None


@attrs.frozen
class PendingAuthorization:
    """An authorization waiting for the user in the browser. `expected` is the value
    that identifies it in the callback (`form.match`: OAuth 1.0a's request token, OAuth
    2.0's state); `form` says how the callback, or a pasted address, is read."""

    authorize_url: str
    expires_at: float  # time.time() after which the server forgets it
    state: dict[str, Secret] = attrs.Factory(dict)
    expected: Secret | None = None
    form: CallbackFormat = OAUTH1


@attrs.frozen
class Authorized:
    """A finished authorization: the secrets to store and who the user is."""

    secrets: dict[str, Secret]
    check: ServerCheck


@attrs.frozen
class FetchResult:
    # Each issue as the wire JSON of `Issue` (`unstructure(issue)`), built directly:
    # thousands of attrs objects made only to be taken apart again cost most of a fetch.
    issues: list[dict[str, Any]]
    total: int


class Renewal(abc.ABC):
    """How a session that renews its own credentials (OAuth 2.0's refresh) keeps them:
    the instance store, so that every request and a restarted agent use the new ones."""

    @abc.abstractmethod
    async def current(self) -> dict[str, Secret]:
        """The credentials stored now (another agent process may have renewed them)."""

    @abc.abstractmethod
    async def renewed(self, used: dict[str, Secret], secrets: dict[str, Secret]) -> None:
        """Store credentials renewed from `used` (replacing those of the same names), if
        the instance still has `used` (not after a disconnect or a new authorization)."""

    @abc.abstractmethod
    async def refused(self, used: dict[str, Secret], error: AgentError) -> None:
        """The server refused to renew `used`: forget them, the user authorizes again."""


@attrs.frozen
class Credentials:
    """The secrets of an instance, looked up by name (e.g. "token"); `renewal` where
    the session may renew them (set for sessions, not for configure's check)."""

    values: dict[str, Secret] = attrs.Factory(dict)
    renewal: Renewal | None = attrs.field(default=None, eq=False)

    def get(self, name: str) -> Secret | None:
        return self.values.get(name)


class TrackerSession(abc.ABC):
    """A live connection to one instance (one HTTP client, its auth)."""

    @abc.abstractmethod
    async def fetch_issues(
        self, jql: str | None, limit: int, on_progress: ProgressCallback
    ) -> FetchResult:
        """The user's open issues (jql None) or those jql matches, up to `limit`."""

    @abc.abstractmethod
    async def aclose(self) -> None: ...

    # --- projects and creating issues (a tracker that lacks one says so) -------

    async def list_projects(self, refresh: bool) -> list[ProjectInfo]:
        """The projects the user can see; cached, `refresh` reads them again."""
        raise unsupported("listing projects")

    async def create_form(self, project_key: str, issue_type: str | None) -> CreateFormResult:
        """The issue types of a project and the create fields of one (id or name)."""
        raise unsupported("creating issues")

    async def create_issue(
        self, project_key: str, issue_type: str, fields: dict[str, FieldValue]
    ) -> Issue:
        """Create an issue from a create form's values, by field name."""
        raise unsupported("creating issues")

    # --- working on one issue (a tracker that lacks one says so) ----------------

    async def get_issue(self, key: str) -> IssueDetail:
        """The issue with description, comments (oldest first) and transitions now."""
        raise unsupported("reading an issue")

    async def issue_with_transitions(self, key: str) -> tuple[Issue, list[Transition]]:
        """The issue and the transitions it offers now, without its comments."""
        raise unsupported("reading an issue")

    async def transition(self, key: str, transition_id: str, comment: str | None) -> Issue:
        """Apply a transition the issue offers; the issue as it is afterwards."""
        raise unsupported("moving an issue")

    async def comment(self, key: str, body: str) -> Comment:
        raise unsupported("commenting")

    async def assignees(self, key: str, query: str) -> list[User]:
        """Users the issue can be assigned to, matching `query`, searched by the server."""
        raise unsupported("searching assignees")

    async def assign(self, key: str, user_name: str | None) -> Issue:
        """Assign to the user of that name, or unassign (None); the issue afterwards."""
        raise unsupported("assigning")

    async def current_user(self) -> User:
        raise unsupported("naming the connected user")

    # --- issue keys in documents (trackers with a `key_style`) -------------------

    async def key_prefixes(self) -> set[str]:
        """Key style "project": the project keys whose `KEY-12` are issues here (cached
        like `list_projects`); what the documents layer links, and nothing else."""
        raise unsupported("issue keys in documents")

    async def lookup_issues(self, keys: list[str]) -> list[dict[str, Any]]:
        """The issues of these keys (as `Issue.key` spells them), as wire JSON like
        `FetchResult.issues`; keys with no issue (or none the user may see) are left out.
        Batched: one search per chunk of keys the tracker's API allows, never one
        request per key where the API can do better."""
        raise unsupported("issue keys in documents")

    async def suggest_issues(self, project: str, text: str, limit: int) -> list[dict[str, Any]]:
        """Completion after `PROJECT-` (or `owner/repo#`): the user's open issues of that
        project first (most recently updated first), then issues a server-side text
        search for `text` finds (recent issues of the project when `text` is empty),
        without repeats, at most `limit`, as wire JSON."""
        raise unsupported("issue keys in documents")


def unsupported(what: str) -> UnsupportedServer:
    return UnsupportedServer(f"This tracker does not support {what} through issuebridge.")


def describe_transitions(transitions: list[Transition]) -> str:
    """`Start Progress (11), Close Issue (61)`, or `none`."""
    return ", ".join(f"{t.name} ({t.id})" for t in transitions) or "none"


def transition_not_offered(
    key: str, transition_id: str, offered: list[Transition]
) -> InvalidParams:
    """-32602 on `transitionId`, naming the transitions the issue offers now."""
    return InvalidParams(
        "transitionId",
        f"{key} does not offer transition {transition_id} now; it offers: "
        f"{describe_transitions(offered)}.",
        hint="The issue may have been moved meanwhile: choose one of the transitions it "
        "offers now.",
    )


class TrackerProvider(abc.ABC):
    id: ClassVar[str]
    name: ClassVar[str]
    kind: ClassVar[str] = "issues"
    # The optional methods (protocol.types.CAPABILITIES) this tracker supports; the
    # session raises `unsupported` for the others, and clients do not offer them.
    capabilities: ClassVar[tuple[str, ...]] = ()
    # Where `providers/list` shows it: lower first, then by id (Jira Server, the one
    # this project started with, stays first whatever folders are added).
    listing_order: ClassVar[int] = 100
    # How its keys look in text (KeyStyle); None: documents show none of its keys.
    key_style: ClassVar[KeyStyle | None] = None

    @abc.abstractmethod
    def auth_methods(self) -> list[AuthMethod]:
        """The ways to connect, each with the form fields it needs."""

    def auth_method(self, method_id: str) -> AuthMethod | None:
        return next((m for m in self.auth_methods() if m.id == method_id), None)

    @abc.abstractmethod
    def parse_configuration(self, auth_method: str, fields: dict[str, str]) -> ParsedConfiguration:
        """Validate a form; raise InvalidParams naming `fields.<name>`."""

    @abc.abstractmethod
    async def check(
        self, parsed: ParsedConfiguration, credentials: Credentials, settings: Settings
    ) -> ServerCheck:
        """Check the server and credentials before anything is stored."""

    @abc.abstractmethod
    def open_session(
        self, instance: InstanceConfig, credentials: Credentials, settings: Settings
    ) -> TrackerSession:
        """A session for fetching; it makes no request until used."""

    def issue_url(self, instance: InstanceConfig, key: str) -> str | None:
        """The issue's page for the user, built without a request (documentLink needs it
        at once); None when the tracker cannot build it from the key alone."""
        return None

    def repository_of_remote(self, instance: InstanceConfig, remote_url: str) -> str | None:
        """Key style "repository": the `owner/repo` path a git remote URL (https, ssh or
        scp form) names on this instance, or None when the remote is elsewhere."""
        return None

    def needs_authorization(self, auth_method: str) -> bool:
        """True if the method connects through a browser authorization (not a token)."""
        return False

    def loopback(self, instance: InstanceConfig) -> ListenAt | None:
        """Where the browser comes back to the agent after authorizing; None: it cannot
        (the registered redirect is not on this machine), so the user pastes the code."""
        return ListenAt()

    def callback_refused(
        self, instance: InstanceConfig, error: str, description: str | None
    ) -> AgentError:
        """The error for a callback that carries a refusal (OAuth 2.0's `error=`)."""
        from agent.errors import AuthenticationFailed

        if error == "access_denied":
            return AuthenticationFailed(
                "You denied access in the browser, so issuebridge is not authorized.",
                hint="Authorize again and allow access.",
                action="authorize",
                oauthError=error,
            )
        return AuthenticationFailed(
            f"The server refused the authorization ({error}).",
            hint="Authorize again; if it keeps failing, ask the server's admin to check the "
            "link's settings.",
            action="authorize",
            oauthError=error,
        )

    async def start_authorization(
        self,
        instance: InstanceConfig,
        credentials: Credentials,
        settings: Settings,
        callback_url: str | None,
    ) -> PendingAuthorization:
        """Begin a browser authorization; `callback_url` None means out of band."""
        raise NotImplementedError

    async def finish_authorization(
        self,
        instance: InstanceConfig,
        credentials: Credentials,
        settings: Settings,
        pending: PendingAuthorization,
        verifier: str,
    ) -> Authorized:
        """Exchange the verifier the browser produced for lasting credentials."""
        raise NotImplementedError
