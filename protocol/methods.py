"""Every JSON-RPC method name of the editor contract, in one place."""

from typing import Final

PROVIDERS_LIST: Final = "issuebridge/providers/list"
PROVIDERS_CONFIGURE: Final = "issuebridge/providers/configure"
PROVIDERS_AUTHORIZE: Final = "issuebridge/providers/authorize"
PROVIDERS_COMPLETE_AUTHORIZATION: Final = "issuebridge/providers/completeAuthorization"
PROVIDERS_DISCONNECT: Final = "issuebridge/providers/disconnect"
KEYS_GENERATE: Final = "issuebridge/keys/generate"
ISSUES_FETCH: Final = "issuebridge/issues/fetch"
# Working on issues.
PROJECTS_LIST: Final = "issuebridge/projects/list"
ISSUES_GET: Final = "issuebridge/issues/get"
ISSUES_CREATE_FORM: Final = "issuebridge/issues/createForm"
ISSUES_CREATE: Final = "issuebridge/issues/create"
ISSUES_TRANSITION: Final = "issuebridge/issues/transition"
ISSUES_COMMENT: Final = "issuebridge/issues/comment"
ISSUES_ASSIGNEES: Final = "issuebridge/issues/assignees"
ISSUES_ASSIGN: Final = "issuebridge/issues/assign"
ISSUES_START_WORK: Final = "issuebridge/issues/startWork"
# Extensions of the contract: sharing a configuration with the team.
TEAM_SHARE: Final = "issuebridge/team/share"
TEAM_UNLOCK: Final = "issuebridge/team/unlock"

# agent -> client notifications
PROVIDERS_DID_CHANGE: Final = "issuebridge/providers/didChange"

# agent -> client requests, sent only to clients that declare them in `initialize`
# (`capabilities.experimental.issuebridge`).
WINDOW_EXTERNAL_URI: Final = "issuebridge/window/externalUri"


# The shape of each method: what its params structure into and what it answers.
# Imported late so that this module stays the single list of names.
from protocol import types as _t  # noqa: E402

REQUESTS: Final[dict[str, tuple[type, type]]] = {
    PROVIDERS_LIST: (_t.EmptyParams, _t.ProvidersListResult),
    PROVIDERS_CONFIGURE: (_t.ConfigureParams, _t.InstanceResult),
    PROVIDERS_AUTHORIZE: (_t.AuthorizeParams, _t.AuthorizeResult),
    PROVIDERS_COMPLETE_AUTHORIZATION: (_t.CompleteAuthorizationParams, _t.InstanceResult),
    PROVIDERS_DISCONNECT: (_t.DisconnectParams, _t.EmptyResult),
    KEYS_GENERATE: (_t.KeysGenerateParams, _t.KeysGenerateResult),
    ISSUES_FETCH: (_t.IssuesFetchParams, _t.IssuesFetchResult),
    PROJECTS_LIST: (_t.ProjectsListParams, _t.ProjectsListResult),
    ISSUES_GET: (_t.IssueKeyParams, _t.IssueDetailResult),
    ISSUES_CREATE_FORM: (_t.CreateFormParams, _t.CreateFormResult),
    ISSUES_CREATE: (_t.CreateIssueParams, _t.IssueResult),
    ISSUES_TRANSITION: (_t.TransitionParams, _t.IssueResult),
    ISSUES_COMMENT: (_t.CommentParams, _t.CommentResult),
    ISSUES_ASSIGNEES: (_t.AssigneesParams, _t.AssigneesResult),
    ISSUES_ASSIGN: (_t.AssignParams, _t.IssueResult),
    ISSUES_START_WORK: (_t.StartWorkParams, _t.StartWorkResult),
    TEAM_SHARE: (_t.TeamShareParams, _t.TeamShareResult),
    TEAM_UNLOCK: (_t.TeamUnlockParams, _t.InstanceResult),
}

NOTIFICATIONS: Final[dict[str, type]] = {
    PROVIDERS_DID_CHANGE: _t.ProvidersDidChangeParams,
}

CLIENT_REQUESTS: Final[dict[str, tuple[type, type]]] = {
    WINDOW_EXTERNAL_URI: (_t.ExternalUriParams, _t.ExternalUriResult),
}
