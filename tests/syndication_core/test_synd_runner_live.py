"""The runner against the real servers: pending → posted, reconciliation, failures recorded.

Composition is not under test here (syndication/compose has its own tests): a minimal
stand-in makes the text, so these tests only exercise ledger, platforms and ordering.
"""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from syndication.ledger import Ledger
from syndication.model import Composed
from syndication.platforms import create
from syndication.retry import Policy
from syndication.runner import Runner, idempotency_key
from syndication.select import select
from syndication.source import parse_feed

from .conftest import fixture_feed

pytestmark = pytest.mark.integration
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def planned(entries, ledger, **kwargs):
    return select(entries, ledger.snapshot(), now=NOW, **kwargs).jobs


def stand_in_compose(entry, platform, limits):
    text = f"{entry.title} {entry.url}"
    return Composed(platform, text, len(text), limits.get("max_characters") or 300, entry.url)


def feed_entries():
    entries = parse_feed(fixture_feed("feed_good.json"))
    return [e for e in entries if e.status == "published" and e.published.year < 2099]


def runner(ledger, platforms, sleeps=None, policy=None):
    lines = []
    return Runner(
        ledger=ledger,
        platforms=platforms,
        compose=stand_in_compose,
        policy=policy or Policy(),
        clock=lambda: 1_000_000.0,
        sleep=(sleeps.append if sleeps is not None else lambda s: None),
        say=lines.append,
    ), lines


def test_both_platforms_in_one_run_then_nothing_left(tmp_path, mastodon_account, bluesky_account):
    platforms = {
        "mastodon": create("mastodon", mastodon_account.credentials()),
        "bluesky": create("bluesky", bluesky_account.credentials()),
    }
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.begin_run(wait=0)
        jobs = planned(feed_entries(), ledger, only=["mastodon", "bluesky"])
        report = runner(ledger, platforms)[0].run(jobs)
        assert (len(report.posted), len(report.failures)) == (4, 0)
        assert {r.state for r in ledger.rows()} == {"posted"}
        assert planned(feed_entries(), ledger, only=["mastodon", "bluesky"]) == []
        links = ledger.links()
    assert len(mastodon_account.statuses()) == 2
    assert len(bluesky_account.records()) == 2
    assert sorted(links) == [
        "tag:alderfinch.example,2026:posts/cafe-opening",
        "tag:alderfinch.example,2026:posts/forklift-week",
    ]


def test_pending_row_is_found_not_resent(tmp_path, mastodon_account):
    entry = feed_entries()[0]  # the café post
    platform = create("mastodon", mastodon_account.credentials())
    key = idempotency_key(entry.id, "mastodon")
    already = platform.post(stand_in_compose(entry, "mastodon", {}), entry, key)
    with Ledger(tmp_path / "l.sqlite") as crashed:
        crashed.begin_run(wait=0)
        crashed.claim(entry.id, "mastodon")  # as a crash right after sending leaves it
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.begin_run(wait=0)
        jobs = planned([entry], ledger)
        assert [j.reconcile for j in jobs if j.platform == "mastodon"] == [True]
        the_runner, lines = runner(ledger, {"mastodon": platform})
        report = the_runner.run([j for j in jobs if j.platform == "mastodon"])
        assert [o.state for o in report.outcomes] == ["posted"]
        assert ledger.get(entry.id, "mastodon").remote_url == already.url
    assert len(mastodon_account.statuses()) == 1
    assert any("was already posted" in line for line in lines)


def test_5xx_retried_then_failed_successes_still_recorded(tmp_path, mastodon_account):
    faults = f"{mastodon_account.url}/api/v1/_mock/faults"
    httpx.post(
        faults,
        json={
            "match": {"methods": ["POST"], "path": "/api/v1/statuses"},
            "effect": {"type": "status", "status": 503},
            "count": 2,
        },
    ).raise_for_status()
    try:
        sleeps: list[float] = []
        platform = create("mastodon", mastodon_account.credentials())
        with Ledger(tmp_path / "l.sqlite") as ledger:
            ledger.begin_run(wait=0)
            jobs = planned(feed_entries(), ledger, only=["mastodon"])
            the_runner, lines = runner(
                ledger, {"mastodon": platform}, sleeps, Policy(max_attempts=2, base_delay=2.0)
            )
            report = the_runner.run(jobs)
            failed, posted = report.failures, report.posted
            assert (len(failed), len(posted)) == (1, 1)
            row = ledger.get(failed[0].entry_id, "mastodon")
            assert row.state == "failed" and "HTTP 503" in row.last_error
            assert row.maybe_sent and row.next_attempt_at  # retried by a later run, looking first
            assert "gave up after 2 attempts" in row.last_error
            assert ledger.get(posted[0].entry_id, "mastodon").state == "posted"
        assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 2.0  # backoff asked for, not slept
        assert any("FAILED" in line and "HTTP 503" in line for line in lines)
        assert len(mastodon_account.statuses()) == 1
    finally:
        httpx.delete(faults)
