"""Bluesky: 300 grapheme clusters (app.bsky.feed.post text maxGraphemes) and 3,000 UTF-8
bytes (maxLength). A URL counts in full: the text shows what the facet links to.

Nothing in the text is a link or a hashtag unless a facet says so, with UTF-8 byte
offsets; layout.facets() computes them from the final text. A hashtag longer than a tag
facet may be (64 graphemes, 640 bytes) is never sent: the PDS would refuse the whole post.
The link card (app.bsky.embed.external) is filled in compose, its title and description
cut to the registry's bounds; the platform module uploads the image blob.
"""

from __future__ import annotations

from syndication.compose.rules import Rules, merged
from syndication.compose.text import grapheme_len, utf8_len
from syndication.registry import spec

DEFAULT_LIMITS = dict(spec("bluesky").limits)


def rules(limits: dict | None = None) -> Rules:
    got = merged(DEFAULT_LIMITS, limits)
    max_bytes = int(got["max_bytes"])
    tag_graphemes, tag_bytes = int(got["max_tag_graphemes"]), int(got["max_tag_bytes"])
    return Rules(
        platform="bluesky",
        limit=int(got["max_characters"]),
        count=grapheme_len,
        unit="graphemes",
        ok=lambda text: utf8_len(text) <= max_bytes,
        card=True,
        facets=True,
        tag_ok=lambda tag: grapheme_len(tag) <= tag_graphemes and utf8_len(tag) <= tag_bytes,
        card_title=int(got["card_title"]),
        card_description=int(got["card_description"]),
    )
