"""Mastodon counts like its server's StatusLengthValidator: grapheme clusters, every URL
its extractor recognises (syndication.compose.urls: a known TLD, ended where Mastodon
ends it) as `characters_reserved_per_url` (23) whatever its length, and a remote mention
`@name@server` as `@name`. The text sent has a space wherever a URL would otherwise run
on into CJK text, so the link and the count are the ones the author meant. Both numbers
come from the instance (/api/v2/instance configuration.statuses), because instances raise
max_characters (500 is the default)."""

from __future__ import annotations

from collections.abc import Sequence

import regex

from syndication.compose import urls
from syndication.compose.rules import Rules, Segment, merged, plain
from syndication.compose.text import grapheme_len
from syndication.registry import spec

DEFAULT_LIMITS = dict(spec("mastodon").limits)  # the registry is the only list of limits
REMOTE_MENTION = regex.compile(r"(?<![/\w])@(\w+)@[\w.-]+\w", regex.IGNORECASE)


def count(text: str, url_length: int = 23) -> int:
    countable = urls.replace(text, "x" * url_length)
    countable = REMOTE_MENTION.sub(lambda m: "@" + m.group(1), countable)
    return grapheme_len(countable)


def encode(segments: Sequence[Segment]) -> str:
    return urls.separate_urls(plain(segments))


def rules(limits: dict | None = None) -> Rules:
    got = merged(DEFAULT_LIMITS, limits)
    url_length = int(got["url_length"])
    return Rules(
        platform="mastodon",
        limit=int(got["max_characters"]),
        count=lambda text: count(text, url_length),
        unit="graphemes",
        encode=encode,
    )
