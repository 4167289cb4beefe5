"""Lint ≡ build: every bad fixture the build refuses is a lint error at the same line.

tests/fixtures/bad/expected.yaml says which file and line the build names for each fixture,
and test_bad_input.py holds a real build (and the lint CLI beside it) to that. This holds the
lint to the same place for every fixture in one fast, in-process run each, so a new build
check without its lint twin fails here first. And the other way round: the demo content,
which builds, lints with no `lint.post` error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.guidelines.cli import expand
from plugins.guidelines.config import load_guidelines
from plugins.guidelines.engine import BUILD_RULE, lint_files
from plugins.problems import one_line
from tests.bad_fixtures import BAD, EXPECTED, place
from tests.conftest import ROOT, copy_content


def lint_content(content: Path):
    paths = expand([str(content / "posts"), str(content / "pages")])
    guidelines = load_guidelines(content / "guidelines.yaml")
    return lint_files(paths, guidelines, content_root=content, workers=1)


def test_every_bad_fixture_is_covered():
    on_disk = {p.name for p in BAD.iterdir() if p.name not in ("expected.yaml", ".gitattributes")}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_lint_reports_what_the_build_reports(name, tmp_path):
    content = copy_content(tmp_path)
    spec = dict(EXPECTED[name])
    reported = (content / place(name, spec, content)).resolve()
    line = spec["line"] or 1  # a build error without a line is the lint's line 1

    report = lint_content(content)

    errors = [f for f in report.findings if f.level == "error"]
    here = [f for f in errors if Path(f.path).resolve() == reported and f.line == line]
    assert here, [f"{f.path}:{f.line}: {f.rule_id}: {f.message}" for f in errors]
    assert any(f.rule_id == BUILD_RULE and spec["message"] in one_line(f.message) for f in here)
    assert report.exit_code == 1


@pytest.mark.parametrize(
    "date", ["2 December 2026", "31-12-2026", "12/31/2026", "2026-02-30", "tomorrow"]
)
def test_a_date_the_build_cannot_read_is_a_lint_error(date, tmp_path):
    content = copy_content(tmp_path)
    post = content / "posts" / "warehouse" / "peak-season-picking.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("date: 2026-10-26 16:10", f"date: {date}"), encoding="utf-8")

    report = lint_content(content)

    found = [f for f in report.findings if f.rule_id == BUILD_RULE]
    assert [(Path(f.path).name, f.line, f.level) for f in found] == [
        ("peak-season-picking.md", 3, "error")
    ]
    assert "is not a date" in found[0].message


def test_the_demo_content_lints_with_no_build_error():
    report = lint_content(ROOT / "content")
    assert [f for f in report.findings if f.level == "error"] == []
