"""Feeds of approved replies, read back with feedparser from the demo build."""

from __future__ import annotations

import json

import feedparser
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.integration

SNAPSHOT = ROOT / "content" / "conversations" / "snapshot.json"


def approved_replies() -> dict[str, list[dict]]:
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return {
        entry_id.rsplit("/", 1)[-1]: entry["replies"]
        for entry_id, entry in data["entries"].items()
        if entry.get("replies")
    }


def test_each_post_with_replies_has_a_feed_of_them_and_the_site_one_has_all(demo_site):
    expected = approved_replies()
    assert len(expected) >= 3
    everything = feedparser.parse(str(demo_site / "feeds" / "responses.atom.xml"))
    assert not everything.bozo, everything.bozo_exception
    assert len(everything.entries) == sum(len(r) for r in expected.values())
    for slug, replies in expected.items():
        for fmt in ("atom.xml", "rss.xml", "json"):
            assert (demo_site / "feeds" / "responses" / f"{slug}.{fmt}").is_file()
        feed = feedparser.parse(str(demo_site / "feeds" / "responses" / f"{slug}.atom.xml"))
        assert not feed.bozo, feed.bozo_exception
        assert sorted(e.link.rsplit("#", 1)[1] for e in feed.entries) == sorted(
            "comment-" + r["id"].replace(":", "-") for r in replies
        )
        dates = [e.published_parsed for e in feed.entries]
        assert dates == sorted(dates, reverse=True)
        page = (demo_site / "posts" / slug / "index.html").read_text(encoding="utf-8")
        assert f"feeds/responses/{slug}.atom.xml" in page
        for e in feed.entries:  # each entry points at the reply's anchor on the page
            assert f'id="{e.link.rsplit("#", 1)[1]}"' in page


def test_a_post_without_replies_has_no_replies_feed(demo_site):
    posts = {p.parent.name for p in (demo_site / "posts").glob("*/index.html")}
    with_feed = {p.name.split(".")[0] for p in (demo_site / "feeds" / "responses").iterdir()}
    assert with_feed == set(approved_replies()) and with_feed < posts


def test_interactions_csv_has_one_row_per_approved_reply_from_outside(demo_site):
    import csv

    rows = list(csv.DictReader((demo_site / "interactions.csv").open(encoding="utf-8")))
    outside = [
        r for replies in approved_replies().values() for r in replies if not r["author"]["org"]
    ]
    assert len(rows) == len(outside) > 0
    assert {r["handle"] for r in rows} == {r["author"]["handle"] for r in outside}
    assert all(r["post_url"].startswith("https://chorus.test/posts/") for r in rows)
    assert all(r["kind"] == "reply" and r["date"] for r in rows)
