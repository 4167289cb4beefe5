"""Bluesky: 300 grapheme clusters (app.bsky.feed.post text maxGraphemes) and 3,000 UTF-8
bytes (maxLength). A URL counts in full: the text shows what the facet links to.

Nothing in the text is a link or a hashtag unless a facet says so, with UTF-8 byte
offsets; layout.facets() computes them from the final text. The link card
(app.bsky.embed.external) is filled here; the platform module uploads the image blob.
"""

from __future__ import annotations

from syndication.compose.rules import Rules, merged
from syndication.compose.text import grapheme_len, utf8_len

DEFAULT_LIMITS = {"max_characters": 300, "max_bytes": 3000}


def rules(limits: dict | None = None) -> Rules:
    got = merged(DEFAULT_LIMITS, limits)
    max_bytes = int(got["max_bytes"])
    return Rules(
        platform="bluesky",
        limit=int(got["max_characters"]),
        count=grapheme_len,
        unit="graphemes",
        ok=lambda text: utf8_len(text) <= max_bytes,
        card=True,
        facets=True,
    )
