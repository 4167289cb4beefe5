"""Bad input never crashes the build and never publishes half a site.

Each file (or folder) in tests/fixtures/bad/ is dropped into a copy of the demo content
beside an output/ that holds a good build. The build runs as a user runs it (a separate
process) and must: exit 1; print exactly one `error:` line, `<file>:<line>: error: …`,
naming the fixture and what is wrong; print no traceback; leave output/ byte-identical;
leave no temporary folder behind. tests/fixtures/bad/expected.yaml says what each fixture
must produce.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bad_fixtures import BAD, EXPECTED, lint_errors, place
from tests.conftest import FIXTURES, ROOT, TEST_SITEURL, build_site, copy_content

pytestmark = pytest.mark.integration

ERROR_LINE = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+))?: error: (?P<message>.*)$")


# --- helpers ------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative path → sha256), and every folder (→ "dir")."""
    files: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        files[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def run_build(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m chorus.build` from `workdir`, as a user in that folder would run it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "chorus.build", "--siteurl", TEST_SITEURL, *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def leftovers(output: Path) -> list[str]:
    """Temporary build folders (or swapped-out old outputs) left beside the output."""
    return sorted(
        p.name
        for p in output.parent.iterdir()
        if p.name.startswith((f".{output.name}.building-", f".{output.name}.old-"))
    )


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "error:" in line]


# --- the good site every test starts from --------------------------------------------------


@pytest.fixture(scope="module")
def good_output(tmp_path_factory) -> Path:
    """The demo content built once; each test copies it next to its own broken content."""
    tmp = tmp_path_factory.mktemp("good")
    output = tmp / "output"
    result = build_site(output, copy_content(tmp))
    assert result.ok, "\n".join(result.problems)
    assert (output / "index.html").is_file()
    return output


@pytest.fixture
def site(tmp_path, good_output) -> tuple[Path, Path]:
    """(content, output): a private copy of the demo content, and of its good build."""
    content = copy_content(tmp_path)
    output = tmp_path / "output"
    shutil.copytree(good_output, output)
    return content, output


# --- the tests ----------------------------------------------------------------------------


def test_every_bad_fixture_has_an_expectation():
    on_disk = {p.name for p in BAD.iterdir() if p.name not in ("expected.yaml", ".gitattributes")}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 10


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture_gives_one_line_and_keeps_output(name, site, tmp_path):
    content, output = site
    spec = dict(EXPECTED[name])
    reported = place(name, spec, content)
    before = snapshot(output)

    proc = run_build(tmp_path, "--content", "content", "--output", "output")

    everything = proc.stdout + proc.stderr
    assert proc.returncode == 1, everything
    assert "Traceback" not in everything
    errors = error_lines(proc.stderr)
    assert len(errors) == 1, everything
    match = ERROR_LINE.match(errors[0])
    assert match, errors[0]
    assert match["file"] == f"content/{reported}"
    expected_line = spec["line"]
    assert match["line"] == (str(expected_line) if expected_line is not None else None)
    assert spec["message"] in match["message"]
    assert snapshot(output) == before
    assert leftovers(output) == []
    # The lint, run as a user runs it on the same content, says so too: same file, same
    # line, an error (a build error without a line is the lint's line 1).
    linted = lint_errors(tmp_path, "content")
    where = (match["file"], int(match["line"] or 1))
    assert where in {(f["path"], f["line"]) for f in linted}, (where, linted)


def test_all_problems_are_reported_in_one_run(site, tmp_path):
    content, output = site
    names = [
        "yaml-tab.md",
        "unknown-author.md",
        "binary.md",
        "missing-title.md",
        "person-http-account.yaml",
        "duplicate-slug",
    ]
    wanted = []
    for name in names:
        spec = dict(EXPECTED[name])
        file = place(name, spec, content)
        where = f"content/{file}" + (f":{spec['line']}" if spec["line"] else "")
        wanted.append(f"{where}: error: ")
    before = snapshot(output)

    proc = run_build(tmp_path, "--content", "content", "--output", "output")

    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    errors = error_lines(proc.stderr)
    assert len(errors) == len(names), proc.stderr
    for start in wanted:
        assert sum(line.startswith(start) for line in errors) == 1, (start, proc.stderr)
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_broken_departments_file_is_one_problem_not_a_cascade(site, tmp_path):
    """Every person and post names a department: a broken departments.yaml must not also
    make each of them an error."""
    content, output = site
    (content / "departments.yaml").write_text("hr: [linkedin\nsales: {}\n", encoding="utf-8")
    before = snapshot(output)

    proc = run_build(tmp_path, "--content", "content", "--output", "output")

    assert proc.returncode == 1
    errors = error_lines(proc.stderr)
    assert len(errors) == 1, proc.stderr
    assert errors[0].startswith("content/departments.yaml:1: error: this file is not valid YAML")
    assert snapshot(output) == before


def test_broken_people_file_does_not_make_their_posts_unknown(site, tmp_path):
    """One mistake, one message: the author's file is broken, not every post they wrote."""
    content, _ = site
    assert any(
        "author: maria.lopez" in p.read_text(encoding="utf-8")
        for p in (content / "posts").rglob("*.md")
    ), "the demo content must keep a post by maria.lopez for this test to mean anything"
    person = content / "people" / "maria.lopez.yaml"
    person.write_text(person.read_text(encoding="utf-8") + "name: again\n", encoding="utf-8")

    proc = run_build(tmp_path, "--content", "content", "--output", "output")

    assert proc.returncode == 1
    errors = error_lines(proc.stderr)
    assert len(errors) == 1, proc.stderr
    assert errors[0].startswith("content/people/maria.lopez.yaml:")
    assert "'name' is given twice" in errors[0]


def test_crash_while_writing_pages(site, tmp_path):
    """A plugin raising after some pages were written: one line naming the plugin's file and
    line, exit 1, no traceback, output untouched, the half-written folder removed."""
    _, output = site
    settings = FIXTURES / "plugins" / "crash_settings.py"
    before = snapshot(output)

    proc = run_build(
        tmp_path, "--settings", str(settings), "--content", "content", "--output", "output"
    )

    everything = proc.stdout + proc.stderr
    assert proc.returncode == 1, everything
    assert "Traceback" not in everything
    errors = error_lines(proc.stderr)
    assert len(errors) == 1, everything
    plugin = FIXTURES / "plugins" / "crash_midway.py"
    raise_line = next(
        n
        for n, text in enumerate(plugin.read_text(encoding="utf-8").splitlines(), 1)
        if "raise RuntimeError" in text
    )
    assert errors[0].startswith(f"{plugin}:{raise_line}: error: the build stopped: RuntimeError")
    assert "gave up after writing" in errors[0]
    assert "--debug" in errors[0]
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_crash_with_debug_shows_the_traceback(site, tmp_path):
    """--debug is the way to the traceback the one-line message hides."""
    settings = FIXTURES / "plugins" / "crash_settings.py"
    proc = run_build(
        tmp_path, "--settings", str(settings), "--content", "content", "--output", "output",
        "--debug",
    )  # fmt: skip
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr
    assert "crash_midway.py" in proc.stderr


def test_first_build_that_fails_creates_no_output(tmp_path):
    """No previous output: a failed build must not leave an empty or partial one."""
    content = copy_content(tmp_path)
    shutil.copy(BAD / "unknown-author.md", content / "posts" / "warehouse")
    output = tmp_path / "output"

    proc = run_build(tmp_path, "--content", "content", "--output", "output")

    assert proc.returncode == 1
    assert not output.exists()
    assert leftovers(output) == []
