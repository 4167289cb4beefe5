"""Platform listening: the watch terms searched on a platform's API and its hashtag
timelines read, as the same Entries a feed gives (plugins/listening/parse.py), so they are
deduplicated, matched and routed to departments exactly like the feed sources.

A platform is one module here named after it (`mastodon.py`), with

    def read(source: PlatformSource, queries: list[str], client: httpx.Client,
             timeout: float) -> list[Entry]

raising `syndication.model.PlatformError` (what syndication.http.Api raises) or
`Unreadable` (below) with a one-line reason; conversations/listening/platform_read.py runs them.
`platform: <module name>` in listening.yaml's `platforms:` then works; nothing else is
registered anywhere (`bluesky.py` searches with app.bsky.feed.searchPosts).
"""

from __future__ import annotations

import datetime as dt
import pkgutil


class Unreadable(Exception):
    """A platform source that cannot be read as configured (no instance, no token...)."""


def published_at(stamp: object) -> str | None:
    """A platform's time as the listening snapshot's (ISO 8601 UTC, +00:00); None when
    it cannot be read (the entry is then undated, as a feed's can be)."""
    try:
        moment = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def available() -> tuple[str, ...]:
    """The platforms with a reader module here."""
    names = (m.name for m in pkgutil.iter_modules(__path__))
    return tuple(sorted(n for n in names if not n.startswith("_")))
