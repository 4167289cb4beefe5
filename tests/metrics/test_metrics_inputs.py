"""The optional inputs: links file, listening snapshot, lint report, and the build date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from plugins.guidelines.model import Finding, LintReport, Switch
from plugins.listening.snapshot import snapshot_path
from plugins.metrics.collect import count_findings, count_mentions
from plugins.metrics.sources import (
    links_path,
    read_crossposts,
    read_snapshot,
    today_for_build,
)
from tests.metrics.conftest import FIXTURES


def test_crossposts_count_posted_and_failing_copies_per_platform():
    path = FIXTURES / "links.json"
    before = path.read_bytes()
    counts, note = read_crossposts(path)
    assert note == ""
    assert counts == {
        "mastodon": {"posted": 2, "failed": 1},
        "bluesky": {"posted": 1, "failed": 0},
        "linkedin": {"posted": 0, "failed": 1},  # abandoned counts as failing
        "internal": {"posted": 1, "failed": 0},
    }
    assert path.read_bytes() == before


def test_no_links_file_means_zero(tmp_path):
    counts, note = read_crossposts(tmp_path / "syndication-links.json")
    assert counts == {} and "nothing cross-posted yet" in note


def test_a_broken_links_file_is_a_one_line_note_naming_the_file():
    counts, note = read_crossposts(FIXTURES / "links-broken.json")
    assert counts is None
    assert "links-broken.json:4" in note and "\n" not in note and "Traceback" not in note


def test_links_path_is_the_settings_links_file(tmp_path):
    settings = {"PATH": str(tmp_path), "SYNDICATION_LINKS_FILE": "links.json"}
    assert links_path(settings) == tmp_path / "links.json"


def test_mentions_per_department_from_the_snapshot():
    snapshot, note = read_snapshot(FIXTURES / "snapshot.json")
    assert note == ""
    departments = {"sales": "Sales", "marketing": "Marketing", "product": "Product", "hr": "HR"}
    departments["support"] = "Support"
    counts = count_mentions(snapshot, departments)
    # m1 counts once (listed twice), m3 once (its department listed twice), m4's unknown
    # department is kept after the known ones.
    assert counts == {
        "sales": 1,
        "marketing": 1,
        "product": 1,
        "hr": 0,
        "support": 1,
        "logistics": 1,
    }


def test_a_broken_snapshot_names_file_and_line():
    snapshot, note = read_snapshot(FIXTURES / "snapshot-broken.json")
    assert snapshot is None
    assert "snapshot-broken.json:4:" in note and "not valid JSON" in note


def test_a_snapshot_of_the_wrong_shape(tmp_path):
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps({"mentions": "none"}), encoding="utf-8")
    snapshot, note = read_snapshot(path)
    assert snapshot is None and "expected an object with 'mentions'" in note


def test_no_snapshot_yet(tmp_path):
    snapshot, note = read_snapshot(tmp_path / "missing.json")
    assert snapshot is None and "invoke listen" in note


def test_snapshot_path_defaults_under_the_content_folder():
    assert snapshot_path({"PATH": "content"}) == Path("content/listening/snapshot.json")
    assert snapshot_path({"PATH": "content", "LISTENING_SNAPSHOT": "/s.json"}) == Path("/s.json")


def _finding(rule: str, level: str, line: int) -> Finding:
    return Finding("content/posts/hr/a.md", line, 1, rule, level, "msg", rule.split(".")[0])


def test_findings_and_switches_per_rule():
    report = LintReport(
        findings=[
            _finding("pii.email", "error", 3),
            _finding("style.prefer", "suggestion", 4),
            _finding("pii.email", "error", 9),
            _finding("links.https", "warning", 12),
        ],
        switches=[
            Switch("content/posts/hr/a.md", 20, "pii.email", "a public press address"),
            Switch("content/posts/it/b.md", 7, "style.prefer", "a quotation"),
            Switch("content/posts/it/b.md", 30, "pii.email", "the helpdesk address"),
        ],
    )
    findings, levels, switches = count_findings(report)
    assert findings == {"pii.email": 2, "links.https": 1, "style.prefer": 1}
    assert list(findings) == ["pii.email", "links.https", "style.prefer"]  # most first
    assert levels == {"error": 2, "suggestion": 1, "warning": 1}
    assert switches == {"pii.email": 2, "style.prefer": 1}


def test_build_date_is_the_newest_of_setting_and_now():
    now = dt.datetime(2026, 11, 24, 9, 0)
    assert today_for_build(None, now) == dt.date(2026, 11, 24)
    assert today_for_build("2026-01-01", now) == dt.date(2026, 11, 24)
    assert today_for_build("2027-03-01", now) == dt.date(2027, 3, 1)
    assert today_for_build(dt.date(2027, 3, 1), now) == dt.date(2027, 3, 1)
