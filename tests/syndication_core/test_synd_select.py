"""Selection: what the feed asks for, against the ledger's rows: new, due retries, edits,
retractions, and what is reported as waiting or abandoned."""

from __future__ import annotations

import dataclasses
import datetime as dt

from core.feed_contract import Retraction
from syndication.ledger import Row, stamp
from syndication.select import baseline, select
from syndication.source import read_feed

from .conftest import FIXTURES

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
CAFE = "tag:alderfinch.example,2026:posts/cafe-opening"
FORK = "tag:alderfinch.example,2026:posts/forklift-week"


def entries():
    return read_feed(FIXTURES / "feed_good.json", now=lambda: NOW).entries


def row(entry_id, platform, state, **values) -> Row:
    base = Row(entry_id, platform, state, 1, None, False, None, None, None, None, None, None,
               "", "")  # fmt: skip
    return dataclasses.replace(base, **values)


def rows(*items: Row) -> dict:
    return {(r.entry_id, r.platform): r for r in items}


def jobs(selection, action="post"):
    return [(j.entry.id, j.platform, j.reconcile) for j in selection.of(action)]


def test_everything_named_is_new_on_an_empty_ledger():
    assert jobs(select(entries(), {}, now=NOW)) == [
        (FORK, "mastodon", False),
        (FORK, "bluesky", False),
        (FORK, "linkedin", False),
        (CAFE, "mastodon", False),
        (CAFE, "bluesky", False),
    ]


def test_seen_and_posted_are_skipped_pending_first_and_failed_when_due():
    fork = {e.id: e for e in entries()}[FORK]
    ledger = rows(
        row(FORK, "mastodon", "seen"),
        row(FORK, "bluesky", "posted", fingerprint=fork.fingerprint("bluesky")),
        row(FORK, "linkedin", "failed", maybe_sent=True, next_attempt_at=stamp(NOW)),
        row(CAFE, "bluesky", "pending"),
    )
    assert jobs(select(entries(), ledger, now=NOW)) == [
        (FORK, "linkedin", True),  # due now, and it may have gone out: look first
        (CAFE, "bluesky", True),
        (CAFE, "mastodon", False),
    ]


def test_a_failure_not_yet_due_waits_and_is_reported():
    later = stamp(NOW + dt.timedelta(minutes=10))
    waiting = row(FORK, "linkedin", "failed", next_attempt_at=later, last_error="HTTP 503")
    selection = select(entries(), rows(waiting), now=NOW)
    assert (FORK, "linkedin", False) not in jobs(selection)
    assert selection.waiting == [waiting]
    forced = select(entries(), rows(waiting), now=NOW, retry_failed=True)
    assert (FORK, "linkedin", False) in jobs(forced)


def test_abandoned_is_never_posted_but_always_reported():
    given_up = row(FORK, "linkedin", "abandoned", attempts=8)
    old = row("tag:gone-from-the-feed", "x", "abandoned", attempts=8)
    selection = select(entries(), rows(given_up, old), now=NOW)
    assert (FORK, "linkedin", False) not in jobs(selection)
    assert sorted(r.entry_id for r in selection.abandoned) == [FORK, "tag:gone-from-the-feed"]


def test_an_edited_entry_is_an_edit_job_and_an_old_row_is_adopted():
    fork = {e.id: e for e in entries()}[FORK]
    ledger = rows(
        row(FORK, "mastodon", "posted", remote_id="1", fingerprint="an older version"),
        row(FORK, "bluesky", "posted", remote_id="at://x", fingerprint=None),
        row(FORK, "linkedin", "posted", fingerprint=fork.fingerprint("linkedin")),
    )
    selection = select([fork], ledger, now=NOW)
    assert jobs(selection, "edit") == [(FORK, "mastodon", False)]
    assert selection.adopt == [(FORK, "bluesky", fork.fingerprint("bluesky"))]
    assert jobs(selection) == []


def test_the_fingerprint_follows_the_words_not_the_date():
    fork = {e.id: e for e in entries()}[FORK]
    redated = dataclasses.replace(fork, published=NOW, updated=NOW)
    assert redated.fingerprint("mastodon") == fork.fingerprint("mastodon")
    retitled = dataclasses.replace(fork, title="A better title")
    assert retitled.fingerprint("mastodon") != fork.fingerprint("mastodon")
    own_text = dataclasses.replace(fork, syndication_text={"bluesky": "Short"})
    assert own_text.fingerprint("mastodon") == fork.fingerprint("mastodon")
    assert own_text.fingerprint("bluesky") != fork.fingerprint("bluesky")


def test_a_retracted_entry_deletes_every_copy_and_is_never_posted():
    ledger = rows(
        row(FORK, "mastodon", "posted", remote_id="1"),
        row(FORK, "bluesky", "retracted"),
        row(FORK, "linkedin", "failed"),
    )
    gone = [Retraction(FORK, "https://example/posts/forklift-week/", "wrong figures")]
    feed = [e for e in entries() if e.id != FORK]
    selection = select(feed, ledger, now=NOW, retracted=gone)
    assert sorted(jobs(selection, "retract")) == [
        (FORK, "linkedin", False),
        (FORK, "mastodon", False),
    ]
    assert all(job.entry.id != FORK for job in selection.of("post"))


def test_only_the_platforms_asked_for():
    assert jobs(select(entries(), {}, now=NOW, only=["bluesky"])) == [
        (FORK, "bluesky", False),
        (CAFE, "bluesky", False),
    ]


def test_unknown_platform_is_a_warning_not_a_crash():
    (entry, *_) = entries()
    odd = dataclasses.replace(entry, syndicate=("myspace", "mastodon", "mastodon"))
    selection = select([odd], {}, now=NOW)
    assert jobs(selection) == [(odd.id, "mastodon", False)]
    assert selection.warnings == [f"{odd.url}: unknown platform 'myspace' in syndicate, skipped"]


def test_baseline_names_every_pair_and_then_nothing_is_new():
    seen = baseline(entries())
    assert len(seen) == 5
    ledger = rows(*(row(e, p, "seen") for e, p, _ in seen))
    assert select(entries(), ledger, now=NOW).jobs == []


def test_a_feed_with_nothing_seen_before_warns_of_a_gap():
    """More new posts than FEED_MAX_ITEMS since the last run: say so, don't lose them quietly."""
    old = rows(row("tag:alderfinch.example,2025:posts/older", "mastodon", "posted"))
    selection = select(entries(), old, now=NOW)
    assert len(selection.jobs) == 5
    assert any("FEED_MAX_ITEMS" in w for w in selection.warnings)
    assert not any("FEED_MAX_ITEMS" in w for w in select(entries(), {}, now=NOW).warnings)
    known = rows(row(FORK, "mastodon", "posted"))
    assert not any("FEED_MAX_ITEMS" in w for w in select(entries(), known, now=NOW).warnings)
