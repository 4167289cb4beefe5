"""The source: the published JSON Feed, read into SourceEntry; bad feeds are one line."""

from __future__ import annotations

import datetime as dt

import pytest

from syndication.source import SourceError, parse_feed, read_feed

from .conftest import FIXTURES

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def test_published_entries_oldest_first_without_future_or_draft():
    entries = read_feed(FIXTURES / "feed_good.json", now=lambda: NOW).entries
    assert [e.url.rsplit("/", 2)[-2] for e in entries] == [
        "no-syndication",
        "forklift-week",
        "cafe-opening",
    ]


def test_future_entry_appears_once_its_date_has_come():
    later = dt.datetime(2099, 1, 2, tzinfo=dt.UTC)
    ids = [e.id for e in read_feed(FIXTURES / "feed_good.json", now=lambda: later).entries]
    assert "tag:alderfinch.example,2026:posts/next-year" in ids
    assert "tag:alderfinch.example,2026:posts/still-a-draft" not in ids


def test_fields_come_from_the_feed_and_its_chorus_extension():
    entry = {e.id: e for e in parse_feed((FIXTURES / "feed_good.json").read_text())}[
        "tag:alderfinch.example,2026:posts/forklift-week"
    ]
    assert entry.syndicate == ("mastodon", "bluesky", "linkedin")
    assert entry.syndication_text == {"bluesky": "Twelve forklift drivers certified this week 🎉"}
    assert entry.department == "warehouse"
    assert entry.tags == ("safety",)  # the department's label is not a tag
    assert entry.published == dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC)
    assert entry.updated == entry.published
    assert entry.author_name == "Sam Okafor"
    assert entry.image_url is None


def test_a_url_is_read_over_http(static_server):
    site, root = static_server
    text = (FIXTURES / "feed_good.json").read_text()
    (root / "all.json").write_text(text, encoding="utf-8")
    entries = read_feed(f"{site}/all.json", now=lambda: NOW).entries
    assert len(entries) == 3


def test_a_missing_url_is_one_line(static_server):
    site, _ = static_server
    with pytest.raises(SourceError) as caught:
        read_feed(f"{site}/nothing.json")
    assert str(caught.value) == f"{site}/nothing.json: error: cannot fetch the feed: HTTP 404"


@pytest.mark.parametrize(
    ("fixture", "line", "message"),
    [
        ("feed_bad_syntax.json", 5, "the feed is not valid JSON"),
        ("feed_no_chorus.json", 10, "no '_chorus' extension"),
        ("feed_bad_date.json", 4, "date_published 'next tuesday' is not an ISO 8601 date"),
        ("feed_duplicate_id.json", 10, "duplicate item id"),
        ("feed_not_jsonfeed.json", 1, "not a JSON Feed"),
    ],
)
def test_bad_feed_is_one_line_naming_file_and_line(fixture, line, message):
    path = FIXTURES / fixture
    with pytest.raises(SourceError) as caught:
        read_feed(path)
    text = str(caught.value)
    assert text.startswith(f"{path}:{line}: error: "), text
    assert message in text
    assert "\n" not in text


def test_missing_feed_says_to_build_first(tmp_path):
    with pytest.raises(SourceError, match="build the site first"):
        read_feed(tmp_path / "all.json")
