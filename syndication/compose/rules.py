"""What compose needs to know about one platform: its unit, its limit, how its text is
encoded, and what it adds (card, facets). Each platform module builds one from the
limits the platform reports (Mastodon: the instance's own numbers)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    """A piece of a draft. `link` and `tags` are atomic: never cut, only kept or dropped."""

    kind: str  # "text" | "link" | "tags"
    value: str = ""  # the text, or the URL
    tags: tuple[str, ...] = ()  # for "tags": hashtag bodies without '#'


def plain(segments: Sequence[Segment]) -> str:
    return "".join(render_segment(s) for s in segments)


def render_segment(segment: Segment) -> str:
    if segment.kind == "tags":
        return " ".join(f"#{tag}" for tag in segment.tags)
    return segment.value


def always(text: str) -> bool:
    return True


@dataclass(frozen=True)
class Rules:
    platform: str
    limit: int
    count: Callable[[str], int]  # applied to the encoded text, exactly what is sent
    unit: str = "characters"
    encode: Callable[[Sequence[Segment]], str] = plain
    ok: Callable[[str], bool] = always  # a second hard limit (Bluesky's 3,000 bytes)
    max_links: int | None = None  # links in the text, the link back included
    max_hashtags: int | None = None
    card: bool = False
    facets: bool = False
    tag_ok: Callable[[str], bool] = always  # a hashtag (without '#') the platform accepts
    card_title: int | None = None  # graphemes of a card's title, cut beyond
    card_description: int | None = None


def merged(defaults: dict, limits: dict | None) -> dict:
    """Platform-reported limits over the defaults; a None from the platform means 'not
    reported', not 'no limit'."""
    out = dict(defaults)
    for key, value in (limits or {}).items():
        if value is not None:
            out[key] = value
    return out
