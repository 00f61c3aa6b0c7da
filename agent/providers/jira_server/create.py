"""Create forms and creates for one Jira instance.

A form is a project's issue types and, for the chosen type, its fields; both are kept
per project and type for a few minutes (a screen is changed rarely, and a person fills
in a form for longer than it takes to read one), so a create checks its values against
the form without asking Jira again. Jira's own refusals come back field by field.
"""

import logging
import time
from typing import Any
from urllib.parse import quote

from agent.errors import AgentError, AuthenticationFailed, InvalidParams
from agent.providers.jira_server import failures, forms, values
from agent.providers.jira_server.api import JiraApi
from agent.providers.jira_server.createmeta import CreateMetaReader
from agent.providers.jira_server.issues import SEARCH_FIELDS_WITH_PROJECT, to_issue
from protocol.types import CreateFormResult, FieldValue, Issue, IssueStatus, IssueType, Project

log = logging.getLogger("issuebridge.jira")

LIFETIME_SECONDS = 300.0


class _Timed:
    """Values kept for LIFETIME_SECONDS each."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, ...], tuple[float, Any]] = {}

    def get(self, key: tuple[str, ...]) -> Any:
        found = self._items.get(key)
        if found is None or time.monotonic() - found[0] >= LIFETIME_SECONDS:
            return None
        return found[1]

    def put(self, key: tuple[str, ...], value: Any) -> None:
        self._items[key] = (time.monotonic(), value)


class JiraCreate:
    def __init__(self) -> None:
        self._meta = CreateMetaReader()
        self._types = _Timed()
        self._forms = _Timed()

    # --- forms ---------------------------------------------------------------------

    async def issue_types(self, api: JiraApi, project_key: str) -> list[IssueType]:
        key = (project_key.upper(),)
        cached: list[IssueType] | None = self._types.get(key)
        if cached is None:
            raw = await self._meta.issue_types(api, project_key)
            cached = [t for t in map(forms.issue_type, raw) if t is not None]
            self._types.put(key, cached)
        return cached

    async def chosen_type(
        self, api: JiraApi, project_key: str, asked: str | None
    ) -> tuple[list[IssueType], IssueType]:
        types = await self.issue_types(api, project_key)
        if not types:
            raise InvalidParams("projectKey", f"{project_key} offers no issue type you can create.")
        if asked is None:
            return types, types[0]
        lowered = asked.strip().lower()
        chosen = next((t for t in types if t.id == asked), None) or next(
            (t for t in types if t.name.lower() == lowered), None
        )
        if chosen is None:
            names = ", ".join(f"{t.name} ({t.id})" for t in types)
            raise InvalidParams(
                "issueType", f"{project_key} has no issue type {asked!r}; it offers {names}."
            )
        return types, chosen

    async def spec(self, api: JiraApi, project_key: str, chosen: IssueType) -> forms.FormSpec:
        key = (project_key.upper(), chosen.id)
        cached: forms.FormSpec | None = self._forms.get(key)
        if cached is None:
            metas = await self._meta.fields(api, project_key, chosen.id)
            cached = forms.form_spec(chosen, metas)
            self._forms.put(key, cached)
        return cached

    async def form(self, api: JiraApi, project_key: str, asked: str | None) -> CreateFormResult:
        types, chosen = await self.chosen_type(api, project_key, asked)
        spec = await self.spec(api, project_key, chosen)
        if spec.unsupported:
            raise _cannot_render(project_key, spec, types)
        return CreateFormResult(issue_types=types, issue_type=chosen.id, fields=spec.fields)

    # --- creating ------------------------------------------------------------------

    async def create(
        self, api: JiraApi, project_key: str, asked_type: str, given: dict[str, FieldValue]
    ) -> Issue:
        _types, chosen = await self.chosen_type(api, project_key, asked_type)
        spec = await self.spec(api, project_key, chosen)
        errors = values.check(spec, given)
        if errors:
            raise _field_errors(spec, errors, "The issue was not sent to Jira")
        body = {
            "fields": {
                "project": {"key": project_key},
                "issuetype": {"id": chosen.id},
                **values.to_jira(spec, given),
            }
        }
        created = await self._post(api, spec, body)
        return await self._read_back(api, created, project_key, given)

    async def _post(self, api: JiraApi, spec: forms.FormSpec, body: Any) -> dict[str, Any]:
        what = "the new issue"
        response = await api.send("POST", "/rest/api/2/issue", json=body)
        if response.status_code == 400:
            try:
                answer = failures.parse_json(response)
            except failures.NotJson:
                answer = None
            errors = answer.get("errors") if isinstance(answer, dict) else None
            if isinstance(errors, dict) and errors:
                said = {str(k): str(v) for k, v in errors.items()}
                raise _field_errors(spec, said, "Jira refused the issue")
        created = api.read(response, what)
        if not isinstance(created, dict) or not isinstance(created.get("key"), str):
            raise AgentError(f"Jira answered {what} without its key.")
        return created

    async def _read_back(
        self, api: JiraApi, created: dict[str, Any], project_key: str, given: dict[str, Any]
    ) -> Issue:
        """The new issue as `Issue`. It exists now: a failure to read it back must not
        look like a failed create (the person would make it twice)."""
        key = str(created["key"])
        try:
            raw = await api.request(
                "GET",
                f"/rest/api/2/issue/{quote(key, safe='')}",
                what="the new issue",
                params={"fields": ",".join(SEARCH_FIELDS_WITH_PROJECT)},
            )
        except AuthenticationFailed:
            raise
        except AgentError as exc:
            log.warning("Created %s but could not read it back: %s", key, exc.kind.value)
            raw = None
        if isinstance(raw, dict) and isinstance(raw.get("fields"), dict):
            return to_issue(raw, api.base_url)
        return Issue(
            id=str(created.get("id") or ""),
            key=key,
            title=str(given.get("summary") or ""),
            url=f"{api.base_url}/browse/{key}",
            status=IssueStatus(name="Unknown", category="todo"),
            project=Project(key=project_key, name=project_key),
            updated_at="",
        )


def _field_errors(spec: forms.FormSpec, errors: dict[str, str], lead: str) -> InvalidParams:
    """`-32602` naming the first wrong field (in form order) and every message."""
    order = [f.name for f in spec.fields] + [u.name for u in spec.unsupported]
    first = min(errors, key=lambda n: order.index(n) if n in order else len(order))
    path = {"project": "projectKey", "issuetype": "issueType"}.get(first, f"fields.{first}")
    labels = {f.name: f.label for f in spec.fields} | {u.name: u.label for u in spec.unsupported}
    said = "; ".join(
        text if text.startswith(labels.get(name, name)) else f"{labels.get(name, name)}: {text}"
        for name, text in errors.items()
    )
    return InvalidParams(path, f"{lead}: {said}", field_errors=errors)


def _cannot_render(project_key: str, spec: forms.FormSpec, types: list[IssueType]) -> InvalidParams:
    errors = {u.name: values.unsupported_message(u.label, u.kind) for u in spec.unsupported}
    others = [t.name for t in types if t.id != spec.issue_type.id]
    also = f" Other issue types of {project_key}: {', '.join(others)}." if others else ""
    return InvalidParams(
        "issueType",
        f"{spec.issue_type.name} issues of {project_key} need "
        + ", ".join(f"{u.label} (a {u.kind} field)" for u in spec.unsupported)
        + f", which this form cannot enter.{also}",
        hint="Choose another issue type, or create this one in Jira.",
        field_errors=errors,
    )
