"""Bluesky's own rich-text detection, ported: where the Bluesky app finds links and #tags.

From bluesky-social/atproto packages/api/src/rich-text/util.ts (URL_REGEX, TAG_REGEX,
TRAILING_PUNCTUATION_REGEX) and detection.ts (detectFacets), commit recorded in
tests/fixtures/compose/conformance/atproto/README.md, whose detection tests we run. Ported
rather than approximated so a post's facets end where Bluesky's would: a URL keeps a
closing parenthesis when it has an opening one (`…/Primer_(film)`), loses one trailing
`.,;:!?`; a tag loses its trailing punctuation and is no tag past 64 graphemes.

One deliberate difference: a URL ends before CJK text or full-width punctuation
(`https://example.com/x/をご覧ください`), and may start right after them (`詳しくは
https://…`, `（https://…）`, written without spaces). atproto's `https?://\\S+` would link
the Japanese words as part of the path, i.e. to a page that does not exist, and finds no URL
at all that follows Japanese text without a space; a URL never contains them unencoded.

Not ported: mentions (they need a handle → DID look-up), cashtags, and bare domains
(`example.com` without a scheme; atproto checks them against the IANA TLD list): posts we
compose link only what has a scheme, as every other platform here does.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from syndication.compose.text import grapheme_len, utf8_len
from syndication.compose.urls import RUN_ON_CHARS
from syndication.registry import spec

# app.bsky.richtext.facet#tag: maxGraphemes and maxLength (bytes), kept in the registry
MAX_TAG_GRAPHEMES = int(spec("bluesky").limits["max_tag_graphemes"])
MAX_TAG_BYTES = int(spec("bluesky").limits["max_tag_bytes"])

# Where a URL stops although no space follows: the characters compose/urls.py names for
# Mastodon (CJK scripts, CJK / full-width punctuation, closing bidirectional marks).
CJK = RUN_ON_CHARS
# URL_REGEX's scheme branch, `(^|\s|\()(https?:\/\/[\S]+)` with flags gim.
URL = regex.compile(rf"(?<![^\s({CJK}])https?://[^\s{CJK}]+", regex.IGNORECASE)
# TAG_REGEX, `(^|\s)[#＃]((?!\ufe0f)[^\s…]*[^\d\s\p{P}…]+[^\s…]*)?` with flag u: in
# JavaScript `\d` is ASCII digits only.
_NOT_IN_TAG = r"\s\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
TAG = regex.compile(
    rf"(?<!\S)[#＃]((?!\ufe0f)[^{_NOT_IN_TAG}]*[^0-9\p{{P}}{_NOT_IN_TAG}]+"
    rf"[^{_NOT_IN_TAG}]*)?"
)
TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")


@dataclass(frozen=True)
class Span:
    """A facet found in text: code point offsets, and what it links to."""

    start: int
    end: int
    kind: str  # "link" | "tag"
    value: str  # the URI, or the tag without '#'


def tag_fits(tag: str) -> bool:
    """Whether Bluesky accepts `tag` (without '#') in a tag facet: a longer one makes the
    PDS refuse the whole post."""
    return 0 < grapheme_len(tag) <= MAX_TAG_GRAPHEMES and utf8_len(tag) <= MAX_TAG_BYTES


def links(text: str) -> list[Span]:
    out = []
    for match in URL.finditer(text):
        uri, end = match[0], match.end()
        if uri[-1] in ".,;:!?":
            uri, end = uri[:-1], end - 1
        if uri.endswith(")") and "(" not in uri:
            uri, end = uri[:-1], end - 1
        out.append(Span(match.start(), end, "link", uri))
    return out


def tags(text: str) -> list[Span]:
    out = []
    for match in TAG.finditer(text):
        tag = match[1]
        if not tag:
            continue
        tag = TRAILING_PUNCTUATION.sub("", tag.strip())
        if not tag_fits(tag):  # atproto checks only the graphemes; the PDS both
            continue
        start = match.start()
        out.append(Span(start, start + 1 + len(tag), "tag", tag))
    return out


def detect(text: str) -> list[Span]:
    """Links, then tags, as atproto's detectFacets orders them (a tag inside a URL, as in
    `https://a.example/#part`, is not matched: no space precedes its '#')."""
    return links(text) + tags(text)
