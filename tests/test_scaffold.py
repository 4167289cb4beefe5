"""`invoke new`: the scaffolded post passes the build's own checks, and every refusal is one
line that helps (a close handle, the file already there) instead of a traceback."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from chorus.scaffold import MAX_SLUG, cli, new_post, slugify
from plugins.people.directory import load_directory
from plugins.posts.check import check_post
from plugins.posts.frontmatter import read_post
from plugins.problems import ContentError

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "scaffold" / "content"
UTC = dt.UTC
NOV_20_0830_UTC = dt.datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def post_files(content: Path) -> list[Path]:
    return sorted((content / "posts").rglob("*.md"))


# --- the happy path ----------------------------------------------------------------------


def test_scaffolded_post_passes_the_build_checks(content: Path) -> None:
    path = new_post("Pallets at dawn", "maria.lopez", content, now=NOV_20_0830_UTC)

    assert path == content / "posts" / "warehouse" / "pallets-at-dawn.md"
    post = read_post(path)
    directory = load_directory(content)
    assert check_post(post, directory, path.parent.name) == []
    assert post.meta == {
        "title": "Pallets at dawn",
        "date": "2026-11-20 09:30",  # 08:30 UTC is 09:30 in Amsterdam in November (CET)
        "author": "maria.lopez",
        "tags": [],
        "summary": "",
        "status": "draft",
    }
    assert post.body.strip(), "the new post has a hint to start from"


def test_post_goes_to_the_authors_department_folder_even_if_it_is_new(content: Path) -> None:
    assert not (content / "posts" / "it").exists()
    path = new_post("Scanner rollout", "lukasz.nowak", content, now=NOV_20_0830_UTC)
    assert path.parent == content / "posts" / "it"
    assert read_post(path).meta["author"] == "lukasz.nowak"


def test_date_is_site_local_time_in_summer_too(content: Path) -> None:
    july = dt.datetime(2026, 7, 1, 12, 5, tzinfo=UTC)  # CEST: UTC+2
    path = new_post("Summer", "maria.lopez", content, now=july)
    assert read_post(path).meta["date"] == "2026-07-01 14:05"


def test_naive_now_is_taken_as_site_local(content: Path) -> None:
    path = new_post("Naive", "maria.lopez", content, now=dt.datetime(2026, 9, 3, 7, 0))
    assert read_post(path).meta["date"] == "2026-09-03 07:00"


def test_default_now_is_the_current_time_in_amsterdam(content: Path) -> None:
    before = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).replace(second=0, microsecond=0)
    path = new_post("Right now", "maria.lopez", content)
    after = dt.datetime.now(ZoneInfo("Europe/Amsterdam"))
    written = dt.datetime.strptime(read_post(path).meta["date"], "%Y-%m-%d %H:%M")
    assert before.replace(tzinfo=None) <= written <= after.replace(tzinfo=None)


@pytest.mark.parametrize(
    "title",
    [
        "Pallets: a love story",
        "It's \"quoted\" and 'quoted'",
        "@dock3 at six",
        "- starts like a list",
        "# starts like a comment",
        "yes",
        "null",
        "2026-11-20",
        "12345",
        "[brackets] and {braces}",
        "key: value # not a comment",
        "100% & more | pipes > arrows",
        "Zoë, Łukasz and 田中 愛子",
        "ends with a colon:",
        "*not an alias",
        "!not a tag",
    ],
)
def test_odd_titles_survive_the_front_matter_exactly(content: Path, title: str) -> None:
    path = new_post(title, "maria.lopez", content, now=NOV_20_0830_UTC, slug="odd")
    post = read_post(path)
    assert post.meta["title"] == title
    assert check_post(post, load_directory(content), "warehouse") == []


def test_whitespace_and_control_characters_in_the_title_are_folded(content: Path) -> None:
    path = new_post("  Two\nlines\tand \x1b[31mred ", "maria.lopez", content, now=NOV_20_0830_UTC)
    assert read_post(path).meta["title"] == "Two lines and [31mred"
    assert "\x1b" not in path.read_text(encoding="utf-8")


# --- slugs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("What the warehouse team hears", "what-the-warehouse-team-hears"),
        ("Zoë's Café reopens", "zoes-cafe-reopens"),
        ("Łukasz & the Øresund bridge", "lukasz-and-the-oresund-bridge"),
        ("Straße, Æbleskiver, Œuvre", "strasse-aebleskiver-oeuvre"),
        ("Ça va? Ja! Señor Ångström", "ca-va-ja-senor-angstrom"),
        ("  Hello,   World!  ", "hello-world"),
        ("田中: field notes 2026", "field-notes-2026"),
        ("Peak season 📦 by the numbers", "peak-season-by-the-numbers"),
        ("ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ", "fullwidth-text"),
    ],
)
def test_slugify_makes_readable_ascii(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    slug = slugify("A very long title " * 10)
    assert len(slug) <= MAX_SLUG
    assert slug.startswith("a-very-long-title-a-very")
    assert not slug.endswith("-")
    assert slug.split("-")[-1] in {"a", "very", "long", "title"}


def test_non_ascii_title_gets_its_file_name(content: Path) -> None:
    path = new_post("Ønskeliste für Łódź", "maria.lopez", content, now=NOV_20_0830_UTC)
    assert path.name == "onskeliste-fur-lodz.md"
    assert read_post(path).meta["title"] == "Ønskeliste für Łódź"


def test_title_without_latin_letters_needs_a_slug(content: Path) -> None:
    with pytest.raises(ContentError, match="--slug"):
        new_post("掘り掘り", "maria.lopez", content, now=NOV_20_0830_UTC)
    assert post_files(content) == [content / "posts" / "warehouse" / "existing-post.md"]
    path = new_post("掘り掘り", "maria.lopez", content, now=NOV_20_0830_UTC, slug="Hori hori")
    assert path.name == "hori-hori.md"
    assert read_post(path).meta["title"] == "掘り掘り"


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("maria", "did you mean maria.lopez?"),
        ("maria.lopes", "did you mean maria.lopez?"),
        ("Łukasz Nowak", "did you mean lukasz.nowak?"),
        ("nobody", "known handles: lukasz.nowak, maria.lopez"),
        ("", "--author HANDLE"),
    ],
)
def test_unknown_author_is_refused_with_a_suggestion(
    content: Path, author: str, expected: str
) -> None:
    before = post_files(content)
    with pytest.raises(ContentError) as info:
        new_post("A title", author, content, now=NOV_20_0830_UTC)
    line = info.value.format()
    assert expected in line
    assert "\n" not in line
    assert post_files(content) == before


def test_author_with_a_broken_people_file_sees_that_files_problem(content: Path) -> None:
    with pytest.raises(ContentError) as info:
        new_post("A title", "broken.person", content, now=NOV_20_0830_UTC)
    assert Path(info.value.path) == content / "people" / "broken.person.yaml"
    assert "favourite_tool" in info.value.message


@pytest.mark.parametrize("title", ["", "   ", "\n\t", "\x00\x1b"])
def test_empty_title_is_refused(content: Path, title: str) -> None:
    with pytest.raises(ContentError, match="the title is empty"):
        new_post(title, "maria.lopez", content, now=NOV_20_0830_UTC)


def test_existing_file_is_refused_and_left_alone(content: Path) -> None:
    existing = content / "posts" / "warehouse" / "existing-post.md"
    original = existing.read_bytes()
    with pytest.raises(ContentError, match="already exists") as info:
        new_post("Existing post!", "maria.lopez", content, now=NOV_20_0830_UTC)
    assert Path(info.value.path) == existing
    assert existing.read_bytes() == original


def test_same_slug_in_another_department_is_refused(content: Path) -> None:
    # Pelican would write both to posts/existing-post/: one would silently vanish.
    with pytest.raises(ContentError, match="already exists") as info:
        new_post("Existing post", "lukasz.nowak", content, now=NOV_20_0830_UTC)
    assert Path(info.value.path) == content / "posts" / "warehouse" / "existing-post.md"
    assert not (content / "posts" / "it").exists()


def test_second_scaffold_with_the_same_title_is_refused(content: Path) -> None:
    first = new_post("Twice", "maria.lopez", content, now=NOV_20_0830_UTC)
    text = first.read_text(encoding="utf-8")
    with pytest.raises(ContentError, match="already exists"):
        new_post("Twice", "maria.lopez", content, now=NOV_20_0830_UTC)
    assert first.read_text(encoding="utf-8") == text


# --- the command -------------------------------------------------------------------------


def test_cli_prints_one_line_on_stderr_and_returns_1(content: Path, capsys) -> None:
    assert cli("A title", "nobdy", content) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("invoke new: error: unknown author 'nobdy'")


def invoke_new(*args: str) -> subprocess.CompletedProcess:
    """The command exactly as a writer types it (invoke reads tasks.py from the cwd)."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", "new", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_invoke_new_with_unknown_author_exits_1_with_one_line(content: Path) -> None:
    result = invoke_new("--author", "maria", "--content", str(content), "Pallets: a story")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "invoke new: error: unknown author 'maria': no file content/people/maria.yaml;"
        " did you mean maria.lopez?"
    ]


def test_invoke_new_creates_the_post_and_prints_its_path(content: Path) -> None:
    result = invoke_new("--author", "maria.lopez", "--content", str(content), "Pallets: a story")
    assert result.returncode == 0, result.stderr
    path = content / "posts" / "warehouse" / "pallets-a-story.md"
    assert result.stdout.strip() == str(path)
    post = read_post(path)
    assert post.meta["title"] == "Pallets: a story"
    assert check_post(post, load_directory(content), "warehouse") == []
