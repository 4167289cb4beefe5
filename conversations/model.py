"""One response to one of our copies: a reply, a like, a repost or a quote.

Only what the page and the inbox need is kept (no e-mail, no follower counts, no avatar
URL: the page shows initials, so it never makes a request to another host).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from plugins.listening.clean import clean_summary
from syndication.model import Permanent

KINDS = ("reply", "like", "repost", "quote")


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
    count: int = 1
    """Likes/reposts a platform gives only as a total (Threads' insights, Facebook's
    reactions summary): one row, response_id "<kind>:total", no author, the total here."""


def plain_html(text: str) -> str:
    """A platform's plain-text reply (Threads, Facebook, LinkedIn, X) as the same sanitised
    HTML a Mastodon reply becomes: escaped first, so a reply that *says* <script> shows it
    as text; blank lines become paragraphs."""
    paragraphs = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    body = "".join(
        f"<p>{html.escape(p, quote=False).replace(chr(10), '<br>')}</p>" for p in paragraphs if p
    )
    return clean_summary(body)


def utc(stamp: object) -> str:
    """A platform's time (Graph's +0000, X's .000Z) as ISO 8601 UTC with Z, the one form
    the store sorts and the page shows; "" for anything unreadable."""
    try:
        when = dt.datetime.fromisoformat(str(stamp or "").replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class CopyGone(Permanent):
    """Our copy is no longer on the platform, said by a platform that does not answer
    404/410 for it (X: 200 with an `errors` list; Bluesky: 400 NotFound; Threads and
    Facebook: Graph error 100/33). Marked gone once, never asked again."""
