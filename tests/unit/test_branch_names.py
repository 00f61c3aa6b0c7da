"""Branch names from `issues.branchTemplate`: slugs, the 60-character bound, git's rules."""

import shutil
import subprocess

import pytest

from agent.branch_names import MAX_LENGTH, branch_name, ref_problem, template_problem
from agent.settings import parse_options
from protocol.converter import ParamsError

DEFAULT = "{key}-{summary}"


def test_default_template_slugs_the_summary() -> None:
    name = branch_name(DEFAULT, "ISB-12", "Fix naïve café menu encoding!", "Bug", "ISB")
    assert name == "ISB-12-fix-naive-cafe-menu-encoding"


def test_summary_without_latin_letters_leaves_the_key() -> None:
    assert branch_name(DEFAULT, "DOC-3", "日本語 🚀", "Task", "DOC") == "DOC-3"


def test_the_whole_name_is_at_most_60_characters_cut_at_a_word() -> None:
    summary = "Investigate the login redirect loop that happens after every upgrade on Windows"
    name = branch_name(DEFAULT, "ISB-1234", summary, None, "ISB")
    assert len(name) <= MAX_LENGTH
    assert name == "ISB-1234-investigate-the-login-redirect-loop-that-happens"
    long_word = branch_name(DEFAULT, "ISB-1", "x" * 100, None, "ISB")
    assert long_word == "ISB-1-" + "x" * (MAX_LENGTH - len("ISB-1-"))


def test_other_placeholders_and_template_text() -> None:
    template = "feature/{type}/{project}/{key}_{summary}"
    name = branch_name(template, "WEB-7", "Dark mode colours", "User Story", "WEB")
    assert name == "feature/user-story/WEB/WEB-7_dark-mode-colours"
    # An empty part leaves no `//` or dangling separator.
    assert branch_name(template, "WEB-7", "", None, "WEB") == "feature/WEB/WEB-7"


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("", "must not be empty"),
        ("{summary}", "must contain {key}"),
        ("{key}-{title}", "unknown placeholder {title}"),
        ("{key}-{summary", "brace"),
        ("{key} {summary}", "spaces"),
        ("feature..{key}", "'..'"),
        ("-{key}", "may not start"),
        ("{key}.lock", "'.lock'"),
        ("feature//{key}", "'//'"),
    ],
)
def test_templates_git_cannot_use_are_refused(template: str, problem: str) -> None:
    found = template_problem(template)
    assert found is not None and problem in found


def test_a_bad_template_setting_names_its_path() -> None:
    with pytest.raises(ParamsError) as raised:
        parse_options({"issues": {"branchTemplate": "{nokey}"}})
    assert raised.value.field == "initializationOptions.issues.branchTemplate"
    with pytest.raises(ParamsError) as changed:
        parse_options({"issues": {"branchTemplate": 7}}, field_prefix="settings")
    assert changed.value.field == "settings.issues.branchTemplate"
    assert parse_options({"issues": {}}).branch_template == DEFAULT


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize(
    ("template", "summary"),
    [
        (DEFAULT, "..lock.lock @{u} -- ~^:?*[\\ trailing."),
        ("{key}/{summary}", ".hidden"),
        ("{type}/{key}-{summary}.x", "a" * 80),
        ("wip/{summary}/{key}", ""),
    ],
)
def test_git_accepts_every_name(template: str, summary: str) -> None:
    name = branch_name(template, "ISB-1", summary, "", "ISB")
    assert ref_problem(name) is None, name
    checked = subprocess.run(
        ["git", "check-ref-format", "--branch", name], capture_output=True, text=True
    )
    assert checked.returncode == 0, (name, checked.stderr)
