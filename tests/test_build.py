"""chorus.build's swap: a good build replaces output/ whole, a failed one leaves it as it was.

In-process builds (tests/conftest.build_site) of a private copy of the demo content.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from plugins.problems import ContentError
from tests.conftest import FIXTURES, ROOT, build_site, copy_content

pytestmark = pytest.mark.integration

PLUGINS_DIR = FIXTURES / "plugins"
GOOD_POST = FIXTURES / "good" / "crlf.md"
HOSTILE_TEXTS = [
    "line one\nline two",
    "carriage\rreturn",
    "windows\r\nnewline",
    "unicode\u2028line\u2029separators\x85next",
    "vertical\x0btab\x0cform feed",
    "escape \x1b[2J\x1b]0;title\x07 sequences",
    'Traceback (most recent call last):\n  File "x", line 1\nValueError',
]


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(output: Path) -> list[str]:
    from chorus.build import finish_cleanup

    finish_cleanup()  # the previous site is removed in the background
    spare = f".{output.name}.spare"  # the one before, kept for the next build to write into
    return sorted(
        p.name
        for p in output.parent.iterdir()
        if p.name.startswith(f".{output.name}.") and p.name != spare
    )


def slug_of(path: Path) -> str:
    return path.stem


def test_successful_build_replaces_output_whole(tmp_path):
    content = copy_content(tmp_path)
    extra = content / "posts" / "warehouse" / GOOD_POST.name
    shutil.copy(GOOD_POST, extra)
    output = tmp_path / "output"
    assert build_site(output, content).ok
    page = output / "posts" / slug_of(extra) / "index.html"
    assert page.is_file()
    (output / "stray.txt").write_text("left over from an old build", encoding="utf-8")

    extra.unlink()
    result = build_site(output, content)

    assert result.ok, result.problems
    assert not page.exists()  # a post that is gone is gone from the site
    assert not (output / "stray.txt").exists()  # output/ is replaced, not merged
    assert (output / "index.html").is_file()
    assert leftovers(output) == []


def test_failed_build_leaves_output_byte_identical(tmp_path):
    content = copy_content(tmp_path)
    output = tmp_path / "output"
    assert build_site(output, content).ok
    before = snapshot(output)
    shutil.copy(FIXTURES / "bad" / "unknown-author.md", content / "posts" / "warehouse")
    shutil.copy(GOOD_POST, content / "posts" / "warehouse")  # would add pages if published

    result = build_site(output, content)

    assert not result.ok
    assert len(result.problems) == 1
    assert "unknown author" in result.problems[0]
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_build_restores_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content = copy_content(tmp_path)
    build_site(tmp_path / "output", content)
    assert Path.cwd() == tmp_path


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, SystemExit])
def test_interrupted_build_cleans_up(tmp_path, monkeypatch, interruption):
    """Ctrl-C (or a plugin calling sys.exit) halfway through writing: nothing half-written
    stays behind, and output/ is as it was."""
    from pelican import Pelican

    content = copy_content(tmp_path)
    output = tmp_path / "output"
    assert build_site(output, content).ok
    before = snapshot(output)

    def half_a_build(self):
        Path(self.output_path, "index.html").write_text("half", encoding="utf-8")
        raise interruption()

    monkeypatch.setattr(Pelican, "run", half_a_build)
    if interruption is KeyboardInterrupt:
        with pytest.raises(KeyboardInterrupt):
            build_site(output, content)
    else:
        result = build_site(output, content)
        assert len(result.problems) == 1
        assert "SystemExit" in result.problems[0]
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_hostile_crash_message_stays_on_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the plugin lies outside: its path is shown absolute
    content = copy_content(tmp_path)
    output = tmp_path / "output"
    result = build_site(
        output,
        content,
        PLUGIN_PATHS=[str(ROOT), str(PLUGINS_DIR)],
        PLUGINS=["plugins.posts", "plugins.people", "crash_hostile"],
    )
    assert len(result.problems) == 1
    (line,) = result.problems
    assert line.splitlines() == [line]
    assert line.count("error:") == 2  # ours, and the forged one folded into our line
    assert "\x1b" not in line
    assert "\\x1b[31mred" in line
    assert line.startswith(f"{PLUGINS_DIR / 'crash_hostile.py'}:")
    assert not output.exists()
    assert leftovers(output) == []


def test_broken_settings_file_is_one_line(tmp_path):
    settings = tmp_path / "settings.py"
    settings.write_text("SITENAME = 'x'\nPLUGINS = [\n", encoding="utf-8")
    from chorus.build import build

    result = build(settings, {"OUTPUT_PATH": str(tmp_path / "output")})
    assert len(result.problems) == 1
    assert result.problems[0].startswith(f"{settings}:")
    assert "SyntaxError" in result.problems[0]
    assert leftovers(tmp_path / "output") == []


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_error_line_is_one_line_whatever_the_message(text):
    line = ContentError(f"content/posts/{text}.md", 3, text).format()
    assert line.splitlines() == [line]
    assert "\n" not in line and "\r" not in line
    assert all(ch.isprintable() for ch in line)
    assert line.startswith("content/posts/")
    assert ":3: error: " in line


def test_paths_are_shown_from_where_the_user_is(tmp_path):
    inside = ContentError(str(tmp_path / "content" / "a.md"), 2, "m").format(str(tmp_path))
    outside = ContentError("/elsewhere/a.md", None, "m").format(str(tmp_path))
    assert inside == "content/a.md:2: error: m"
    assert outside == "/elsewhere/a.md: error: m"


def test_a_plugin_of_one_build_does_not_run_in_the_next(tmp_path):
    """Pelican's signals are process-wide; chorus.build disconnects what a run connected,
    so the dev server (or a test) can build again in the same process."""
    content = copy_content(tmp_path)
    broken = build_site(
        tmp_path / "first",
        content,
        PLUGIN_PATHS=[str(ROOT), str(PLUGINS_DIR)],
        PLUGINS=["plugins.posts", "plugins.people", "crash_hostile"],
    )
    assert not broken.ok
    result = build_site(tmp_path / "second", content)
    assert result.ok, result.problems


def test_a_finding_that_already_says_its_level_is_printed_with_it_once():
    import logging

    from chorus.build import _Collector

    collector = _Collector({}, ".")
    for text in ("content/posts/hr/x.md:12:25: error: the title is too long", "no level here"):
        collector.emit(logging.LogRecord("t", logging.WARNING, __file__, 1, text, None, None))
    assert collector.warnings == [
        "content/posts/hr/x.md:12:25: error: the title is too long",
        "warning: no level here",
    ]
