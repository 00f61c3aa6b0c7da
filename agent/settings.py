"""The agent's settings: where it stores things and how it reaches trackers.

They come from `initialize.params.initializationOptions` and later
`workspace/didChangeConfiguration`; `ISSUEBRIDGE_HOME` overrides the storage dir.
"""

import os
from pathlib import Path
from typing import Any

import attrs

from agent import branch_names, net_settings
from agent.net_secrets import NetSecrets
from protocol.converter import ParamsError, structure
from protocol.types import HttpSettings, InitializationOptions

DEFAULT_TIMEOUT_SECONDS = 30.0
# A fetch of 10,000 issues at a page cap of 50 is 200 requests, 10 in flight: about
# 20 request times end to end. Ten full per-request timeouts leave room for a slow server.
OPERATION_TIMEOUT_FACTOR = 10


@attrs.frozen
class Settings:
    storage_dir: Path
    http: HttpSettings = attrs.Factory(HttpSettings)
    # None: keep the level set at start (`ISSUEBRIDGE_LOG`, else info).
    log_level: str | None = None
    # `issues.branchTemplate`: how `issues/startWork` names branches (agent.branch_names).
    branch_template: str = branch_names.DEFAULT_TEMPLATE
    # `issueKeys.enabled`: links, hovers, completion and code actions on issue keys.
    issue_keys_enabled: bool = True
    # Set only in an instance's settings (`Instances.settings_for`): `http` is then the
    # instance's effective settings, and these the secrets they need.
    net_secrets: NetSecrets = attrs.Factory(NetSecrets)

    @property
    def timeout_seconds(self) -> float:
        return self.http.timeout_seconds or DEFAULT_TIMEOUT_SECONDS

    @property
    def operation_timeout_seconds(self) -> float:
        """The bound of an operation of many requests (a fetch of many pages)."""
        return (
            self.http.operation_timeout_seconds or OPERATION_TIMEOUT_FACTOR * self.timeout_seconds
        )


def default_storage_dir() -> Path:
    import platformdirs  # only needed when no dir was given

    return Path(platformdirs.user_config_dir("issuebridge", appauthor=False))


def resolve_storage_dir(option: str | None) -> Path:
    """`ISSUEBRIDGE_HOME`, else the `storageDir` option, else the platform's config dir."""
    home = os.environ.get("ISSUEBRIDGE_HOME")
    chosen = home or option
    return Path(chosen).expanduser() if chosen else default_storage_dir()


def parse_options(raw: Any, field_prefix: str = "initializationOptions") -> Settings:
    """Settings from client options; a bad value raises ParamsError naming its path."""
    if isinstance(raw, dict) and isinstance(raw.get("issuebridge"), dict):
        raw = raw["issuebridge"]  # VS Code style: settings under the extension's section
    try:
        options = structure(raw or {}, InitializationOptions)
    except ParamsError as exc:
        raise ParamsError(f"{field_prefix}.{exc.field}", exc.problem) from None
    if options.http:
        net_settings.check(options.http, f"{field_prefix}.http", per_instance=False)
    template = options.issues.branch_template if options.issues else None
    if template is not None:
        problem = branch_names.template_problem(template)
        if problem:
            raise ParamsError(f"{field_prefix}.issues.branchTemplate", problem)
    return Settings(
        storage_dir=resolve_storage_dir(options.storage_dir),
        http=options.http or HttpSettings(),
        log_level=options.log_level,
        branch_template=template or branch_names.DEFAULT_TEMPLATE,
        issue_keys_enabled=options.issue_keys.enabled if options.issue_keys else True,
    )
