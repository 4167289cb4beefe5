"""LinkedIn Posts API `commentary` is "little" text: \\ | { } @ [ ] ( ) < > # * _ ~ are
reserved and, unescaped, LinkedIn silently cuts the post at the first one. So every
character of the text — URLs included, since a `_` or `(` in a URL cuts just the same — is
backslash-escaped, and the hashtags are real hashtags through the documented
HashtagTemplate `{hashtag|\\#|Name}` (an escaped `\\#Name` would show as plain text).

The 3,000 limit is counted on what is sent (escapes and templates included) in UTF-16
code units, as LinkedIn's web composer counts: an upper bound of what readers see, so a
post that passes here is never refused or cut there.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from syndication.compose.rules import Rules, Segment, merged
from syndication.compose.text import utf16_len
from syndication.registry import spec

DEFAULT_LIMITS = dict(spec("linkedin").limits)  # the registry is the only list of limits
RESERVED = regex.compile(r"([\\|{}@\[\]()<>#*_~])")


def escape(text: str) -> str:
    return RESERVED.sub(r"\\\1", text)


def hashtag(name: str) -> str:
    return "{hashtag|\\#|" + name + "}"


def encode(segments: Sequence[Segment]) -> str:
    out = []
    for segment in segments:
        if segment.kind == "tags":
            out.append(" ".join(hashtag(tag) for tag in segment.tags))
        else:
            out.append(escape(segment.value))
    return "".join(out)


def rules(limits: dict | None = None) -> Rules:
    got = merged(DEFAULT_LIMITS, limits)
    return Rules(
        platform="linkedin",
        limit=int(got["max_characters"]),
        count=utf16_len,
        unit="UTF-16 units",
        encode=encode,
        card=True,
    )
