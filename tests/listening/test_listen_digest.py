"""The Atom digest per department, checked by a real feed parser."""

from __future__ import annotations

import feedparser

from plugins.feeds.entry import Site
from plugins.listening.digest import digest_feed, digest_path

SITE = Site.from_settings(
    {"SITEURL": "https://chorus.test", "SITENAME": "Chorus", "FEED_ID_AUTHORITY": "af.test"}
)
MENTIONS = [
    {
        "id": "trade-1",
        "title": "Alder & Finch <opens> a bench",
        "url": "https://trade.test/news/1",
        "source": "Trade & Co",
        "published": "2026-11-20T08:00:00+00:00",
        "summary_html": '<p>See <a href="https://trade.test/x">this</a><script>x()</script></p>',
        "terms": ["Alder & Finch"],
        "departments": ["support"],
    },
    {
        "id": "no link, no date",
        "title": "Forum post",
        "url": "javascript:alert(1)",
        "source": "Forum",
        "published": None,
        "summary_html": "",
        "terms": ["hori-hori"],
        "departments": ["support"],
    },
]


def test_digest_is_valid_atom_with_absolute_links():
    text = digest_feed(SITE, "support", "Customer Support", MENTIONS, "2026-11-24T12:00:00+00:00")
    feed = feedparser.parse(text.encode("utf-8"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == f"https://chorus.test/{digest_path('support')}"
    assert feed.feed.updated == "2026-11-24T12:00:00+00:00"
    first, second = feed.entries
    assert first.title == "Alder & Finch <opens> a bench"
    assert first.link == "https://trade.test/news/1"
    assert first.author == "Trade & Co"
    assert "<script" not in first.summary and "https://trade.test/x" in first.summary
    assert second.link == "https://chorus.test/listening/#dept-support"  # never javascript:
    assert first.id.startswith("tag:af.test,2026:listening/") and first.id != second.id
    for entry in feed.entries:
        assert all(link.href.startswith("https://") for link in entry.links)


def test_empty_digest_is_still_valid():
    text = digest_feed(SITE, "hr", "People", [], "not a date")
    feed = feedparser.parse(text.encode("utf-8"))
    assert feed.bozo == 0 and feed.entries == []
