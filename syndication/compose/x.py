"""X counts with twitter-text v3 (the library X's own clients use): most Latin, Greek,
Cyrillic, Hebrew and Arabic code points weigh 1, CJK and emoji weigh 2 (an emoji ZWJ
sequence or flag counts once), text is NFC-normalized first, and every URL twitter-text
recognises weighs 23 (`transformed_url_length`) whatever its length."""

from __future__ import annotations

import copy
import warnings

from syndication.compose.rules import Rules, merged
from syndication.registry import spec

with warnings.catch_warnings():
    # twitter-text-parser imports pkg_resources, which warns on import; nothing to fix here.
    warnings.simplefilter("ignore")
    from twitter_text import parse_tweet
    from twitter_text.config import config as _twitter_config
    from twitter_text.has_invalid_characters import has_invalid_characters

DEFAULT_LIMITS = dict(spec("x").limits)  # the registry is the only list of limits


def count(text: str, options: dict | None = None) -> int:
    result = parse_tweet(text, options or _twitter_config["defaults"])
    return result.weightedLength


def valid(text: str) -> bool:
    """twitter-text refuses some code points (BOM, U+FFFE…) at any length."""
    return not has_invalid_characters(text)


def rules(limits: dict | None = None) -> Rules:
    got = merged(DEFAULT_LIMITS, limits)
    options = copy.deepcopy(_twitter_config["defaults"])
    options["max_weighted_tweet_length"] = int(got["max_characters"])
    options["transformed_url_length"] = int(got["url_length"])
    return Rules(
        platform="x",
        limit=int(got["max_characters"]),
        count=lambda text: count(text, options),
        unit="weighted characters",
        ok=valid,
    )
