"""REST resources under ``/rest``: the part of Jira's v2 API that issuebridge uses.

Status codes and error bodies follow Jira Server; where a resource is readable
anonymously in Jira (serverInfo, search, project list, mypermissions) it answers an
anonymous caller too, with what an anonymous user may see in this instance: nothing.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from . import createmeta, jql, workflow
from .auth import PAT_MIN_VERSION, AuthResult, not_authenticated
from .config import SimulatorConfig
from .data import (
    ISSUE_TYPES,
    PRIORITIES,
    STATUSES,
    Issue,
    NamedItem,
    Project,
    Store,
    User,
    jira_time,
    status_by_id,
)
from .represent import Representer, comment_page, select_fields
from .search_cache import RenderedIssues, SearchCache, encode_json
from .wire import JSON_TYPE, Request, Response, error_response, json_response, no_content

NEW_CREATEMETA_MIN_VERSION = (8, 4, 0)
OLD_CREATEMETA_REMOVED_IN = (9, 0, 0)
DEFAULT_PAGE = 50
# Jira's bound on `maxResults` of the user searches.
ASSIGNABLE_MAX = 1000

PERMISSIONS = [
    ("10", "BROWSE_PROJECTS", "Browse Projects", "PROJECT"),
    ("11", "CREATE_ISSUES", "Create Issues", "PROJECT"),
    ("12", "EDIT_ISSUES", "Edit Issues", "PROJECT"),
    ("13", "ASSIGN_ISSUES", "Assign Issues", "PROJECT"),
    ("14", "ASSIGNABLE_USER", "Assignable User", "PROJECT"),
    ("15", "RESOLVE_ISSUES", "Resolve Issues", "PROJECT"),
    ("46", "TRANSITION_ISSUES", "Transition Issues", "PROJECT"),
    ("16", "ADD_COMMENTS", "Add Comments", "PROJECT"),
    ("0", "ADMINISTER", "Jira Administrators", "GLOBAL"),
    ("1", "USE", "Jira Users", "GLOBAL"),
    ("27", "USER_PICKER", "Browse Users", "GLOBAL"),
]


class BadRequest(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


@dataclass
class Call:
    request: Request
    auth: AuthResult
    rep: Representer
    match: re.Match[str]

    @property
    def user(self) -> User | None:
        return self.auth.user


Handler = Callable[[Call], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    # Resources that exist only in some Jira versions.
    available: Callable[[], bool] = lambda: True


class RestApi:
    def __init__(self, config: SimulatorConfig, store: Store) -> None:
        self.config = config
        self.store = store
        self.edits = EditsBetweenPages(store)
        self.search_cache = SearchCache()
        self.rendered = RenderedIssues()
        api = r"/rest/api/(?:2|latest)"
        table: list[tuple[str, str, Handler]] = [
            ("GET", f"{api}/serverInfo", self.server_info),
            ("GET", f"{api}/myself", self.myself),
            ("GET", f"{api}/mypermissions", self.my_permissions),
            ("GET", f"{api}/search", self.search_get),
            ("POST", f"{api}/search", self.search_post),
            ("GET", f"{api}/project", self.projects),
            ("GET", f"{api}/project/(?P<project>[^/]+)", self.project),
            ("GET", f"{api}/status", self.statuses),
            ("GET", f"{api}/priority", self.priorities),
            ("GET", f"{api}/issue/createmeta", self.old_createmeta),
            ("GET", f"{api}/issue/createmeta/(?P<project>[^/]+)/issuetypes", self.createmeta_types),
            (
                "GET",
                f"{api}/issue/createmeta/(?P<project>[^/]+)/issuetypes/(?P<type>[^/]+)",
                self.createmeta_fields,
            ),
            ("POST", f"{api}/issue", self.create_issue),
            ("GET", f"{api}/issue/(?P<key>[^/]+)", self.get_issue),
            ("GET", f"{api}/issue/(?P<key>[^/]+)/transitions", self.transitions),
            ("POST", f"{api}/issue/(?P<key>[^/]+)/transitions", self.do_transition),
            ("GET", f"{api}/issue/(?P<key>[^/]+)/comment", self.get_comments),
            ("POST", f"{api}/issue/(?P<key>[^/]+)/comment", self.add_comment),
            ("PUT", f"{api}/issue/(?P<key>[^/]+)/assignee", self.assign),
            ("GET", f"{api}/user/assignable/search", self.assignable),
            ("GET", r"/rest/pat/latest/tokens", self.list_pats),
            ("POST", r"/rest/pat/latest/tokens", self.create_pat),
            ("DELETE", r"/rest/pat/latest/tokens/(?P<id>\d+)", self.delete_pat),
        ]
        self.routes = [Route(m, re.compile(p + r"/?"), h) for m, p, h in table]
        for index, route in enumerate(self.routes):
            if route.handler == self.old_createmeta:
                # Removed in 9.0: the path then falls through to GET /issue/{issueIdOrKey}
                # and answers "Issue Does Not Exist".
                self.routes[index] = Route(
                    route.method,
                    route.pattern,
                    route.handler,
                    lambda: not self.version_at_least(OLD_CREATEMETA_REMOVED_IN),
                )

    def handle(self, request: Request, auth: AuthResult) -> Response:
        allowed: list[str] = []
        for route in self.routes:
            match = route.pattern.fullmatch(request.path)
            if match is None or not route.available():
                continue
            if route.method != request.method:
                allowed.append(route.method)
                continue
            call = Call(request, auth, Representer(request.base_url, self.store), match)
            try:
                return route.handler(call)
            except BadRequest as bad:
                return bad.response
        if allowed:
            return Response(405, b"", None, [("Allow", ",".join(sorted(set(allowed))))])
        # Jersey's answer for a URI no resource claims.
        url = f"{request.base_url}{request.path}"
        return json_response(404, {"message": f"null for uri: {url}", "status-code": 404})

    # -- helpers --------------------------------------------------------------------------

    def version_at_least(self, minimum: tuple[int, int, int]) -> bool:
        return self.config.version_tuple >= minimum

    @staticmethod
    def need_user(call: Call) -> User:
        if call.user is None:
            raise BadRequest(not_authenticated())
        return call.user

    @staticmethod
    def json_body(call: Call) -> dict[str, Any]:
        if call.request.content_type != "application/json":
            # Jersey refuses other media types before the resource runs.
            raise BadRequest(Response(415, b"", None))
        try:
            body = call.request.json()
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest(error_response(400, [f"Unexpected character: {exc}"])) from exc
        if not isinstance(body, dict):
            raise BadRequest(error_response(400, ["Can not deserialize instance of object"]))
        return body

    def visible_issue(self, call: Call) -> Issue:
        issue = self.store.issue(call.match.group("key"))
        if call.user is None:
            raise BadRequest(
                error_response(
                    401,
                    [
                        "You do not have the permission to see the specified issue.",
                        "Login Required",
                    ],
                )
            )
        if issue is None:
            raise BadRequest(error_response(404, ["Issue Does Not Exist"]))
        return issue

    def find_project(self, value: str) -> Project:
        project = self.store.project(value)
        if project is None:
            raise BadRequest(
                error_response(404, [f"No project could be found with key '{value}'."])
            )
        return project

    # -- server and user ------------------------------------------------------------------

    def server_info(self, call: Call) -> Response:
        major, minor, patch = self.config.version_tuple
        payload: dict[str, Any] = {
            "baseUrl": call.request.base_url,
            "version": self.config.version,
            "versionNumbers": [major, minor, patch],
            "deploymentType": self.config.deployment_type,
            "buildNumber": major * 100000 + minor * 1000 + patch,
            "buildDate": "2023-11-28T00:00:00.000+0000",
            "scmInfo": "0e63ca64f6c1c7e0e4b1c4ab8e1ee8d0f9bb2c41",
            "serverTitle": "Jira (issuebridge simulator)",
        }
        if call.user is not None:
            payload["serverTime"] = jira_time(datetime.now(UTC))
        return json_response(200, payload)

    def myself(self, call: Call) -> Response:
        return json_response(200, call.rep.myself(self.need_user(call)))

    def my_permissions(self, call: Call) -> Response:
        wanted = call.request.arg("permissions")
        keys = {k.strip() for k in wanted.split(",")} if wanted else None
        result: dict[str, Any] = {}
        for pid, key, name, ptype in PERMISSIONS:
            if keys is not None and key not in keys:
                continue
            have = call.user is not None and (key != "ADMINISTER" or call.user.admin)
            result[key] = {
                "id": pid,
                "key": key,
                "name": name,
                "type": ptype,
                "description": name,
                "havePermission": have,
            }
        return json_response(200, {"permissions": result})

    # -- search --------------------------------------------------------------------------

    def search_get(self, call: Call) -> Response:
        query = call.request.query
        fields = [f for k, v in query if k == "fields" for f in v.split(",")] or None
        expand = {e for k, v in query if k == "expand" for e in v.split(",")}
        return self.run_search(
            call,
            call.request.arg("jql") or "",
            _int_param(call.request.arg("startAt"), "startAt"),
            _int_param(call.request.arg("maxResults"), "maxResults"),
            fields,
            expand,
            (call.request.arg("validateQuery") or "true").lower() != "false",
        )

    def search_post(self, call: Call) -> Response:
        body = self.json_body(call)
        fields_raw = body.get("fields")
        fields = None
        if isinstance(fields_raw, list):
            fields = [str(f) for f in fields_raw]
        elif isinstance(fields_raw, str):
            fields = fields_raw.split(",")
        expand_raw = body.get("expand") or []
        expand = set(expand_raw.split(",") if isinstance(expand_raw, str) else map(str, expand_raw))
        validate = body.get("validateQuery", True)
        if not isinstance(validate, bool):
            return error_response(400, ["Invalid value for 'validateQuery'."])
        return self.run_search(
            call,
            str(body.get("jql") or ""),
            _int_value(body.get("startAt"), "startAt"),
            _int_value(body.get("maxResults"), "maxResults"),
            fields,
            expand,
            validate,
        )

    def run_search(
        self,
        call: Call,
        query: str,
        start_at: int | None,
        max_results: int | None,
        fields: list[str] | None,
        expand: set[str],
        validate: bool = True,
    ) -> Response:
        """`validate` is the search's `validateQuery` (jql.Context.validate)."""
        ctx = jql.Context(
            self.store,
            call.user,
            datetime.now(UTC),
            can_browse=call.user is not None,
            validate=validate or not self.config.honour_validate_query,
        )
        try:
            issues = self.search_cache.search(query, ctx)
        except jql.JqlError as error:
            return error_response(400, [str(error)])
        cap = max(0, self.config.max_results_cap)
        asked = DEFAULT_PAGE if max_results is None or max_results < 0 else max_results
        page_size = min(asked, cap)
        start = max(0, start_at or 0)
        chosen = select_fields(fields, "*navigable")
        page = issues[start : start + page_size]
        head: dict[str, Any] = {
            "expand": "schema,names",
            "startAt": start,
            "maxResults": page_size,
            "total": len(issues),
        }
        if ctx.warnings:
            head["warningMessages"] = list(dict.fromkeys(ctx.warnings))
        # The JSON of {**head, "issues": [...], "names"?: {...}}, from each issue's kept JSON.
        parts = [encode_json(head)[:-1], b',"issues":[']
        parts.append(b",".join(self.rendered.encoded(call.rep, page, chosen, expand)))
        parts.append(b"]")
        if "names" in expand:
            parts.append(b',"names":' + encode_json({n: n for n in chosen}))
        parts.append(b"}")
        response = Response(200, b"".join(parts), JSON_TYPE)
        # After the page is built, so this page shows the result before the edit and
        # every later search the result after it.
        self.edits.searched()
        return response

    # -- projects and metadata -----------------------------------------------------------------

    def projects(self, call: Call) -> Response:
        if call.user is None:
            return json_response(200, [])
        with self.store.lock:
            projects = list(self.store.projects)
        return json_response(200, [call.rep.project(p) for p in projects])

    def project(self, call: Call) -> Response:
        value = call.match.group("project")
        project = self.store.project(value) if call.user is not None else None
        if project is None:
            return error_response(404, [f"No project could be found with key '{value}'."])
        return json_response(200, call.rep.project(project, detailed=True))

    def statuses(self, call: Call) -> Response:
        return json_response(200, [call.rep.status(s) for s in STATUSES])

    def priorities(self, call: Call) -> Response:
        return json_response(200, [call.rep.priority(p) for p in PRIORITIES])

    def old_createmeta(self, call: Call) -> Response:
        """Before 9.0: every project and type in one answer; `projectKeys`/`projectIds`
        and `issuetypeIds`/`issuetypeNames` narrow it, and the fields come only with
        `expand=projects.issuetypes.fields`, as a map by field id."""
        self.need_user(call)
        request = call.request

        def values(name: str) -> set[str]:
            return {k for n, v in request.query if n == name for k in v.split(",") if k}

        keys, ids = values("projectKeys"), values("projectIds")
        type_ids, type_names = values("issuetypeIds"), {n.lower() for n in values("issuetypeNames")}
        with_fields = "projects.issuetypes.fields" in (request.arg("expand") or "")
        with self.store.lock:
            projects = [
                p
                for p in self.store.projects
                if (not keys and not ids) or p.key in keys or p.id in ids
            ]
        result = []
        for project in projects:
            entry = call.rep.project(project)
            entry["expand"] = "issuetypes"
            types = []
            for itype in createmeta.issue_types(project):
                if (type_ids or type_names) and not (
                    itype.id in type_ids or itype.name.lower() in type_names
                ):
                    continue
                type_json = call.rep.issuetype(itype)
                type_json["expand"] = "fields"
                if with_fields:
                    type_json["fields"] = {
                        f["fieldId"]: {k: v for k, v in f.items() if k != "fieldId"}
                        for f in self.field_meta(call, project, itype)
                    }
                types.append(type_json)
            entry["issuetypes"] = types
            result.append(entry)
        return json_response(200, {"expand": "projects", "projects": result})

    def createmeta_types(self, call: Call) -> Response:
        if not self.version_at_least(NEW_CREATEMETA_MIN_VERSION):
            # Before 8.4 the path is read as GET /issue/{issueIdOrKey} plus junk: 404.
            return json_response(404, {"message": "null for uri", "status-code": 404})
        self.need_user(call)
        project = self.find_project(call.match.group("project"))
        values = [call.rep.issuetype(t) for t in createmeta.issue_types(project)]
        return self.paged(call, values)

    def createmeta_fields(self, call: Call) -> Response:
        if not self.version_at_least(NEW_CREATEMETA_MIN_VERSION):
            return json_response(404, {"message": "null for uri", "status-code": 404})
        self.need_user(call)
        project = self.find_project(call.match.group("project"))
        type_id = call.match.group("type")
        itype = next((t for t in createmeta.issue_types(project) if t.id == type_id), None)
        if itype is None:
            return error_response(404, [f"Issue type with id '{type_id}' was not found."])
        return self.paged(call, self.field_meta(call, project, itype))

    def paged(self, call: Call, values: list[Any]) -> Response:
        start = max(0, _int_param(call.request.arg("startAt"), "startAt") or 0)
        asked = _int_param(call.request.arg("maxResults"), "maxResults")
        size = DEFAULT_PAGE if asked is None or asked < 0 else asked
        size = min(size, max(1, self.config.createmeta_max_results))
        page = values[start : start + size]
        return json_response(
            200,
            {
                "maxResults": size,
                "startAt": start,
                "total": len(values),
                "isLast": start + len(page) >= len(values),
                "values": page,
            },
        )

    def field_meta(self, call: Call, project: Project, itype: NamedItem) -> list[dict[str, Any]]:
        """The create metadata of one type: project and issue type first, as in Jira."""
        api = call.rep.api
        head: list[dict[str, Any]] = [
            {
                "required": True,
                "schema": {"type": "project", "system": "project"},
                "name": "Project",
                "fieldId": "project",
                "hasDefaultValue": False,
                "operations": ["set"],
                "allowedValues": [call.rep.project(project)],
            },
            {
                "required": True,
                "schema": {"type": "issuetype", "system": "issuetype"},
                "name": "Issue Type",
                "fieldId": "issuetype",
                "hasDefaultValue": False,
                "operations": [],
                "allowedValues": [call.rep.issuetype(itype)],
            },
        ]
        screen = createmeta.type_fields(project, itype)
        return head + [
            createmeta.field_json(f, required, api, call.rep.priority)
            for f, required in screen.fields
        ]

    # -- issues --------------------------------------------------------------------------

    def get_issue(self, call: Call) -> Response:
        issue = self.visible_issue(call)
        fields_arg = call.request.arg("fields")
        expand = set((call.request.arg("expand") or "").split(","))
        fields = select_fields(fields_arg.split(",") if fields_arg else None, "*all")
        result = call.rep.issue(issue, fields, expand)
        if "transitions" in expand:
            # As Jira does: the transitions offered now, at the top level of the issue.
            result["transitions"] = self.transition_list(call, issue, expand)
        return json_response(200, result)

    def create_issue(self, call: Call) -> Response:
        user = self.need_user(call)
        body = self.json_body(call)
        fields = body.get("fields")
        if not isinstance(fields, dict):
            return error_response(400, [], {"project": "project is required"})
        errors: dict[str, str] = {}
        project = _pick(fields.get("project"), ("key", "id"), self.store.project)
        if fields.get("project") is None:
            errors["project"] = "project is required"
        elif project is None:
            errors["project"] = "valid project is required"
        offered = createmeta.issue_types(project) if project else ISSUE_TYPES
        itype = _pick(fields.get("issuetype"), ("id", "name"), lambda v: _named(offered, v))
        if fields.get("issuetype") is None:
            errors["issuetype"] = "issue type is required"
        elif itype is None:
            errors["issuetype"] = "valid issue type is required"
        if project is None or itype is None:
            summary = fields.get("summary")
            if not isinstance(summary, str) or not summary.strip():
                errors["summary"] = "You must specify a summary of the issue."
            return error_response(400, [], errors)
        check = createmeta.CreateCheck(createmeta.type_fields(project, itype), self.store)
        check.run(fields)
        if check.errors:
            return error_response(400, [], check.errors)
        values = dict(check.values)
        priority = values.pop("priority", None)
        assignee = values.pop("assignee", None)
        labels = values.pop("labels", [])
        description = values.pop("description", None)
        summary = values.pop("summary")
        api = call.rep.api
        issue = self.store.add_issue(
            project.key,
            summary,
            issuetype=itype.name,
            priority=priority.name if priority else "Medium",
            assignee=assignee.name if assignee else None,
            reporter=user.name,
            labels=labels,
            description=description,
            extra_fields={
                fid: createmeta.stored_value(v, api, call.rep.user) for fid, v in values.items()
            },
        )
        return json_response(
            201, {"id": str(issue.id), "key": issue.key, "self": f"{api}/issue/{issue.id}"}
        )

    def workflow(self, issue: Issue) -> list[tuple[workflow.Step, str]]:
        """(step, target status id) for each transition the issue offers in its status."""
        return workflow.offered(self.store.project(issue.project_key), issue.status_id)

    def transition_list(
        self, call: Call, issue: Issue, expand: set[str], only: str | None = None
    ) -> list[dict[str, Any]]:
        return [
            call.rep.transition(
                step.id, step.name, status_by_id(target), "transitions.fields" in expand
            )
            for step, target in self.workflow(issue)
            if only is None or step.id == only
        ]

    def transitions(self, call: Call) -> Response:
        issue = self.visible_issue(call)
        expand = set((call.request.arg("expand") or "").split(","))
        items = self.transition_list(call, issue, expand, call.request.arg("transitionId"))
        return json_response(200, {"expand": "transitions", "transitions": items})

    def do_transition(self, call: Call) -> Response:
        issue = self.visible_issue(call)
        user = self.need_user(call)
        body = self.json_body(call)
        transition = body.get("transition")
        tid = str(transition.get("id", "")) if isinstance(transition, dict) else ""
        if not tid:
            return error_response(400, ["Missing 'transition' identifier"])
        fields = body.get("fields")
        if isinstance(fields, dict) and fields:
            # No transition here has a screen: Jira refuses every field set on one.
            return error_response(
                400,
                [],
                {
                    name: f"Field '{name}' cannot be set. It is not on the appropriate screen, "
                    "or unknown."
                    for name in fields
                },
            )
        comments = _comments_to_add(body.get("update"))
        if isinstance(comments, Response):
            return comments
        target = next((t for step, t in self.workflow(issue) if step.id == tid), None)
        if target is None:
            step = workflow.step_by_id(tid)
            if step is None:
                return error_response(400, [f"Transition id '{tid}' is not valid for this issue."])
            # A step of the workflow, but not from the issue's status: someone moved it.
            return error_response(
                400,
                [
                    f"It seems that you have tried to perform a workflow operation ({step.name}) "
                    f"that is not valid for the current state of this issue ({issue.key}). The "
                    "likely cause is that somebody has changed the issue recently, please look "
                    "at the issue history for details."
                ],
            )
        now = datetime.now(UTC).replace(microsecond=0)
        with self.store.lock:
            issue.status_id = target
            if status_by_id(target).category == "done":
                if issue.resolution_id is None:
                    issue.resolution_id = "10000"
                    issue.resolutiondate = now
            else:
                issue.resolution_id = None
                issue.resolutiondate = None
            issue.updated = now
            for text in comments:
                self.store.add_comment(issue, user.name, text)
        return no_content()

    def get_comments(self, call: Call) -> Response:
        issue = self.visible_issue(call)
        start = max(0, _int_param(call.request.arg("startAt"), "startAt") or 0)
        asked = _int_param(call.request.arg("maxResults"), "maxResults")
        newest_first = (call.request.arg("orderBy") or "").lstrip("+") == "-created"
        return json_response(
            200, call.rep.comments(issue, start, comment_page(asked), newest_first)
        )

    def add_comment(self, call: Call) -> Response:
        issue = self.visible_issue(call)
        user = self.need_user(call)
        body = self.json_body(call).get("body")
        if not isinstance(body, str) or not body.strip():
            return error_response(400, [], {"comment": "Comment body can not be empty!"})
        comment = self.store.add_comment(issue, user.name, body)
        return json_response(201, call.rep.comment(issue, comment))

    def assign(self, call: Call) -> Response:
        issue = self.visible_issue(call)
        body = self.json_body(call)
        name = body.get("name")
        if name is None:
            new_assignee = None
        elif name == "-1":
            project = self.store.project(issue.project_key)
            new_assignee = project.lead if project else None
        else:
            user = self.store.user(str(name))
            if user is None:
                return error_response(400, [], {"assignee": f"User '{name}' does not exist."})
            if not user.active:
                return error_response(
                    400, [], {"assignee": f"User '{name}' cannot be assigned issues."}
                )
            new_assignee = user.name
        with self.store.lock:
            issue.assignee = new_assignee
            issue.updated = datetime.now(UTC).replace(microsecond=0)
        return no_content()

    def assignable(self, call: Call) -> Response:
        self.need_user(call)
        request = call.request
        project_arg, key_arg = request.arg("project"), request.arg("issueKey")
        if not project_arg and not key_arg:
            return error_response(
                400, ["The request must specify at least one of 'issueKey' or 'project'."]
            )
        if key_arg and self.store.issue(key_arg) is None:
            return error_response(404, ["Issue Does Not Exist"])
        if project_arg:
            self.find_project(project_arg)
        # Jira Server matches the start of the user name, e-mail or any display-name word.
        needle = (request.arg("username") or "").lower()
        start = max(0, _int_param(request.arg("startAt"), "startAt") or 0)
        asked = _int_param(request.arg("maxResults"), "maxResults")
        size = min(ASSIGNABLE_MAX, DEFAULT_PAGE if asked is None or asked < 0 else asked)
        with self.store.lock:
            users = [
                u
                for u in self.store.users
                if u.active
                and (
                    not needle
                    or u.name.lower().startswith(needle)
                    or u.email.lower().startswith(needle)
                    or any(w.lower().startswith(needle) for w in u.display_name.split())
                )
            ]
        return json_response(200, [call.rep.user(u) for u in users[start : start + size]])

    # -- personal access tokens (8.14+) --------------------------------------------------

    def pat_available(self) -> None:
        if not self.version_at_least(PAT_MIN_VERSION):
            raise BadRequest(json_response(404, {"message": "null for uri", "status-code": 404}))

    def list_pats(self, call: Call) -> Response:
        self.pat_available()
        user = self.need_user(call)
        with self.store.lock:
            records = [p for p in self.store.pats if p.user_name == user.name and not p.revoked]
        return json_response(200, [_pat_json(p.id, p.name, p.created, p.expiring) for p in records])

    def create_pat(self, call: Call) -> Response:
        self.pat_available()
        user = self.need_user(call)
        body = self.json_body(call)
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            return error_response(400, ["Token name is required."])
        days = body.get("expirationDuration")
        token = self.store.create_pat(user.name, name, int(days) if isinstance(days, int) else None)
        record = self.store.pat(token)
        assert record is not None
        payload = _pat_json(record.id, record.name, record.created, record.expiring)
        payload["rawToken"] = token
        return json_response(201, payload)

    def delete_pat(self, call: Call) -> Response:
        self.pat_available()
        user = self.need_user(call)
        pat_id = int(call.match.group("id"))
        with self.store.lock:
            record = next(
                (p for p in self.store.pats if p.id == pat_id and p.user_name == user.name), None
            )
            if record is None or record.revoked:
                return error_response(404, [f"Token with id {pat_id} not found."])
            record.revoked = True
        return no_content()


