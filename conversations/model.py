"""One response to one of our copies: a reply, a like, a repost or a quote.

Only what the page and the inbox need is kept (no e-mail, no follower counts, no avatar
URL: the page shows initials, so it never makes a request to another host).
"""

from __future__ import annotations

from dataclasses import dataclass

from syndication.model import Permanent

KINDS = ("reply", "like", "repost", "quote")
OPT_OUT_TAGS = ("#nobridge", "#nobot", "#nobackfeed")


@dataclass(frozen=True)
class Author:
    handle: str
    name: str
    url: str
    opted_out: bool = False


@dataclass(frozen=True)
class Response:
    platform: str
    copy_id: str  # our copy's id on the platform
    response_id: str  # a reply's status id; for likes/reposts "<kind>:<account id>"
    kind: str
    author: Author
    text: str = ""  # sanitized HTML (replies and quotes)
    url: str = ""
    published: str = ""
    updated: str = ""
    parent_id: str = ""  # the status it answers; our copy's id for a direct reply


def opted_out(profile_text: str) -> bool:
    """A profile that says #nobridge, #nobot or #nobackfeed: never stored."""
    lowered = (profile_text or "").lower()
    return any(tag in lowered for tag in OPT_OUT_TAGS)


class CopyGone(Permanent):
    """Our copy is no longer on the platform, said by a platform that does not answer
    404/410 for it (Bluesky: 400 NotFound). Marked gone once, never asked again."""
