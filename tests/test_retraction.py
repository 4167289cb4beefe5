"""A retracted post (`status: retracted` + `retraction_reason:`): its address answers with
the notice and nothing of what it said, it is in no listing and no feed item, and the site
feed names it in `_chorus.retracted` so the cross-posting run deletes its copies."""

from __future__ import annotations

import json

import feedparser
import pytest

from syndication.source import read_feed

pytestmark = pytest.mark.integration
SLUG = "q3-order-volumes"  # content/posts/finance/q3-order-volumes.md
BODY_WORDS = "Benelux dealers"  # from the retracted post's body
SUMMARY_WORDS = "region by region"  # from its summary


def test_the_page_is_the_notice_and_nothing_else(demo_site):
    page = (demo_site / "posts" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "This post was retracted" in page
    assert "double-counted orders placed through dealers" in page
    assert '<meta name="robots" content="noindex">' in page
    assert BODY_WORDS not in page and SUMMARY_WORDS not in page
    assert "og:description" not in page and "u-syndication" not in page


def test_no_listing_and_no_feed_item_mentions_it(demo_site):
    for path in demo_site.rglob("*"):
        if not path.is_file() or path.suffix not in (".html", ".xml", ".json", ".csv"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        assert BODY_WORDS not in text and SUMMARY_WORDS not in text, path
        if path.name == "all.json" or path == demo_site / "posts" / SLUG / "index.html":
            continue
        assert f"/posts/{SLUG}/" not in text, path
    atom = feedparser.parse(str(demo_site / "feeds" / "all.atom.xml"))
    assert all(SLUG not in entry.link for entry in atom.entries)


def test_the_site_feed_lists_it_for_syndication(demo_site):
    data = json.loads((demo_site / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert all(SLUG not in item["id"] for item in data["items"])
    feed = read_feed(demo_site / "feeds" / "all.json")
    (gone,) = feed.retracted
    assert gone.id == f"tag:alderfinch.example,2026:posts/{SLUG}"
    assert gone.url.endswith(f"/posts/{SLUG}/") and "double-counted" in gone.reason
    assert all(entry.id != gone.id for entry in feed.entries)