@dataclass
class _Edit:
    after: int  # searches still to serve before the edit
    key: str
    resolve: bool


class EditsBetweenPages:
    """Issues edited while a client pages through a search, as users do in Jira.

    An edit sets `updated` to now, as any edit in Jira does (and the index follows at
    once), so under `ORDER BY updated DESC` the issue jumps to the front and every
    issue before its old place moves one page position down; with `resolve` it also
    gets a resolution, leaving `resolution = Unresolved` queries (the `total` drops).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._pending: list[_Edit] = []

    def arm(self, key: str, after_searches: int = 1, resolve: bool = False) -> None:
        if self.store.issue(key) is None:
            raise KeyError(f"no issue {key!r}")
        with self._lock:
            self._pending.append(_Edit(max(1, after_searches), key, resolve))

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [
                {"key": e.key, "afterSearches": e.after, "resolve": e.resolve}
                for e in self._pending
            ]

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def searched(self) -> None:
        """Count one served search; apply the edits that were waiting for it."""
        with self._lock:
            due = []
            for edit in self._pending:
                edit.after -= 1
                if edit.after <= 0:
                    due.append(edit)
            self._pending = [e for e in self._pending if e.after > 0]
        for edit in due:
            self._apply(edit)

    def _apply(self, edit: _Edit) -> None:
        issue = self.store.issue(edit.key)
        if issue is None:
            return
        now = datetime.now(UTC).replace(microsecond=0)
        with self.store.lock:
            # Strictly the newest, even against issues dated in the future.
            latest = max(i.updated for i in self.store.issues)
            issue.updated = max(now, latest + timedelta(seconds=1))
            if edit.resolve and issue.resolution_id is None:
                issue.resolution_id = "1"
                issue.resolutiondate = issue.updated


def _pat_json(pid: int, name: str, created: datetime, expiring: datetime | None) -> dict[str, Any]:
    payload: dict[str, Any] = {"id": pid, "name": name, "createdAt": jira_time(created)}
    if expiring is not None:
        payload["expiringAt"] = jira_time(expiring)
    return payload


def _int_param(value: str | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise BadRequest(
            error_response(400, [f"The value '{value}' is not a valid number for '{name}'."])
        ) from exc


def _int_value(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadRequest(error_response(400, [f"Invalid value for '{name}'."]))
    return _int_param(str(value), name)


def _comments_to_add(update: object) -> list[str] | Response:
    """The bodies of `update.comment: [{"add": {"body": …}}]`, or Jira's 400."""
    if update is None:
        return []
    operations = update.get("comment", []) if isinstance(update, dict) else None
    if not isinstance(operations, list):
        return error_response(400, [], {"comment": "Operation value must be a list."})
    bodies: list[str] = []
    for operation in operations:
        add = operation.get("add") if isinstance(operation, dict) else None
        body = add.get("body") if isinstance(add, dict) else None
        if not isinstance(body, str) or not body.strip():
            return error_response(400, [], {"comment": "Comment body can not be empty!"})
        bodies.append(body)
    return bodies


def _named(items: list[Any], value: str) -> Any:
    lowered = value.lower()
    return next((i for i in items if lowered in (i.id, i.name.lower())), None)


def _pick(raw: object, keys: tuple[str, ...], resolve: Callable[[str], Any]) -> Any:
    if not isinstance(raw, dict):
        return None
    for key in keys:
        if raw.get(key) is not None:
            return resolve(str(raw[key]))
    return None
