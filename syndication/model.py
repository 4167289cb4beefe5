"""The cross-posting engine's shared vocabulary: what flows from the published feed (source)
through selection and composition to a platform and into the ledger.

Kept in one small module so compose/, platforms/, ledger and runner can be written and
tested apart and still speak the same names (the same names as front matter: `syndicate`,
`syndication_text`, platform keys from core.platforms.NAMES).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class SourceEntry:
    """One entry of the published site feed (JSON Feed `feeds/all.json`, `_chorus` extension),
    read with feedparser/json; nothing here comes from content/."""

    id: str  # stable tag: URI, the ledger key with the platform
    url: str  # absolute permalink: the link back, never cut
    title: str
    summary: str  # plain text
    content_html: str
    published: datetime  # timezone-aware
    updated: datetime
    tags: tuple[str, ...] = ()
    department: str = ""  # department slug
    author_name: str = ""
    author_url: str = ""
    image_url: str | None = None  # absolute
    image_alt: str = ""
    syndicate: tuple[str, ...] = ()  # platform keys; already resolved against department default
    syndication_text: dict[str, str] = field(default_factory=dict)  # platform → text override
    status: str = "published"

    def fingerprint(self, platform: str) -> str:
        """A hash of the words a copy on `platform` is made from: when the author edits
        them, the copy is out of date (a new template or limit is not an edit)."""
        words = [self.url, self.title, self.summary, *self.tags]
        words.append(self.syndication_text.get(platform, ""))
        return hashlib.sha256("\x1f".join(words).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Facet:
    """A Bluesky rich-text facet: byte offsets into the UTF-8 text."""

    byte_start: int
    byte_end: int
    kind: str  # "link" | "tag"
    value: str  # the URI or the tag without '#'


@dataclass(frozen=True)
class Card:
    """Link preview (Bluesky app.bsky.embed.external, Facebook link, LinkedIn article)."""

    url: str
    title: str
    description: str
    image_url: str | None = None


@dataclass(frozen=True)
class Composed:
    """Text ready for one platform, counted the way that platform counts."""

    platform: str
    text: str
    length: int  # in the platform's own unit (graphemes, weighted chars…)
    limit: int
    link: str  # the link back (entry URL)
    facets: tuple[Facet, ...] = ()
    card: Card | None = None
    hashtags: tuple[str, ...] = ()  # CamelCase, without '#'
    truncated: bool = False


@dataclass(frozen=True)
class Posted:
    """Where a copy lives once a platform accepted it."""

    remote_id: str
    url: str


class PlatformError(Exception):
    """Base: the message must never contain a credential (platforms redact before raising).

    `maybe_sent`: the request may have been acted on although we got no success answer
    (a read timeout, a 5xx, an unreadable success body); a resend must look first."""

    maybe_sent: bool = False


class RateLimited(PlatformError):
    """429 (or equivalent): retry no earlier than `reset_at` (epoch seconds)."""

    def __init__(self, message: str, reset_at: float | None = None):
        super().__init__(message)
        self.reset_at = reset_at


class Transient(PlatformError):
    """5xx, timeout, connection error, malformed body: worth retrying with backoff."""

    maybe_sent = True  # unless the request cannot have left (syndication.http says so)


class Permanent(PlatformError):
    """4xx other than 429 (bad request, auth): retrying would not help."""


class AlreadyPosted(PlatformError):
    """The platform says this exact post exists (X's duplicate-content 403)."""

    def __init__(self, message: str, posted: Posted | None = None):
        super().__init__(message)
        self.posted = posted


class Platform(Protocol):
    """One destination. Implementations live in syndication/platforms/<name>.py; those whose
    registry entry says can_edit / can_delete also have `edit` / `delete`."""

    name: str  # a key of core.platforms.NAMES

    def limits(self) -> dict:
        """{'max_characters': int, 'url_length': int, ...}; may ask the server (Mastodon)."""

    def post(self, composed: Composed, entry: SourceEntry, key: str) -> Posted:
        """Send once. `key` is the idempotency key derived from (entry id, platform): Mastodon
        sends it as Idempotency-Key, Bluesky derives the record key from it."""

    def find(self, entry: SourceEntry, key: str) -> Posted | None:
        """Reconcile a pending row after a crash: is this entry already there?"""

    # optional: def edit(self, remote_id: str, composed: Composed) -> Posted
    # optional: def delete(self, remote_id: str) -> None  (a copy gone already is deleted)
