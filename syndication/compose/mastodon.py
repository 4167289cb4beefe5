"""Mastodon counts like its server's StatusLengthValidator: grapheme clusters, every
http(s) URL as `characters_reserved_per_url` (23) whatever its length, and a remote
mention `@name@server` as `@name`. Both numbers come from the instance (/api/v2/instance
configuration.statuses), because instances raise max_characters (500 is the default)."""

from __future__ import annotations

import regex

from syndication.compose.rules import Rules, merged
from syndication.compose.text import grapheme_len

DEFAULT_LIMITS = {"max_characters": 500, "url_length": 23}
URL = regex.compile(r"https?://[^\s<>\"]+?(?=[.,:;!?)\]'\"…]*(?:\s|$))", regex.IGNORECASE)
REMOTE_MENTION = regex.compile(r"(?<![/\w])@(\w+)@[\w.-]+\w", regex.IGNORECASE)


def count(text: str, url_length: int = 23) -> int:
    countable = URL.sub("x" * url_length, text)
    countable = REMOTE_MENTION.sub(lambda m: "@" + m.group(1), countable)
    return grapheme_len(countable)


def rules(limits: dict | None = None) -> Rules:
    got = merged(DEFAULT_LIMITS, limits)
    url_length = int(got["url_length"])
    return Rules(
        platform="mastodon",
        limit=int(got["max_characters"]),
        count=lambda text: count(text, url_length),
        unit="graphemes",
    )
