"""Threads: 500 characters, at most 5 links, one hashtag.

Meta's text-post reference counts emoji "by their UTF-8 byte length", so a grapheme
cluster with an emoji in it counts as its UTF-8 bytes (👍 = 4, a family = 18, a flag = 8)
and every other cluster as 1. Threads makes only the first hashtag of a post its topic
tag, so one hashtag is kept. Links beyond the fifth are taken out of the body; the link
back is never the one dropped. `link_attachment` (the Card) gives the preview.
"""

from __future__ import annotations

from syndication.compose.rules import Rules, merged
from syndication.compose.text import graphemes, is_emoji, utf8_len
from syndication.registry import spec

DEFAULT_LIMITS = dict(spec("threads").limits)  # the registry is the only list of limits


def count(text: str) -> int:
    return sum(utf8_len(c) if is_emoji(c) else 1 for c in graphemes(text))


def rules(limits: dict | None = None) -> Rules:
    got = merged(DEFAULT_LIMITS, limits)
    return Rules(
        platform="threads",
        limit=int(got["max_characters"]),
        count=count,
        unit="characters (emoji as UTF-8 bytes)",
        max_links=int(got["max_links"]),
        max_hashtags=int(got["max_hashtags"]),
        card=True,
    )
