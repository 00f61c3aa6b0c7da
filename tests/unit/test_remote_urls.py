"""Git remote URLs → the repository they name on a GitLab or GitHub instance
(`repository_of_remote`): every form git takes, with or without `.git`, ports and user
info; another host, a local path or a form git has not is None."""

import pytest

from agent.providers.base import InstanceConfig
from agent.providers.github import PROVIDER as GITHUB_PROVIDER
from agent.providers.gitlab import PROVIDER as GITLAB
from agent.providers.remotes import parse_remote

GITLAB_COM = InstanceConfig("https://gitlab.com", "token")
SELF_MANAGED = InstanceConfig("https://git.example.com/gitlab", "token")


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("https://gitlab.com/acme/backend.git", "acme/backend"),
        ("https://gitlab.com/acme/backend", "acme/backend"),
        ("https://gitlab.com/acme/backend/", "acme/backend"),
        ("https://oauth2:glpat-x@gitlab.com/acme/platform/infra.git", "acme/platform/infra"),
        ("https://GitLab.com:443/acme/backend.git", "acme/backend"),
        ("http://gitlab.com/acme/backend.git", "acme/backend"),
        ("ssh://git@gitlab.com/acme/backend.git", "acme/backend"),
        ("ssh://git@gitlab.com:2222/acme/platform/infra.git", "acme/platform/infra"),
        ("git+ssh://git@gitlab.com/acme/backend", "acme/backend"),
        ("git@gitlab.com:acme/backend.git", "acme/backend"),
        ("git@gitlab.com:acme/platform/infra", "acme/platform/infra"),
        ("gitlab.com:acme/backend.git", "acme/backend"),
        ("  git@gitlab.com:acme/backend.git\n", "acme/backend"),
        ("https://gitlab.example.com/acme/backend.git", None),
        ("git@github.com:acme/backend.git", None),
        ("https://gitlab.com/backend.git", None),  # a namespace is required
        ("https://gitlab.com/acme/backend/-/tree/main", None),  # a web page, not a remote
        ("/srv/git/acme/backend.git", None),
        ("file:///srv/git/acme/backend.git", None),
        ("../backend", None),
        ("C:\\repos\\backend", None),
        ("https://gitlab.com:notaport/acme/backend", None),
        ("", None),
    ],
)
def test_gitlab_remotes(remote: str, expected: str | None) -> None:
    assert GITLAB.repository_of_remote(GITLAB_COM, remote) == expected


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        # http(s) remotes of a server at a path carry that path; ssh ones do not.
        ("https://git.example.com/gitlab/team/app.git", "team/app"),
        ("https://git.example.com/team/app.git", None),
        ("git@git.example.com:team/app.git", "team/app"),
        ("ssh://git@git.example.com:7999/team/app.git", "team/app"),
    ],
)
def test_gitlab_remotes_of_a_server_below_a_path(remote: str, expected: str | None) -> None:
    assert GITLAB.repository_of_remote(SELF_MANAGED, remote) == expected


def test_issue_urls_of_gitlab_keys() -> None:
    assert (
        GITLAB.issue_url(GITLAB_COM, "acme/platform/infra#12")
        == "https://gitlab.com/acme/platform/infra/-/issues/12"
    )
    assert GITLAB.issue_url(SELF_MANAGED, "team/app#3") == (
        "https://git.example.com/gitlab/team/app/-/issues/3"
    )
    assert GITLAB.issue_url(GITLAB_COM, "not a key") is None


def test_parse_remote_keeps_the_host_and_the_path() -> None:
    remote = parse_remote("ssh://git@[::1]:22/acme/app.git")
    assert remote is not None and remote.host == "::1" and remote.path == "acme/app"
    scp = parse_remote("deploy@host.example:acme/app.git")
    assert scp is not None and (scp.scheme, scp.host, scp.segments) == (
        "scp",
        "host.example",
        ["acme", "app"],
    )
    assert parse_remote("git@host:~user/app.git") is None
    assert parse_remote("https://host/acme/../app") is None


GITHUB = InstanceConfig("https://api.github.com", "token")
ENTERPRISE = InstanceConfig("https://ghe.example.com/api/v3", "token")


@pytest.mark.parametrize(
    ("instance", "remote", "expected"),
    [
        (GITHUB, "https://github.com/octo-org/widgets.git", "octo-org/widgets"),
        (GITHUB, "https://github.com/octo-org/widgets", "octo-org/widgets"),
        (
            GITHUB,
            "https://x-access-token:ghp_x@github.com/octo-org/widgets.git",
            "octo-org/widgets",
        ),
        (GITHUB, "git@github.com:octo-org/widgets.git", "octo-org/widgets"),
        (GITHUB, "git@github.com:octo-org/my.repo", "octo-org/my.repo"),
        (GITHUB, "ssh://git@github.com/octo-org/widgets.git", "octo-org/widgets"),
        (GITHUB, "ssh://git@ssh.github.com:443/octo-org/widgets.git", "octo-org/widgets"),
        (GITHUB, "git://github.com/octo-org/widgets.git", "octo-org/widgets"),
        (GITHUB, "https://github.com/octo-org/widgets/issues", None),
        (GITHUB, "https://gitlab.com/octo-org/widgets.git", None),
        (GITHUB, "git@ghe.example.com:team/app.git", None),
        (ENTERPRISE, "https://ghe.example.com/team/app.git", "team/app"),
        (ENTERPRISE, "git@ghe.example.com:team/app.git", "team/app"),
        (ENTERPRISE, "ssh://git@ghe.example.com:122/team/app.git", "team/app"),
        (ENTERPRISE, "https://github.com/team/app.git", None),
    ],
)
def test_github_remotes(instance: InstanceConfig, remote: str, expected: str | None) -> None:
    assert GITHUB_PROVIDER.repository_of_remote(instance, remote) == expected
