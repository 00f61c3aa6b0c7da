"""The agent's composition root: settings, providers, the editor, and the services
behind each contract method. `agent.server` binds these to the wire."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from agent import logs
from agent.client import EditorClient
from agent.documents.service import Documents
from agent.documents.text import Encoding
from agent.errors import about_instance
from agent.providers.registry import ProviderRegistry, discover
from agent.services import create, issues, keys, providers, work
from agent.services.authorize import Authorizations
from agent.services.instances import Instances
from agent.services.offline import Offline
from agent.services.team import Team
from agent.settings import Settings, parse_options
from protocol import methods
from protocol import types as t
from protocol.converter import ParamsError, WireJson

log = logging.getLogger("issuebridge")

Service = Callable[[Any], Awaitable[Any]]


class Agent:
    def __init__(
        self,
        client: EditorClient,
        registry: ProviderRegistry | None = None,
        encoding: Callable[[], Encoding] = lambda: "utf-16",
    ) -> None:
        self.client = client
        self.registry = registry or discover()
        # Resolved at `initialize` (or on first use without one): finding the platform's
        # config dir is no work for start-up.
        self._settings: Settings | None = None
        self._background: set[asyncio.Task[None]] = set()
        self.instances = Instances(
            self.registry,
            lambda: self.settings,
            self._providers_changed,
            on_corrupt=self.client.show_error,
        )
        self.team = Team(self.instances)
        self.offline = Offline(lambda: self.settings.storage_dir)
        self.authorizations = Authorizations(self.registry, self.instances, self.client)
        # Issue keys in open documents; off with `issueKeys.enabled: false`.
        self.documents = Documents(
            self.instances,
            self.registry,
            lambda: self.settings.issue_keys_enabled,
            encoding,
            self.client,
            lambda: self.team.folders,
        )

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = parse_options(None)
        return self._settings

    # --- lifecycle --------------------------------------------------------------

    def initialize(self, options: Any, workspace_folders: list[str]) -> None:
        self._settings = parse_options(options)
        if self._settings.log_level:
            logs.set_level(self._settings.log_level)
        self.team.set_folders(workspace_folders)
        log.info("Storage dir: %s", self.settings.storage_dir)
        # Instances with TLS verification off are warned about at every start.
        with contextlib.suppress(RuntimeError):  # no loop: nothing will connect either
            task = asyncio.get_running_loop().create_task(self.instances.warn_about_insecure())
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def change_workspace_folders(self, added: list[str], removed: list[str]) -> None:
        self.team.add_folders(added, removed)
        await self._providers_changed()

    async def change_configuration(self, settings: Any) -> None:
        try:
            self._settings = parse_options(settings, field_prefix="settings")
        except ParamsError as exc:
            # A notification has no answer: say it, and keep the settings in force.
            text = f"issuebridge ignored the new settings: {exc.field} {exc.problem}."
            log.warning("%s", text)
            self.client.show_error(text)
            return
        if self._settings.log_level:
            logs.set_level(self._settings.log_level)
        # HTTP settings may have changed: reconnect with the new ones.
        await self.instances.drop_all_sessions()

    async def _providers_changed(self) -> None:
        self.documents.instances_changed()
        result = t.ProvidersDidChangeParams(
            providers=providers.describe(self.registry, await self.team.listed())
        )
        self.client.notify(methods.PROVIDERS_DID_CHANGE, result)

    # --- methods ----------------------------------------------------------------

    async def providers_list(self, _params: t.EmptyParams) -> t.ProvidersListResult:
        kind, path = await self.instances.secret_storage()
        return t.ProvidersListResult(
            providers=providers.describe(self.registry, await self.team.listed()),
            secret_storage=t.SecretStorage(kind=kind, path=str(path) if path else None),
        )

    async def configure(self, params: t.ConfigureParams) -> t.InstanceResult:
        return await providers.configure(
            self.registry, self.instances, self.client, self.settings, params
        )

    async def authorize(self, params: t.AuthorizeParams) -> t.AuthorizeResult:
        with about_instance(params.instance_id):
            await self.team.require_set_up(params.instance_id)
            return await self.authorizations.authorize(params)

    async def complete_authorization(
        self, params: t.CompleteAuthorizationParams
    ) -> t.InstanceResult:
        with about_instance(params.instance_id):
            return await self.authorizations.complete(params)

    async def disconnect(self, params: t.DisconnectParams) -> t.EmptyResult:
        self.authorizations.forget(params.instance_id)
        await self.instances.disconnect(params.instance_id, params.forget)
        if params.forget:
            await self.offline.forget(params.instance_id)
        return t.EmptyResult()

    async def generate_key(self, params: t.KeysGenerateParams) -> t.KeysGenerateResult:
        return await keys.generate(self.instances, params)

    async def fetch_issues(self, params: t.IssuesFetchParams) -> WireJson:
        with about_instance(params.instance_id):
            return await issues.fetch(self.instances, self.offline, self.client, params)

    async def get_issue(self, params: t.IssueKeyParams) -> t.IssueDetailResult:
        with about_instance(params.instance_id):
            return await work.get(self.instances, params)

    async def transition(self, params: t.TransitionParams) -> t.IssueResult:
        with about_instance(params.instance_id):
            return await work.transition(self.instances, params)

    async def comment(self, params: t.CommentParams) -> t.CommentResult:
        with about_instance(params.instance_id):
            return await work.comment(self.instances, params)

    async def assignees(self, params: t.AssigneesParams) -> t.AssigneesResult:
        with about_instance(params.instance_id):
            return await work.assignees(self.instances, params)

    async def assign(self, params: t.AssignParams) -> t.IssueResult:
        with about_instance(params.instance_id):
            return await work.assign(self.instances, params)

    async def start_work(self, params: t.StartWorkParams) -> t.StartWorkResult:
        with about_instance(params.instance_id):
            return await work.start_work(self.instances, self.settings, params)

    async def list_projects(self, params: t.ProjectsListParams) -> t.ProjectsListResult:
        with about_instance(params.instance_id):
            return await create.list_projects(self.instances, params)

    async def create_form(self, params: t.CreateFormParams) -> t.CreateFormResult:
        with about_instance(params.instance_id):
            return await create.create_form(self.instances, params)

    async def create_issue(self, params: t.CreateIssueParams) -> t.IssueResult:
        with about_instance(params.instance_id):
            return await create.create_issue(self.instances, params)

    async def share(self, params: t.TeamShareParams) -> t.TeamShareResult:
        return await self.team.share(params)

    async def unlock(self, params: t.TeamUnlockParams) -> t.InstanceResult:
        return await self.team.unlock(params)

    def services(self) -> dict[str, Service]:
        implemented: dict[str, Service] = {
            methods.PROVIDERS_LIST: self.providers_list,
            methods.PROVIDERS_CONFIGURE: self.configure,
            methods.PROVIDERS_AUTHORIZE: self.authorize,
            methods.PROVIDERS_COMPLETE_AUTHORIZATION: self.complete_authorization,
            methods.PROVIDERS_DISCONNECT: self.disconnect,
            methods.KEYS_GENERATE: self.generate_key,
            methods.TEAM_SHARE: self.share,
            methods.TEAM_UNLOCK: self.unlock,
            methods.ISSUES_FETCH: self.fetch_issues,
            methods.ISSUES_GET: self.get_issue,
            methods.ISSUES_TRANSITION: self.transition,
            methods.ISSUES_COMMENT: self.comment,
            methods.ISSUES_ASSIGNEES: self.assignees,
            methods.ISSUES_ASSIGN: self.assign,
            methods.ISSUES_START_WORK: self.start_work,
            methods.PROJECTS_LIST: self.list_projects,
            methods.ISSUES_CREATE_FORM: self.create_form,
            methods.ISSUES_CREATE: self.create_issue,
        }
        return implemented
