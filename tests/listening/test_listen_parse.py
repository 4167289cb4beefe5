"""Feed bytes → entries, one fixture file per format or failure."""

from __future__ import annotations

from pathlib import Path

from plugins.listening.parse import parse_feed

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "listening"


def parse(name: str, url: str = "https://feeds.test/feed.xml"):
    return parse_feed((FIXTURES / name).read_bytes(), name, url)


def test_rss2():
    parsed = parse("rss2.xml")
    assert parsed.error is None
    first = parsed.entries[0]
    assert (first.id, first.url) == ("trade-1", "https://trade.test/news/repair-bench")
    assert first.title == "Alder & Finch opens a repair bench for dealers"
    assert first.published == "2026-11-20T08:00:00+00:00"
    assert (
        first.summary_html
        == "<p>Dealers can now send tools to <em>Alder &amp; Finch</em> for repair.</p>"
    )
    assert first.source == "rss2.xml"


def test_rss1():
    parsed = parse("rss1.rdf")
    assert [e.id for e in parsed.entries] == ["https://forum.test/t/1", "https://forum.test/t/2"]
    assert parsed.entries[0].published == "2026-11-21T10:00:00+00:00"


def test_atom_html_title_is_text_and_content_stands_in_for_a_summary():
    entries = parse("atom.xml").entries
    assert entries[0].title == "Our new spade beats the AlderFinch ash-handle spade"
    assert entries[1].summary_html == "<p>Forty jobs.</p>"
    assert entries[1].published == "2026-11-01T12:00:00+00:00"  # <updated> when unpublished


def test_malformed_is_reported_not_raised():
    parsed = parse("malformed.xml")
    assert parsed.entries == []
    assert parsed.error.startswith("not a feed")
    assert "\n" not in parsed.error


def test_empty_and_binary_bodies():
    assert parse_feed(b"", "x").error.startswith("not a feed")
    assert parse_feed(b"\x00\xff\xfe garbage", "x").error.startswith("not a feed")


def test_hostile_feed_keeps_text_and_loses_every_active_part():
    entries = parse("script.xml").entries
    first, second = entries
    assert first.url is None  # javascript: link
    assert second.url is None  # data: link
    assert first.title == "Alder & Finch review"  # markup in a title is dropped, script and all
    html = first.summary_html + second.summary_html
    hostile = ["<script", "onerror", "onclick", "onmouseover", "onload", "javascript:"]
    hostile += ["vbscript:", "<iframe", "<img", "<svg", "<style", "style=", 'href="/relative"']
    for bad in hostile:
        assert bad not in html, bad
    assert 'href="https://hostile.test/ok"' in html
    assert 'rel="external nofollow noopener noreferrer"' in html
    # a relative link is resolved against the source, never left to point into our site
    assert 'href="https://feeds.test/relative"' in html
