"""Where the agent keeps its files, and how settings arrive."""

from pathlib import Path

import pytest

from agent.settings import parse_options, resolve_storage_dir
from protocol.converter import ParamsError


def test_storage_dir_option_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ISSUEBRIDGE_HOME", raising=False)
    assert resolve_storage_dir(str(tmp_path)) == tmp_path


def test_issuebridge_home_overrides_the_option(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ISSUEBRIDGE_HOME", str(tmp_path / "home"))
    assert resolve_storage_dir(str(tmp_path / "option")) == tmp_path / "home"


def test_default_is_the_platform_config_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ISSUEBRIDGE_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert resolve_storage_dir(None) == tmp_path / "xdg" / "issuebridge"


def test_settings_under_an_issuebridge_section_are_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ISSUEBRIDGE_HOME", raising=False)
    settings = parse_options({"issuebridge": {"http": {"timeoutSeconds": 5}, "storageDir": "/x"}})
    assert settings.timeout_seconds == 5
    assert settings.storage_dir == Path("/x")


def test_a_bad_setting_names_its_path() -> None:
    with pytest.raises(ParamsError) as caught:
        parse_options({"http": {"timeoutSeconds": -1}})
    assert caught.value.field == "initializationOptions.http.timeoutSeconds"


def test_the_operation_timeout_defaults_to_ten_request_timeouts() -> None:
    assert parse_options({"http": {"timeoutSeconds": 5}}).operation_timeout_seconds == 50
    assert parse_options({}).operation_timeout_seconds == 300
    chosen = {"http": {"timeoutSeconds": 5, "operationTimeoutSeconds": 12.5}}
    assert parse_options(chosen).operation_timeout_seconds == 12.5


@pytest.mark.parametrize("value", [0, -1, float("inf")])
def test_an_operation_timeout_must_be_a_positive_number(value: float) -> None:
    with pytest.raises(ParamsError) as raised:
        parse_options({"http": {"operationTimeoutSeconds": value}})
    assert raised.value.field == "initializationOptions.http.operationTimeoutSeconds"
