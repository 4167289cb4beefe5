"""The people directory and departments, as plain data: fast, from fixture files.

tests/fixtures/good/directory/ is a small, well-formed content folder (one people file has
CRLF line endings); its expected.yaml says what load_directory must return. The bad people
and departments fixtures are the ones test_bad_input.py builds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from plugins.people.directory import account_url, load_directory
from tests.conftest import FIXTURES

GOOD = FIXTURES / "good" / "directory"
BAD = FIXTURES / "bad"
EXPECTED = yaml.safe_load((GOOD / "expected.yaml").read_text(encoding="utf-8"))
BAD_EXPECTED: dict[str, dict] = yaml.safe_load((BAD / "expected.yaml").read_text("utf-8"))
BAD_PEOPLE = sorted(n for n, s in BAD_EXPECTED.items() if s.get("into") == "people")
BAD_DEPARTMENTS = sorted(n for n, s in BAD_EXPECTED.items() if s.get("append"))


@pytest.fixture
def folder(tmp_path) -> Path:
    """A private copy of the good directory that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(GOOD, target)
    return target


def test_good_directory_loads_as_expected():
    directory = load_directory(GOOD)
    assert directory.errors == []
    assert directory.broken == set()
    assert set(directory.departments) == set(EXPECTED["departments"])
    for slug, want in EXPECTED["departments"].items():
        dept = directory.departments[slug]
        assert dept.name == want["name"]
        assert dept.syndicate == want["syndicate"]
        assert [p.handle for p in dept.people] == want["people"]
    assert set(directory.people) == set(EXPECTED["people"])
    for handle, want in EXPECTED["people"].items():
        person = directory.people[handle]
        assert person.name == want["name"]
        got = {a.platform: [a.url, a.handle] for a in person.accounts}
        assert got == want["accounts"]


@pytest.mark.parametrize("name", BAD_PEOPLE)
def test_bad_people_file(name, folder):
    spec = BAD_EXPECTED[name]
    shutil.copy(BAD / name, folder / "people" / name)
    directory = load_directory(folder)
    assert len(directory.errors) == 1
    (error,) = directory.errors
    assert error.path == str(folder / "people" / name)
    assert error.line == spec["line"]
    assert spec["message"] in error.message
    handle = Path(name).stem
    assert handle in directory.broken
    assert handle not in directory.people
    assert set(directory.people) == set(EXPECTED["people"])  # the others still load


@pytest.mark.parametrize("name", BAD_DEPARTMENTS)
def test_bad_departments_file_is_one_error(name, folder):
    spec = BAD_EXPECTED[name]
    target = folder / "departments.yaml"
    original = target.read_text(encoding="utf-8")
    target.write_text(original + (BAD / name).read_text(encoding="utf-8"), encoding="utf-8")
    directory = load_directory(folder)
    assert len(directory.errors) == 1, directory.errors
    (error,) = directory.errors
    assert error.line == original.count("\n") + spec["line"]
    assert spec["message"] in error.message
    # No cascade: the people still load (their departments cannot be checked) …
    assert set(directory.people) == set(EXPECTED["people"])
    # … and no departments means "do not check", which check_post relies on.
    assert directory.departments == {}


def test_missing_departments_file(folder):
    (folder / "departments.yaml").unlink()
    directory = load_directory(folder)
    assert [e.path for e in directory.errors] == [str(folder / "departments.yaml")]
    assert "cannot read file" in directory.errors[0].message


def test_empty_departments_file(folder):
    (folder / "departments.yaml").write_text("# nothing yet\n", encoding="utf-8")
    directory = load_directory(folder)
    assert len(directory.errors) == 1
    assert "no departments" in directory.errors[0].message


def test_yml_extension_is_reported_not_ignored(folder):
    shutil.copy(folder / "people" / "maria.lopez.yaml", folder / "people" / "sam.okafor.yml")
    directory = load_directory(folder)
    assert len(directory.errors) == 1
    assert directory.errors[0].message == "rename it to sam.okafor.yaml"
    assert "sam.okafor" in directory.broken


def test_invalid_handle(folder):
    shutil.copy(folder / "people" / "maria.lopez.yaml", folder / "people" / "Maria Lopez.yaml")
    directory = load_directory(folder)
    assert len(directory.errors) == 1
    assert "not a valid handle" in directory.errors[0].message


@pytest.mark.parametrize(
    ("platform", "value", "url", "shown"),
    [
        ("mastodon", "@ana@toot.example", "https://toot.example/@ana", "@ana@toot.example"),
        ("bluesky", "@ana.bsky.social", "https://bsky.app/profile/ana.bsky.social",
         "ana.bsky.social"),
        ("github", "ana", "https://github.com/ana", "@ana"),
        ("website", " https://ana.example/ ", "https://ana.example/", "ana.example"),
    ],
)  # fmt: skip
def test_account_url(platform, value, url, shown):
    assert account_url(platform, value) == (url, shown)


@pytest.mark.parametrize(
    ("platform", "value", "message"),
    [
        ("website", "http://ana.example", "https://"),
        ("mastodon", "ana", "@user@instance"),
        ("website", "ana.example", "full https:// address"),
    ],
)
def test_account_url_errors(platform, value, message):
    with pytest.raises(ValueError, match=message):
        account_url(platform, value)
