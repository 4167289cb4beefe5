"""Duplicates across sources: by normalised link, by id, by title on the same day."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversations.listening.dedupe import dedupe, normalise_url
from plugins.listening.parse import parse_feed

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "listening"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.test/x/?utm_source=rss&utm_medium=feed", "https://a.test/x"),
        ("HTTPS://A.TEST:443/x#frag", "https://a.test/x"),
        ("http://a.test:8080/x/?id=3&utm_campaign=c", "http://a.test:8080/x?id=3"),
        ("https://a.test/X?b=2&a=1", "https://a.test/X?b=2&a=1"),  # path case, order kept
        ("https://a.test/?fbclid=abc", "https://a.test"),
    ],
)
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected


def test_aggregator_copies_are_dropped_and_the_first_source_wins():
    first = parse_feed((FIXTURES / "rss2.xml").read_bytes(), "Trade").entries
    second = parse_feed((FIXTURES / "dupes.xml").read_bytes(), "Aggregator").entries
    kept = dedupe([*first, *second])
    assert [(e.source, e.id) for e in kept] == [
        ("Trade", "trade-1"),
        ("Trade", "trade-2"),
        ("Trade", "trade-3"),
        ("Aggregator", "agg-4"),  # same title a year earlier: another story
    ]
    assert len({e.id for e in kept}) == len(kept)
