"""The build glue: what one Pelican run hands over becomes one Metrics value, and an input
that is broken or missing is a note (and a warning), never an exception."""

from __future__ import annotations

import datetime as dt
import logging
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from plugins.guidelines.model import Finding, LintReport, Switch
from plugins.metrics.page import gather
from plugins.people.directory import load_directory
from plugins.run import new_run
from tests.metrics.conftest import FIXTURES, ROOT

AMS = ZoneInfo("Europe/Amsterdam")


def article(dept: str, author: str, when: dt.datetime, status: str = "published"):
    return SimpleNamespace(
        category=SimpleNamespace(slug=dept), author=author, date=when, status=status
    )


def settings(tmp_path, report=None, **extra) -> dict:
    given = {
        "PATH": str(tmp_path),
        "TIMEZONE": "Europe/Amsterdam",
        "SYNDICATION_LINKS_FILE": str(tmp_path / "no-links.json"),
        **extra,
    }
    new_run(given, directory=load_directory(ROOT / "content"), lint_report=report)
    return given


CONTEXT = {
    "articles": [
        article("hr", "zoe.vandenberg", dt.datetime(2026, 9, 30, 23, 30, tzinfo=AMS)),
        article("it", "ingrid.solberg", dt.datetime(2026, 10, 1, 0, 30, tzinfo=AMS)),
    ],
    "drafts": [article("it", "lukasz.nowak", dt.datetime(2026, 10, 2, tzinfo=AMS), "draft")],
}


def test_everything_present(tmp_path):
    report = LintReport(
        findings=[Finding("content/posts/hr/a.md", 1, 1, "pii.email", "error", "m", "pii")],
        switches=[Switch("content/posts/hr/a.md", 5, "pii.email", "reason")],
    )
    m = gather(
        settings(
            tmp_path,
            SYNDICATION_LINKS_FILE=str(FIXTURES / "links.json"),
            LISTENING_SNAPSHOT=str(FIXTURES / "snapshot.json"),
            CONVERSATIONS_SNAPSHOT=str(ROOT / "content" / "conversations" / "snapshot.json"),
            report=report,
            BUILD_DATE="2026-10-15",
        ),
        CONTEXT,
        now=dt.datetime(2026, 10, 10, tzinfo=AMS),
    )
    assert m.today == dt.date(2026, 10, 15)  # the pinned date is newer than now
    # Months are the post's own local date: 23:30 on 30 September is September.
    assert m.posts == {"hr": {"2026-09": 1}, "it": {"2026-10": 1}}
    assert m.findings == {"pii.email": 1} and m.switches == {"pii.email": 1}
    assert m.crossposts["mastodon"] == {"posted": 2, "failed": 1}
    assert m.crossposts["threads"] == {"posted": 0, "failed": 0}  # every platform is listed
    assert m.crossposts["internal"] == {"posted": 1, "failed": 0}  # listed once it has copies
    assert m.mentions["support"] == 1 and m.mentions["finance"] == 0
    assert m.notes == {}


def test_missing_and_broken_inputs_are_notes(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    m = gather(
        settings(tmp_path, LISTENING_SNAPSHOT=str(FIXTURES / "snapshot-broken.json")),
        CONTEXT,
        now=dt.datetime(2026, 11, 24, tzinfo=AMS),
    )
    assert m.findings is None and "not available" in m.notes["lint"]
    assert m.crossposts == {p: {"posted": 0, "failed": 0} for p in m.crossposts}
    assert "no links file" in m.notes["crossposts"]
    assert m.mentions is None and "snapshot-broken.json:4:" in m.notes["mentions"]
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "snapshot-broken.json:4:" in warnings[0]


def test_a_broken_links_file_is_a_warning(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    m = gather(
        settings(tmp_path, SYNDICATION_LINKS_FILE=str(FIXTURES / "links-broken.json")),
        CONTEXT,
        now=dt.datetime(2026, 11, 24, tzinfo=AMS),
    )
    assert m.crossposts is None and "links-broken.json" in m.notes["crossposts"]
    assert any("links-broken.json" in r.getMessage() for r in caplog.records)
