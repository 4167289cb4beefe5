"""The plain front-matter modules, without Pelican: fast, one fixture file per case.

Well-formed files (tests/fixtures/good/) must read as their expected.yaml says; every bad
post fixture (tests/fixtures/bad/) must give exactly the one located error that
test_bad_input.py expects from a whole build.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from plugins.people.directory import load_directory
from plugins.posts.check import check_page, check_post
from plugins.posts.frontmatter import (
    MAX_POST_BYTES,
    parse_date,
    parse_yaml,
    read_post,
    read_text,
    split,
)
from plugins.problems import ContentError
from tests.conftest import FIXTURES

GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"
GOOD_EXPECTED: dict[str, dict] = yaml.safe_load((GOOD / "expected.yaml").read_text("utf-8"))
BAD_EXPECTED: dict[str, dict] = yaml.safe_load((BAD / "expected.yaml").read_text("utf-8"))
# Bad post files the plain modules can judge alone (no folder layout, no other file).
BAD_POSTS = sorted(
    name
    for name, spec in BAD_EXPECTED.items()
    if name.endswith(".md") and spec.get("into", "posts/warehouse").startswith("posts/")
)


@pytest.fixture(scope="module")
def directory():
    found = load_directory(GOOD / "directory")
    assert found.errors == []
    return found


def check_file(path: Path, directory, folder: str = "warehouse") -> list[ContentError]:
    try:
        post = read_post(path)
    except ContentError as exc:
        return [exc]
    if path.parent.name == "pages":
        return check_page(post)
    return check_post(post, directory, folder)


# --- well-formed input ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GOOD_EXPECTED))
def test_good_fixture_reads_as_expected(name, directory):
    want = GOOD_EXPECTED[name]
    post = read_post(GOOD / name)
    assert post.meta["title"] == want["title"]
    assert post.meta["date"] == want["date"]  # dates stay text: we parse them ourselves
    assert post.start_line == want["start_line"]
    assert post.body_line == want["body_line"]
    assert post.body.strip() == want["body"]
    for key, line in want["lines"].items():
        assert post.lines[key] == line, key
    assert "\ufeff" not in post.meta["title"]
    assert check_post(post, directory, "warehouse") == []


def test_good_fixtures_are_all_expected():
    on_disk = {p.name for p in GOOD.glob("*.md")}
    assert on_disk == set(GOOD_EXPECTED)


def test_body_line_points_at_the_body(tmp_path):
    """Pelican's own line numbers start at the body: body_line maps them back to the file."""
    for name in GOOD_EXPECTED:
        path = GOOD / name
        post = read_post(path)
        lines = read_text(path).splitlines()
        assert lines[post.body_line - 1].strip() == post.body.splitlines()[0].strip()
        assert lines[post.start_line - 1].strip() == "---"


# --- bad input: the same one error the build reports ----------------------------------------


@pytest.mark.parametrize("name", BAD_POSTS)
def test_bad_post_gives_one_located_error(name, directory, tmp_path):
    spec = BAD_EXPECTED[name]
    path = BAD / name
    if spec.get("grow"):
        data = path.read_bytes()
        filler = data.splitlines(keepends=True)[-1]
        path = tmp_path / name
        path.write_bytes(data + filler * (MAX_POST_BYTES // len(filler) + 1))
    into = spec.get("into", "posts/warehouse").split("/")
    folder = into[1] if len(into) > 1 else None
    errors = check_file(path, directory, folder)
    assert len(errors) == 1, errors
    (error,) = errors
    assert error.path == str(path)
    assert error.line == spec["line"]
    assert spec["message"] in error.format()


def test_missing_fields_are_each_reported_at_the_fence(directory, tmp_path):
    path = tmp_path / "bare.md"
    path.write_text("\n---\nsummary: nothing else\n---\nBody.\n", encoding="utf-8")
    errors = check_post(read_post(path), directory, "warehouse")
    messages = sorted(e.message.split("'")[1] for e in errors)
    assert messages == ["author", "date", "title"]
    assert {e.line for e in errors} == {2}


# --- parse_yaml ------------------------------------------------------------------------------


def test_parse_yaml_keeps_dates_as_text():
    data, _ = parse_yaml("x", "date: 2026-11-20\nmodified: 2026-11-21 10:00\n")
    assert data == {"date": "2026-11-20", "modified": "2026-11-21 10:00"}


def test_parse_yaml_lines_are_file_lines():
    _, lines = parse_yaml("x", "a: 1\n\nb:\n  c: 2\n  d: 3\n", first_line=10)
    assert lines == {"a": 10, "b": 12, "b.c": 13, "b.d": 14}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb:\n  c: 1\n  c: 2\n", 4, "'b.c' is given twice (also on line 3)"),
        ("a: 1\n2026: x\n", 2, "a field name must be a word"),
        ("- a\n- b\n", 1, "must be 'key: value' lines"),
        ('a: "open\nb: 1\n', 1, "a quote is opened and never closed"),
        ("a: *nothing\n", 1, "put text starting with '*' in quotes"),
    ],
)
def test_parse_yaml_errors(text, line, message):
    with pytest.raises(ContentError) as caught:
        parse_yaml("f.yaml", text, what="this file")
    assert caught.value.line == line
    assert message in caught.value.message
    assert caught.value.message.startswith(("this file", "'b.c'"))


def test_empty_front_matter_is_an_empty_mapping():
    post = split("x.md", "---\n---\nBody\n")
    assert post.meta == {}
    assert post.body_line == 3


# --- read_text -----------------------------------------------------------------------------


def test_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "sparse.md"
    with open(path, "wb") as handle:  # a sparse file: big on paper, nothing on disk
        handle.truncate(50 * MAX_POST_BYTES)
    with pytest.raises(ContentError) as caught:
        read_text(path)
    assert caught.value.line is None
    assert f"{50 * MAX_POST_BYTES:,} bytes" in caught.value.message


def test_nul_late_in_a_text_file_is_located(tmp_path):
    path = tmp_path / "nul.md"
    path.write_bytes(b"x" * 9000 + b"\nline two\nthree \x00 here\n")
    with pytest.raises(ContentError) as caught:
        read_text(path)
    assert caught.value.line == 3


def test_unreadable_path_is_a_content_error(tmp_path):
    with pytest.raises(ContentError) as caught:
        read_text(tmp_path)  # a folder named like a post
    assert "cannot read file" in caught.value.message


# --- parse_date ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-20", dt.datetime(2026, 11, 20)),
        ("2026-11-20 09:30", dt.datetime(2026, 11, 20, 9, 30)),
        ("2026-11-20T09:30:05", dt.datetime(2026, 11, 20, 9, 30, 5)),
        (dt.date(2026, 11, 20), dt.datetime(2026, 11, 20)),
        ("2026-02-30", None),
        ("20 November 2026", None),
        (20261120, None),
        (None, None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected
