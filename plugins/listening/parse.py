"""Feed bytes → normalised entries, with feedparser (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, …).

feedparser is lenient on purpose: it sets `bozo` for a feed that is not well-formed and
still returns what it could read. We follow it: a bozo feed that yields entries is used,
one that yields none is reported ("not a feed: …") and skipped. Nothing here raises for
anything a source sends.

Every entry comes out in one shape (`Entry`), whatever its format said: an id, a plain-text
title, an absolute http(s) URL or None, a UTC publication time or None, and summary HTML
already through clean.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from dataclasses import asdict, dataclass

import feedparser

from core.text import html_to_text
from plugins.listening.clean import clean_summary, clean_title, safe_url
from plugins.problems import one_line

MAX_ENTRIES = 200  # per source and run: a digest, not an archive


@dataclass(frozen=True)
class Entry:
    """One item of a source, as the snapshot, the page and the digest feed all see it."""

    id: str
    title: str
    url: str | None
    source: str  # the source's name in listening.yaml
    published: str | None  # ISO 8601, UTC
    summary_html: str

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Entry:
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Parsed:
    entries: list[Entry]
    error: str | None = None  # set when the source yielded nothing usable


def parse_feed(body: bytes, source: str, url: str = "") -> Parsed:
    """Parse one response body. `url` (after redirects) resolves relative links."""
    headers = {"content-location": url} if url.startswith(("http://", "https://")) else {}
    try:
        feed = feedparser.parse(body, response_headers=headers, sanitize_html=True)
    except Exception as exc:  # feedparser is not supposed to raise; a source must never crash us
        return Parsed([], one_line(f"not a feed: {type(exc).__name__}: {exc}"))
    if not feed.entries:
        if feed.get("bozo"):
            reason = feed.get("bozo_exception")
            why = f"{type(reason).__name__}: {reason}" if reason else "not well-formed"
            return Parsed([], one_line(f"not a feed: {why}"))
        if not feed.get("version"):
            return Parsed([], "not a feed: no RSS or Atom found")
        return Parsed([])  # a real feed with nothing in it
    entries = [normalise(e, source) for e in feed.entries[:MAX_ENTRIES]]
    return Parsed(entries)


def normalise(raw: dict, source: str) -> Entry:
    title = clean_title(raw.get("title", ""))
    link = safe_url(raw.get("link"))
    published = _when(raw.get("published_parsed") or raw.get("updated_parsed"))
    summary = raw.get("summary") or ""
    if not summary and raw.get("content"):
        summary = raw["content"][0].get("value", "")
    summary_html = clean_summary(summary)
    if not title:
        title = first_words(summary_html) or "(untitled)"
    entry_id = str(raw.get("id") or "").strip() or link or _fingerprint(source, title, published)
    return Entry(one_line(entry_id)[:500], title, link, source, published, summary_html)


def _when(parsed) -> str | None:
    """feedparser gives a UTC struct_time; nonsense dates (year 0, far future) become None."""
    if not parsed:
        return None
    try:
        moment = dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC)
    except (OverflowError, ValueError, OSError):
        return None
    return moment.isoformat(timespec="seconds")


def first_words(summary_html: str) -> str:
    words = html_to_text(summary_html).split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


def _fingerprint(source: str, title: str, published: str | None) -> str:
    digest = hashlib.sha256(f"{source}\n{title}\n{published}".encode()).hexdigest()[:16]
    return f"urn:chorus-listening:{digest}"
