"""Platform listening: the watch terms searched on a platform's API and its hashtag
timelines read, as the same Entries a feed gives (plugins/listening/parse.py), so they are
deduplicated, matched and routed to departments exactly like the feed sources.

A platform is one module here named after it (`mastodon.py`), with

    def read(source: PlatformSource, queries: list[str], client: httpx.Client,
             timeout: float) -> list[Entry]

raising `syndication.model.PlatformError` (what syndication.http.Api raises) or
`Unreadable` with a one-line reason. `platform: <module name>` in listening.yaml's
`platforms:` then works; nothing else is registered anywhere (`bluesky.py` searches with
app.bsky.feed.searchPosts).
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from dataclasses import dataclass, field

import httpx

from plugins.listening.dedupe import dedupe
from plugins.listening.parse import MAX_ENTRIES, Entry
from plugins.listening.sources import PlatformSource, Term
from plugins.problems import one_line
from syndication.credentials import redact
from syndication.model import PlatformError


class Unreadable(Exception):
    """A platform source that cannot be read as configured (no instance, no token...)."""


@dataclass(frozen=True)
class Heard:
    source: PlatformSource
    status: str  # "ok" | "error", as a feed source's
    entries: list[Entry] = field(default_factory=list)
    error: str | None = None


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


def queries(terms: list[Term]) -> list[str]:
    """Every spelling of every watch term, once (case-insensitively), in listening.yaml's
    order: what a platform's search is asked."""
    seen: dict[str, str] = {}
    for term in terms:
        for alias in term.aliases:
            seen.setdefault(alias.casefold(), alias)
    return list(seen.values())


def read_all(
    sources: list[PlatformSource], terms: list[Term], client: httpx.Client, timeout: float
) -> list[Heard]:
    """One Heard per source, in order; one source's failure is its one-line error."""
    asked = queries(terms)
    out = []
    for source in sources:
        reader = importlib.import_module(f"{__name__}.{source.platform}")
        try:
            entries = reader.read(source, asked, client, source.timeout or timeout)
        except (PlatformError, Unreadable) as exc:
            out.append(Heard(source, "error", error=one_line(redact(str(exc)))))
            continue
        out.append(Heard(source, "ok", dedupe(entries)[:MAX_ENTRIES]))
    return out
