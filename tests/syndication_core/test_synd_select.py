"""Selection: what the feed asks for, minus what the ledger has seen or posted."""

from __future__ import annotations

import datetime as dt

from syndication.select import baseline, select
from syndication.source import read_source

from .conftest import FIXTURES

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
CAFE = "tag:alderfinch.example,2026:posts/cafe-opening"
FORK = "tag:alderfinch.example,2026:posts/forklift-week"


def entries():
    return read_source(FIXTURES / "feed_good.json", now=lambda: NOW)


def pairs(selection):
    return [(j.entry.id, j.platform, j.reconcile) for j in selection.jobs]


def test_everything_named_is_new_on_an_empty_ledger():
    assert pairs(select(entries(), {})) == [
        (FORK, "mastodon", False),
        (FORK, "bluesky", False),
        (FORK, "linkedin", False),
        (CAFE, "mastodon", False),
        (CAFE, "bluesky", False),
    ]


def test_seen_and_posted_are_skipped_pending_first_failed_only_on_request():
    states = {
        (FORK, "mastodon"): "seen",
        (FORK, "bluesky"): "posted",
        (FORK, "linkedin"): "failed",
        (CAFE, "bluesky"): "pending",
    }
    assert pairs(select(entries(), states)) == [(CAFE, "bluesky", True), (CAFE, "mastodon", False)]
    retried = pairs(select(entries(), states, retry_failed=True))
    assert (FORK, "linkedin", False) in retried


def test_only_the_platforms_asked_for():
    assert pairs(select(entries(), {}, only=["bluesky"])) == [
        (FORK, "bluesky", False),
        (CAFE, "bluesky", False),
    ]


def test_unknown_platform_is_a_warning_not_a_crash():
    (entry, *_) = entries()
    odd = type(entry)(**{**entry.__dict__, "syndicate": ("myspace", "mastodon", "mastodon")})
    selection = select([odd], {})
    assert pairs(selection) == [(odd.id, "mastodon", False)]
    assert selection.warnings == [f"{odd.url}: unknown platform 'myspace' in syndicate, skipped"]


def test_baseline_names_every_pair_and_then_nothing_is_new():
    seen = baseline(entries())
    assert len(seen) == 5
    assert select(entries(), {pair: "seen" for pair in seen}).jobs == []


def test_a_feed_with_nothing_seen_before_warns_of_a_gap():
    """More new posts than FEED_MAX_ITEMS since the last run: say so, don't lose them quietly."""
    old = {("tag:alderfinch.example,2025:posts/older", "mastodon"): "posted"}
    selection = select(entries(), old)
    assert len(selection.jobs) == 5
    assert any("FEED_MAX_ITEMS" in w for w in selection.warnings)
    assert not any("FEED_MAX_ITEMS" in w for w in select(entries(), {}).warnings)
    known = {(FORK, "mastodon"): "posted"}
    assert not any("FEED_MAX_ITEMS" in w for w in select(entries(), known).warnings)
