"""The terminal's words for a stale list."""

from datetime import UTC, datetime

from agent.cli.stale import age, note

NOW = datetime(2024, 3, 5, 14, 22, 1, tzinfo=UTC)


def test_a_fresh_result_has_no_note() -> None:
    assert note({"issues": [], "total": 0}, NOW) is None


def test_the_note_says_how_old_the_list_is_and_why() -> None:
    result = {
        "stale": True,
        "fetchedAt": "2024-03-05T14:10:01Z",
        "staleReason": "Could not connect to jira.example.com:443: Connection refused.",
    }
    assert note(result, NOW) == (
        "Offline: showing the list fetched 12 minutes ago (server unreachable: Could not "
        "connect to jira.example.com:443: Connection refused). With --fresh it fails instead."
    )


def test_ages_in_words() -> None:
    assert age("2024-03-05T14:21:31Z", NOW) == "less than a minute ago"
    assert age("2024-03-05T14:21:01Z", NOW) == "1 minute ago"
    assert age("2024-03-05T11:00:00+00:00", NOW) == "3 hours ago"
    assert age("2024-03-03T14:22:01Z", NOW) == "2 days ago"
    assert age("yesterday", NOW) == "at yesterday"
