"""Fitting a draft into a platform's limit.

A draft is one string in which the link back and the hashtag line are single private-use
marks, so they are atomic by construction: the body around them is cut at a word
boundary (grapheme clusters, never inside one) with an ellipsis, the marks are never cut.
Every candidate is measured by encoding it exactly as it will be sent and counting it with
the platform's own counter, so Composed.length is what the platform will count.

Order of sacrifice: the link back is never dropped; the body is cut first; hashtags are
added before the cut, but dropped from the end when keeping them would not leave room for
the first line (the title): a title says what the post is, a hashtag only helps find it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

from syndication.compose import richtext
from syndication.compose.rules import Rules, Segment
from syndication.compose.text import clean, cut, cut_points, graphemes
from syndication.compose.urls import RUN_ON_CHARS
from syndication.model import Facet

LINK = "\ue000"
TAGS = "\ue001"
MARKS = regex.compile(f"[{LINK}{TAGS}]")
TRAILER = regex.compile(rf"[\s{LINK}{TAGS}]*$")
URL = regex.compile(r"https?://[^\s<>\"\ue000\ue001]+?(?=[.,:;!?)\]'\"…]*(?:[\s\ue000\ue001]|$))")


class ComposeError(ValueError):
    """The post cannot be made to fit (or a template is broken); the message is one line."""


@dataclass(frozen=True)
class Draft:
    body: str  # marked text that may be cut
    trailer: str  # marks and the whitespace between them, at the end: never cut
    url: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Fitted:
    segments: tuple[Segment, ...]
    text: str  # encoded: what is sent
    length: int
    hashtags: tuple[str, ...]
    truncated: bool


def unmark(text: str) -> str:
    """Entry fields may not smuggle marks in."""
    return MARKS.sub("", text)


def mark_link(text: str, url: str) -> str:
    """An override that already contains the link back keeps it where the author put it,
    also when CJK text is next to it without a space (Japanese and Chinese use none)."""
    around = rf"\s{RUN_ON_CHARS}"
    return regex.sub(rf"(?<![^{around}]){regex.escape(url)}(?=[{around}.,;:!?)…]|$)", LINK, text)


def draft(marked: str, url: str, tags: tuple[str, ...]) -> Draft:
    marked = clean(marked)
    if LINK not in marked:
        marked = f"{marked}\n\n{LINK}" if marked else LINK
    split = TRAILER.search(marked).start()
    body, trailer = marked[:split], marked[split:]
    return Draft(body=body, trailer=trailer, url=url, tags=tags if TAGS in marked else ())


def limit_links(d: Draft, max_links: int | None) -> Draft:
    """Take links out of the body, last first, until at most `max_links` remain; the link
    back (a mark) is never one of them."""
    if max_links is None:
        return d
    body = d.body
    marks = (body + d.trailer).count(LINK)
    found = list(URL.finditer(body))
    while found and marks + len(found) > max_links:
        last = found.pop()
        body = body[: last.start()] + body[last.end() :]
    if body != d.body:
        body = regex.sub(r"[ \t]{2,}", " ", body)
        body = regex.sub(r"[ \t]+(?=[\n.,;:!?]|$)", "", body)
    return Draft(body=body, trailer=d.trailer, url=d.url, tags=d.tags)


def assemble(body: str, trailer: str, tags_kept: int) -> str:
    marked = body + trailer
    if LINK not in marked:
        marked = f"{marked.rstrip()}\n\n{LINK}"
    if tags_kept == 0 and TAGS in marked:
        marked = regex.sub(rf"(?<=[^\s])[ \t]*{TAGS}[ \t]*(?=[^\s])", " ", marked)
        marked = regex.sub(rf"[ \t]*{TAGS}[ \t]*", "", marked)
    return clean(marked)


def segments(marked: str, url: str, tags: tuple[str, ...]) -> tuple[Segment, ...]:
    out = []
    for piece in regex.split(f"([{LINK}{TAGS}])", marked):
        if piece == LINK:
            out.append(Segment("link", url))
        elif piece == TAGS:
            out.append(Segment("tags", tags=tags))
        elif piece:
            out.append(Segment("text", piece))
    return tuple(out)


def fit(d: Draft, rules: Rules) -> Fitted:
    clusters = graphemes(d.body)
    total = len(clusters)

    def attempt(keep: int, tags_kept: int) -> Fitted | None:
        tags = d.tags[:tags_kept]
        segs = segments(assemble(cut(clusters, keep), d.trailer, tags_kept), d.url, tags)
        text = rules.encode(segs)
        length = rules.count(text)
        if length > rules.limit or not rules.ok(text):
            return None
        return Fitted(segs, text, length, tags, truncated=keep < total)

    whole = attempt(total, len(d.tags))
    if whole is not None:
        return whole
    title = clusters.index("\n") if "\n" in clusters else total
    kept_tags = len(d.tags)
    while kept_tags > 0 and attempt(title, kept_tags) is None:
        kept_tags -= 1
    best = _largest([*cut_points(clusters), total], lambda keep: attempt(keep, kept_tags))
    if best is None:  # not one whole word fits: a very long word, or a URL-sized title
        best = _largest(list(range(1, total)), lambda keep: attempt(keep, kept_tags))
    if best is None:
        best = attempt(0, kept_tags) or attempt(0, 0)
    if best is None:
        alone = rules.count(rules.encode(segments(LINK, d.url, ())))
        raise ComposeError(
            f"{rules.platform}: the link back alone is {alone} of {rules.limit} {rules.unit}; "
            "nothing can be posted there"
        )
    return best


def _largest(points: list[int], attempt: Callable[[int], Fitted | None]) -> Fitted | None:
    """The longest fitting cut. Binary search (a longer prefix never counts less), then a
    downward walk in case a counter is not monotonic (a URL becoming recognisable)."""
    lo, hi, found = 0, len(points) - 1, -1
    while lo <= hi:
        mid = (lo + hi) // 2
        if attempt(points[mid]) is not None:
            found, lo = mid, mid + 1
        else:
            hi = mid - 1
    for index in range(found, -1, -1):
        result = attempt(points[index])
        if result is not None:
            return result
    return None


def facets(segs: tuple[Segment, ...], encode: Callable[[tuple[Segment, ...]], str]) -> tuple:
    """Bluesky link and tag facets at UTF-8 byte offsets of the final text.

    The link back and the hashtag line are facets by construction (their segments say
    where they are); everything else is found in the final text the way the Bluesky app
    finds it (richtext.detect), so a URL or #tag the author wrote ends where Bluesky ends
    it, and nothing detected overlaps what we placed."""
    text = encode(segs)
    known: list[Facet] = []
    offset = 0
    for segment in segs:
        piece = encode((segment,))
        if segment.kind == "link":
            known.append(Facet(offset, offset + len(piece.encode()), "link", segment.value))
        elif segment.kind == "tags":
            at = offset
            for tag in segment.tags:
                size = len(f"#{tag}".encode())
                known.append(Facet(at, at + size, "tag", tag))
                at += size + 1  # the space between two hashtags
        offset += len(piece.encode())
    out = list(known)
    taken = [(f.byte_start, f.byte_end) for f in known]
    for span in richtext.detect(text):
        start = len(text[: span.start].encode())
        end = start + len(text[span.start : span.end].encode())
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        out.append(Facet(start, end, span.kind, span.value))
    return tuple(sorted(out, key=lambda f: f.byte_start))
