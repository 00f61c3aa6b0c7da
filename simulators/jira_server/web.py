"""The pages a person sees in a browser: login, the OAuth authorize (Allow/Deny) page,
the "verification code" page for ``oob`` callbacks, and a minimal issue page.

Like Jira, an anonymous visitor of the authorize page is sent to ``login.jsp`` with the
page as ``os_destination``; the Allow/Deny form carries an ``atl_token`` tied to the
session (Jira's XSRF token).
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from .auth import SESSION_COOKIE, Authenticator
from .config import SimulatorConfig
from .data import Store
from .oauth import OAuthProblem, OAuthProvider, callback_url
from .wire import Request, Response, html_response, redirect

AUTHORIZE_PATH = "/plugins/servlet/oauth/authorize"

_STYLE = """
body{font-family:-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f5f7;margin:0}
main{max-width:520px;margin:64px auto;background:#fff;padding:32px;border-radius:4px;
box-shadow:0 1px 2px rgba(9,30,66,.25)}
h1{font-size:20px;color:#172b4d} p{color:#42526e}
label{display:block;margin:12px 0 4px;color:#6b778c;font-size:12px}
input[type=text],input[type=password]{width:100%;padding:8px;box-sizing:border-box}
button{margin-top:16px;margin-right:8px;padding:8px 16px;border:0;border-radius:3px;
cursor:pointer} .primary{background:#0052cc;color:#fff} .secondary{background:#ebecf0}
.error{color:#de350b} code{font-size:24px;letter-spacing:4px}
"""


ALLOW_DENY = (
    '<button class="primary" type="submit" name="approve" value="Allow" '
    'id="approve">Allow</button>'
    '<button class="secondary" type="submit" name="deny" value="Deny" '
    'id="deny">Deny</button>'
)


def login_redirect(request: Request, destination: str) -> Response:
    """Seraph's answer to an anonymous visitor of a page that needs a user."""
    return redirect(
        f"{request.base_url}/login.jsp?permissionViolation=true&os_destination="
        f"{quote(destination, safe='')}"
    )


def xsrf_missing() -> Response:
    return page(
        "XSRF Security Token Missing",
        "<h1>XSRF Security Token Missing</h1><p>Reload the page.</p>",
        403,
    )


def page(title: str, body: str, status: int = 200) -> Response:
    html = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} - Jira</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )
    return html_response(status, html)


class WebPages:
    def __init__(
        self, config: SimulatorConfig, store: Store, auth: Authenticator, oauth: OAuthProvider
    ) -> None:
        self.config = config
        self.store = store
        self.auth = auth
        self.oauth = oauth

    # -- login ------------------------------------------------------------------------

    def login(self, request: Request) -> Response:
        destination = request.arg("os_destination") or request.form_arg("os_destination") or "/"
        if not destination.startswith("/"):
            destination = "/"
        if request.method == "POST":
            name = request.form_arg("os_username") or ""
            user = self.store.user(name)
            if self.auth.check_password(user, request.form_arg("os_password") or ""):
                assert user is not None
                session_id = self.auth.login(user)
                response = redirect(request.base_url + destination)
                cookie_path = request.full_path[: -len(request.path)] or "/"
                return response.header(
                    "Set-Cookie", f"{SESSION_COOKIE}={session_id}; Path={cookie_path}; HttpOnly"
                )
            return self.login_form(request, destination, error=True)
        return self.login_form(request, destination)

    def login_form(self, request: Request, destination: str, error: bool = False) -> Response:
        message = (
            '<p class="error">Sorry, your username and password are incorrect - please try '
            "again.</p>"
            if error
            else ""
        )
        body = (
            f"<h1>Log in</h1>{message}"
            f'<form method="post" action="{escape(request.base_url)}/login.jsp">'
            f'<input type="hidden" name="os_destination" value="{escape(destination)}">'
            '<label for="login-form-username">Username</label>'
            '<input type="text" id="login-form-username" name="os_username" autofocus>'
            '<label for="login-form-password">Password</label>'
            '<input type="password" id="login-form-password" name="os_password">'
            '<button class="primary" id="login-form-submit" type="submit">Log In</button>'
            "</form>"
        )
        return page("Log in", body, 401 if error else 200)

    # -- OAuth authorize ------------------------------------------------------------------

    def authorize(self, request: Request) -> Response:
        token_value = request.arg("oauth_token") or request.form_arg("oauth_token") or ""
        try:
            token = self.oauth.pending_request_token(token_value)
        except OAuthProblem as problem:
            return page(
                "OAuth error",
                "<h1>Invalid OAuth request</h1><p>The request token is invalid, has expired or "
                f"has already been used ({escape(problem.problem)}). Go back to the application "
                "and start again.</p>",
                400 if problem.problem == "token_rejected" else 401,
            )
        with self.oauth.lock:
            consumer = self.oauth.consumers.get(token.consumer_key)
        consumer_name = consumer.name if consumer else token.consumer_key

        # Read on every request so tests can flip it: a user name, "deny", or None.
        auto = self.config.oauth_auto_approve
        if auto is not None and request.method == "GET":
            if auto == "deny":
                self.oauth.deny(token)
                return self.finish(request, token.token, token.callback, "denied")
            user = self.store.user(auto)
            if user is not None:
                verifier = self.oauth.approve(token, user.name)
                return self.finish(request, token.token, token.callback, verifier)

        session = self.auth.session(request)
        if session is None:
            destination = f"{AUTHORIZE_PATH}?{urlencode([('oauth_token', token.token)])}"
            return login_redirect(request, destination)
        if request.method == "POST":
            if request.form_arg("atl_token") != session.xsrf:
                return xsrf_missing()
            if request.form_arg("approve") is not None:
                verifier = self.oauth.approve(token, session.user_name)
                return self.finish(request, token.token, token.callback, verifier)
            self.oauth.deny(token)
            return self.finish(request, token.token, token.callback, "denied")

        user = self.store.user(session.user_name)
        display = user.display_name if user else session.user_name
        body = (
            f"<h1>Welcome, {escape(display)}</h1>"
            f"<p><strong>{escape(consumer_name)}</strong> would like to have read and write "
            "access to your account. It will be able to access Jira as you.</p>"
            f'<form method="post" action="{escape(request.base_url)}{AUTHORIZE_PATH}">'
            f'<input type="hidden" name="oauth_token" value="{escape(token.token)}">'
            f'<input type="hidden" name="atl_token" value="{escape(session.xsrf)}">'
            f"{ALLOW_DENY}</form>"
        )
        return page("Request for access", body)

    def finish(self, request: Request, token: str, callback: str | None, verifier: str) -> Response:
        if callback and callback != "oob":
            return redirect(callback_url(callback, token, verifier))
        if verifier == "denied":
            return page("Access denied", "<h1>Access denied</h1><p>You have denied access.</p>")
        return page(
            "Access approved",
            "<h1>Access approved</h1>"
            f"<p>Your verification code is '<code id=\"verifier\">{escape(verifier)}</code>'. "
            "Copy it into the application to finish connecting.</p>",
        )

    # -- small pages a person might open ---------------------------------------------------

    def browse(self, request: Request, key: str) -> Response:
        issue = self.store.issue(key)
        if issue is None:
            return page("Issue does not exist", "<h1>Issue does not exist</h1>", 404)
        return page(
            issue.key,
            f"<h1>{escape(issue.key)}: {escape(issue.summary)}</h1>"
            f"<p>{escape(issue.description or '')}</p>",
        )

    def home(self, request: Request) -> Response:
        return page(
            "Dashboard",
            "<h1>issuebridge Jira simulator</h1><p>This is a stand-in for Jira Server. The REST "
            f"API lives under <code>{escape(request.base_url)}/rest/api/2</code>.</p>",
        )
