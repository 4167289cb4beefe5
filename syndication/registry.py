"""The platforms, each described once: credentials, limits, pacing, default template,
how its text is composed, which client posts it, and what that client can do.

This is the only table of platforms in the engine (the way plugins/guidelines/kinds is the
only list of rule kinds): credentials, compose, the CLI and the runner all read a
PlatformSpec from here instead of keeping their own dictionaries that drift apart. Names
and labels come from core.platforms so the site build shares them without importing this.

Modules are named, not imported: a dry run never loads an HTTP client, and a platform's
client only loads when a live run needs it.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from core.platforms import LABELS, NAMES

DEFAULT_TEMPLATE = "{{ title }}\n\n{{ summary }}\n\n{{ hashtags }}\n\n{{ url }}"


@dataclass(frozen=True)
class PlatformSpec:
    """Everything the engine knows about one platform."""

    name: str
    """The key in front matter, the ledger and the links file (core.platforms.NAMES)."""
    required: tuple[str, ...]
    """Environment variables without which the platform is switched off."""
    optional: tuple[str, ...] = ()
    """Variables used when present (account ids for look-ups, API versions, base URLs that
    tests or a proxy point elsewhere)."""
    secret: frozenset[str] = frozenset()
    """Variables whose values are masked in every line printed or logged."""
    limits: Mapping[str, int | None] = field(default_factory=dict)
    """Defaults for what the platform may report itself (Mastodon's instance does):
    max_characters, url_length, max_links, max_hashtags, max_bytes; Bluesky's
    max_tag_graphemes / max_tag_bytes (one hashtag) and card_title / card_description
    (graphemes of a link card's title and description, cut beyond)."""
    min_interval: float = 1.0
    """Seconds kept between two posts to this platform within a run."""
    template: str = DEFAULT_TEMPLATE
    """The text template when SYNDICATION_TEMPLATES does not name the platform."""
    compose: str = ""
    """Module under syndication.compose whose rules(limits) says how text is counted."""
    client: str = ""
    """Module under syndication.platforms defining the client class (its `name` matches)."""
    idempotency: str = "look-up"
    """How a resend is kept from doubling: "key" (the server replays an Idempotency-Key),
    "record key" (a deterministic id the server refuses twice), "duplicate check" (the
    server refuses the same text twice), "look-up" (only by finding our own post), or
    "none" (the platform cannot be read back)."""
    look_first: bool = False
    """Look for the entry on the platform before its first send too. For platforms whose
    only protection is a look-up: a first send may be a resend after a crashed run whose
    ledger rows were lost with the runner (a CI cache is saved only by a runner alive)."""
    can_edit: bool = False
    """An edited post's copy can be updated in place."""
    can_delete: bool = False
    """A retracted post's copy can be deleted through the API."""
    reader: str = ""
    """Module under conversations that reads the responses to our copies: its
    connect(credentials) gives an Api (None when the platform's reads are off),
    fetch(api, copy_id) the responses, and an optional signature(api, copy_id) one cheap
    request that says whether anything changed. Empty: responses are not read."""

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def variables(self) -> tuple[str, ...]:
        return self.required + self.optional

    def client_class(self) -> type:
        module = importlib.import_module(f"syndication.platforms.{self.client}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and getattr(value, "name", None) == self.name
            ):
                return value
        raise LookupError(f"{module.__name__} defines no class with name = {self.name!r}")

    def reader_module(self):
        return importlib.import_module(f"conversations.{self.reader}") if self.reader else None


_SPECS = (
    PlatformSpec(
        name="linkedin",
        required=("CHORUS_LINKEDIN_TOKEN", "CHORUS_LINKEDIN_AUTHOR"),
        optional=("CHORUS_LINKEDIN_VERSION", "CHORUS_LINKEDIN_API_URL"),
        secret=frozenset({"CHORUS_LINKEDIN_TOKEN"}),
        limits={"max_characters": 3000},
        compose="linkedin",
        client="linkedin",
        look_first=True,
        reader="linkedin",
        can_delete=True,
    ),
    PlatformSpec(
        name="facebook",
        required=("CHORUS_FACEBOOK_PAGE_ID", "CHORUS_FACEBOOK_TOKEN"),
        optional=("CHORUS_FACEBOOK_API_URL",),
        secret=frozenset({"CHORUS_FACEBOOK_TOKEN"}),
        limits={"max_characters": 63206},
        compose="facebook",
        client="facebook",
        look_first=True,
        reader="facebook",
        can_delete=True,
    ),
    PlatformSpec(
        name="x",
        required=("CHORUS_X_TOKEN",),
        # CHORUS_X_READS=1 switches on reading responses: X bills every post read
        optional=("CHORUS_X_USER_ID", "CHORUS_X_API_URL", "CHORUS_X_READS"),
        secret=frozenset({"CHORUS_X_TOKEN"}),
        limits={"max_characters": 280, "url_length": 23},
        compose="x",
        client="x",
        # reads are paid on X; its duplicate-content refusal already catches a resend
        idempotency="duplicate check",
        reader="x",
        can_delete=True,
    ),
    PlatformSpec(
        name="mastodon",
        required=("CHORUS_MASTODON_URL", "CHORUS_MASTODON_TOKEN"),
        secret=frozenset({"CHORUS_MASTODON_TOKEN"}),
        limits={"max_characters": 500, "url_length": 23},
        compose="mastodon",
        client="mastodon",
        # the server replays an Idempotency-Key for about an hour, which covers the next
        # scheduled run after a crash; a look-up before every first send would cost up to
        # three timeline pages per post (measured: 3× the time of the post itself)
        idempotency="key",
        reader="mastodon",
        can_edit=True,
        can_delete=True,
    ),
    PlatformSpec(
        name="bluesky",
        required=("CHORUS_BLUESKY_PDS", "CHORUS_BLUESKY_HANDLE", "CHORUS_BLUESKY_APP_PASSWORD"),
        optional=("CHORUS_BLUESKY_APPVIEW_URL",),
        secret=frozenset({"CHORUS_BLUESKY_APP_PASSWORD"}),
        limits={
            # app.bsky.feed.post text: maxGraphemes 300, maxLength 3000 (UTF-8 bytes)
            "max_characters": 300,
            "max_bytes": 3000,
            # app.bsky.richtext.facet#tag: maxGraphemes 64, maxLength 640; one longer tag
            # facet and the PDS refuses the whole post
            "max_tag_graphemes": 64,
            "max_tag_bytes": 640,
            # app.bsky.embed.external sets no maximum for a card's title and description,
            # but the PDS takes at most 150 KiB of JSON per request (jsonLimit in
            # @atproto/pds) and answers 413 past it. 300 and 1,000 graphemes are more
            # than the app shows (two lines of title, three of description) and, even at
            # the longest clusters, leave the request far under the limit.
            "card_title": 300,
            "card_description": 1000,
        },
        compose="bluesky",
        client="bluesky",
        idempotency="record key",
        reader="bluesky",
        can_delete=True,
    ),
    PlatformSpec(
        name="threads",
        required=("CHORUS_THREADS_USER_ID", "CHORUS_THREADS_TOKEN"),
        optional=("CHORUS_THREADS_API_URL",),
        secret=frozenset({"CHORUS_THREADS_TOKEN"}),
        limits={"max_characters": 500, "max_links": 5, "max_hashtags": 1},
        min_interval=2.0,
        compose="threads",
        client="threads",
        look_first=True,
        reader="threads",
    ),
    PlatformSpec(
        name="internal",
        # whoever has a Slack-style webhook URL can post to the channel
        required=("CHORUS_WEBHOOK_URL",),
        optional=("CHORUS_WEBHOOK_CHANNEL_URL",),
        secret=frozenset({"CHORUS_WEBHOOK_URL"}),
        limits={"max_characters": 3000},
        template=(
            # the channel already shows who posted the webhook; say who wrote the post
            "{% if author_name %}{{ author_name }}{% if department %} ({{ department }})"
            "{% endif %}: {% endif %}{{ title }}\n\n{{ summary }}\n\n{{ url }}"
        ),
        compose="internal",
        client="internal",
        idempotency="none",
    ),
)

SPECS: Mapping[str, PlatformSpec] = MappingProxyType({spec.name: spec for spec in _SPECS})
assert tuple(sorted(SPECS)) == tuple(sorted(NAMES)), "core.platforms.NAMES and SPECS differ"


class UnknownPlatform(LookupError):
    """A name that is not in core.platforms.NAMES."""


def spec(name: str) -> PlatformSpec:
    try:
        return SPECS[name]
    except KeyError:
        raise UnknownPlatform(f"unknown platform {name!r} (known: {', '.join(NAMES)})") from None
