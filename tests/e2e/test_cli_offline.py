"""`issuebridge issues` when the server is away: the last list, with a line on stderr
that says so and how old it is; `--json` carries `stale`/`fetchedAt`; `--fresh` fails."""

import json
import re
from pathlib import Path

from test_cli import issuebridge

from simulators.jira_server import JiraSimulator


def listed(stdout: str) -> list[str]:
    return re.findall(r"^([A-Z]+-\d+) ", stdout, re.M)


def test_the_terminal_shows_the_kept_list_with_its_age_when_the_server_is_away(
    home: Path, jira: JiraSimulator
) -> None:
    token = jira.user("alice").pat
    configure = ["configure", "jira-server", "--base-url", jira.base_url, "--token-stdin"]
    assert issuebridge(home, *configure, stdin=token + "\n").returncode == 0
    fresh = issuebridge(home, "issues")
    assert fresh.returncode == 0, fresh.stderr
    assert "Offline" not in fresh.stderr
    assert listed(fresh.stdout)

    jira.drop_network()
    offline = issuebridge(home, "issues")
    assert offline.returncode == 0, offline.stderr
    assert listed(offline.stdout) == listed(fresh.stdout)
    assert "Offline: showing the list fetched less than a minute ago (server unreachable: " in (
        offline.stderr
    )
    assert "Could not connect to 127.0.0.1" in offline.stderr
    assert "Offline" not in offline.stdout

    as_json = issuebridge(home, "issues", "--json")
    assert as_json.returncode == 0, as_json.stderr
    result = json.loads(as_json.stdout)  # stdout is the JSON alone
    assert result["stale"] is True and result["fetchedAt"].endswith("Z")
    assert [i["key"] for i in result["issues"]] == listed(fresh.stdout)
    assert "Offline: showing the list" in as_json.stderr

    refused = issuebridge(home, "issues", "--fresh")
    assert refused.returncode == 1
    assert "error: Could not connect to 127.0.0.1" in refused.stderr
    assert not listed(refused.stdout)

    jira.restore_network()
    back = issuebridge(home, "issues", "--fresh")
    assert back.returncode == 0, back.stderr
    assert "Offline" not in back.stderr and listed(back.stdout) == listed(fresh.stdout)
