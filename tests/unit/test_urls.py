import pytest

from agent.errors import InvalidParams
from agent.urls import normalize_base_url


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("https://Jira.Example.COM/", "https://jira.example.com"),
        ("HTTPS://jira.example.com:443/jira/", "https://jira.example.com/jira"),
        ("http://jira.example.com:80", "http://jira.example.com"),
        ("http://jira.example.com:8080/Jira//", "http://jira.example.com:8080/Jira"),
        ("  https://[::1]:8443/jira ", "https://[::1]:8443/jira"),
        ("https://Bücher.Example/jira", "https://xn--bcher-kva.example/jira"),
        ("https://jira.example.com./", "https://jira.example.com."),
    ],
)
def test_normal_forms(raw: str, normal: str) -> None:
    assert normalize_base_url(raw) == normal


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "jira",
        "file:///etc/passwd",
        "https://u:p@h",
        "https://h#x",
        "https://h:99999",
        "https://h/\x00",
        "https://🦄.example.com",
        "https://[::zz]/",
        "https://" + "h" * 70000,
    ],
)
def test_rejected(raw: str) -> None:
    with pytest.raises(InvalidParams) as caught:
        normalize_base_url(raw)
    assert caught.value.field == "fields.baseUrl"


@pytest.mark.parametrize(
    ("jira", "iso"),
    [
        ("2024-03-05T14:22:01.000+0000", "2024-03-05T14:22:01.000+00:00"),
        ("2024-03-05T14:22:01.123-0530", "2024-03-05T14:22:01.123-05:30"),
        ("2024-03-05T14:22:01+01:00", "2024-03-05T14:22:01+01:00"),
    ],
)
def test_jira_timestamps_become_iso_8601(jira: str, iso: str) -> None:
    from datetime import datetime

    from agent.providers.jira_server.issues import iso_timestamp

    assert iso_timestamp(jira) == iso
    datetime.fromisoformat(iso_timestamp(jira))  # parseable as ISO 8601
