"""The JSON GitHub answers with: issues (and pull requests, as the issues endpoints list
them), repositories, labels, comments, users; `Link` headers for pages."""

from __future__ import annotations

import zlib
from typing import Any
from urllib.parse import urlencode

from .data import Comment, GitHubData, Issue, User, github_time

LABEL_COLORS = {"bug": "d73a4a", "enhancement": "a2eeef", "documentation": "0075ca"}


def _stable(text: str) -> int:
    """A number from a name, the same in every run (unlike `hash`)."""
    return zlib.crc32(text.encode())


class Urls:
    """Where the API is (`api`: `http://host` or `http://host/api/v3`) and the web UI."""

    def __init__(self, api: str, web: str) -> None:
        self.api = api
        self.web = web


def user_json(user: User, urls: Urls, full: bool = False) -> dict[str, Any]:
    simple = user.simple(urls.api, urls.web)
    if not full:
        return simple
    return {
        **simple,
        "name": user.name or None,
        "company": None,
        "email": None,
        "created_at": "2020-01-01T00:00:00Z",
        "updated_at": "2025-12-01T00:00:00Z",
    }


def repository_json(full_name: str, data: GitHubData, urls: Urls) -> dict[str, Any]:
    owner, _, name = full_name.partition("/")
    owner_user = data.users.get(owner)
    owner_json = (
        user_json(owner_user, urls)
        if owner_user
        else {"login": owner, "type": "Organization", "url": f"{urls.api}/orgs/{owner}"}
    )
    return {
        "id": _stable(full_name) % 10**8,
        "node_id": f"R_{name}",
        "name": name,
        "full_name": full_name,
        "owner": owner_json,
        "private": owner != "acme",
        "html_url": f"{urls.web}/{full_name}",
        "url": f"{urls.api}/repos/{full_name}",
        "has_issues": True,
    }


def label_json(name: str, urls: Urls, repo: str) -> dict[str, Any]:
    return {
        "id": _stable(name) % 10**6,
        "node_id": f"LA_{_stable(name) % 10**6}",
        "url": f"{urls.api}/repos/{repo}/labels/{name.replace(' ', '%20')}",
        "name": name,
        "color": LABEL_COLORS.get(name, "ededed"),
        "default": name in LABEL_COLORS,
        "description": None,
    }


def issue_json(
    issue: Issue,
    data: GitHubData,
    urls: Urls,
    with_repository: bool = False,
    score: float | None = None,
) -> dict[str, Any]:
    api_issue = f"{urls.api}/repos/{issue.repo}/issues/{issue.number}"
    kind = "pull" if issue.pull_request else "issues"

    def person(login: str) -> dict[str, Any]:
        user = data.users.get(login) or User(0, login, "", "")
        return user_json(user, urls)

    assignees = [person(login) for login in issue.assignees]
    out: dict[str, Any] = {
        "url": api_issue,
        "repository_url": f"{urls.api}/repos/{issue.repo}",
        "labels_url": f"{api_issue}/labels{{/name}}",
        "comments_url": f"{api_issue}/comments",
        "events_url": f"{api_issue}/events",
        "html_url": f"{urls.web}/{issue.repo}/{kind}/{issue.number}",
        "id": issue.id,
        "node_id": f"I_{issue.id}",
        "number": issue.number,
        "title": issue.title,
        "user": person(issue.author),
        "labels": [label_json(name, urls, issue.repo) for name in issue.labels],
        "state": issue.state,
        "locked": False,
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "milestone": None,
        "comments": len(issue.comments),
        "created_at": github_time(issue.created),
        "updated_at": github_time(issue.updated),
        "closed_at": github_time(issue.updated) if issue.state == "closed" else None,
        "author_association": "MEMBER",
        "active_lock_reason": None,
        "body": issue.body,
        "state_reason": issue.state_reason,
    }
    if issue.pull_request:
        api_pull = f"{urls.api}/repos/{issue.repo}/pulls/{issue.number}"
        out["draft"] = False
        out["pull_request"] = {
            "url": api_pull,
            "html_url": out["html_url"],
            "diff_url": f"{out['html_url']}.diff",
            "patch_url": f"{out['html_url']}.patch",
            "merged_at": None,
        }
    if with_repository:
        out["repository"] = repository_json(issue.repo, data, urls)
    if score is not None:
        out["score"] = score
    return out


def comment_json(comment: Comment, issue: Issue, data: GitHubData, urls: Urls) -> dict[str, Any]:
    user = data.users.get(comment.author) or User(0, comment.author, "", "")
    return {
        "id": comment.id,
        "node_id": f"IC_{comment.id}",
        "url": f"{urls.api}/repos/{issue.repo}/issues/comments/{comment.id}",
        "html_url": f"{urls.web}/{issue.repo}/issues/{issue.number}#issuecomment-{comment.id}",
        "issue_url": f"{urls.api}/repos/{issue.repo}/issues/{issue.number}",
        "body": comment.body,
        "user": user_json(user, urls),
        "created_at": github_time(comment.created),
        "updated_at": github_time(comment.created),
        "author_association": "MEMBER",
    }


def link_header(
    url: str, query: list[tuple[str, str]], page: int, per_page: int, total: int
) -> str:
    """`Link: <…&page=2>; rel="next", <…&page=5>; rel="last"` (and first/prev), as GitHub
    sends it: the request's own query with `page` (and `per_page`) replaced."""
    last = max(1, -(-total // per_page))
    kept = [(k, v) for k, v in query if k not in ("page", "per_page")]

    def at(number: int) -> str:
        return f"{url}?{urlencode([*kept, ('per_page', str(per_page)), ('page', str(number))])}"

    links = []
    if page > 1:
        links.append(f'<{at(page - 1)}>; rel="prev"')
    if page < last:
        links.append(f'<{at(page + 1)}>; rel="next"')
        links.append(f'<{at(last)}>; rel="last"')
    if page > 1:
        links.append(f'<{at(1)}>; rel="first"')
    return ", ".join(links)
