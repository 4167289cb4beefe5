"""Facebook Page feed: `message` up to 63,206 characters (UTF-16 code units, as the
Graph API's JavaScript-era limit counts) and the post's URL in `link`, which Facebook
turns into the article preview; the Card carries it."""

from __future__ import annotations

from syndication.compose.rules import Rules, merged
from syndication.compose.text import utf16_len
from syndication.registry import spec

DEFAULT_LIMITS = dict(spec("facebook").limits)  # the registry is the only list of limits


def rules(limits: dict | None = None) -> Rules:
    got = merged(DEFAULT_LIMITS, limits)
    return Rules(
        platform="facebook",
        limit=int(got["max_characters"]),
        count=utf16_len,
        unit="UTF-16 units",
        card=True,
    )
