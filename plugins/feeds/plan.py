"""Which feeds exist, what each contains, and writing them: plain Python, no Pelican.

Every department and person in the directory gets a feed even when it has no post yet,
because every department and profile page links to its feeds (a link must not 404); a tag
exists only through its posts. Each entry is serialised at most once per format, lazily
(an old post beyond FEED_MAX_ITEMS in every feed costs nothing), and the same string is
reused in all the feeds that list it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from core.feed_contract import FeedExtension
from core.feeds import feed_paths
from plugins.feeds import atom, jsonfeed, rss
from plugins.feeds.entry import Author, Entry, Site, newest_first
from plugins.feeds.model import FeedInfo

T = TypeVar("T")

WRITERS: dict[str, tuple[Callable[[Entry], str], Callable[[FeedInfo, list[str]], str]]] = {
    "atom": (atom.entry, atom.feed),
    "rss": (rss.entry, rss.feed),
    "json": (jsonfeed.entry, jsonfeed.feed),
}


@dataclass
class Scope:
    """One feed to write: where (scope, slug) and how it introduces itself."""

    scope: str  # one of paths.SCOPES
    slug: str | None
    title: str
    subtitle: str
    home: str  # absolute URL of the matching HTML page
    author: Author | None = None
    extension: FeedExtension | None = None  # JSON Feed top-level `_chorus`


def select(entries: list[Entry], scopes: list[Scope]) -> dict[tuple[str, str | None], list]:
    """Entries of each scope, newest first, in one pass over all entries."""
    groups: dict[tuple[str, str | None], list[Entry]] = defaultdict(list)
    for e in newest_first(entries):
        groups["all", None].append(e)
        groups["departments", e.department].append(e)
        groups["people", e.handle].append(e)
        for tag in e.tags:
            groups["tags", tag].append(e)
    return {(s.scope, s.slug): groups.get((s.scope, s.slug), []) for s in scopes}


def in_some_feed(
    posts: list[T], limit: int | None, order: Callable[[T], tuple], groups: Callable[[T], list]
) -> list[T]:
    """The posts that at least one feed will list: with FEED_MAX_ITEMS = 20 and 5,000
    posts, only a few hundred need their content absolutised and serialised.

    `order` must sort like newest_first; `groups` names every feed a post belongs to.
    """
    if not limit:
        return list(posts)
    counts: dict = defaultdict(int)
    keep = []
    for post in sorted(posts, key=order, reverse=True):
        names = groups(post)
        if any(counts[name] < limit for name in names):
            keep.append(post)
        for name in names:
            counts[name] += 1
    return keep


def render(
    site: Site, entries: list[Entry], scopes: list[Scope], kept: dict | None = None
) -> Iterator[tuple[str, str]]:
    """Yield (path relative to the output folder, file text) for every feed of every scope.
    `kept`: the serialised texts of entries a warm process hands to the next build as the
    same objects (the feeds generator's), kept there between builds."""
    return render_chosen(site, scopes, select(entries, scopes), kept)


def render_chosen(
    site: Site,
    scopes: list[Scope],
    chosen: dict[tuple[str, str | None], list[Entry]],
    kept: dict | None = None,
) -> Iterator[tuple[str, str]]:
    """As render(), for entries already grouped by scope (newest first): the responses
    feeds, whose entries are replies rather than posts, go through the same writers."""
    entries = [e for items in chosen.values() for e in items]
    limit = site.max_items
    newest = max((e.updated for e in entries), default=None)
    fallback = newest or dt.datetime(int(site.id_start), 1, 1, tzinfo=dt.UTC)
    # Each entry is serialised once per format and kept only until the last feed that
    # lists it is written: kept to the end, they were the build's peak (14 MiB per 1,000).
    cache: dict[str, dict[str, str]] = {fmt: {} for fmt in WRITERS}
    listed = [
        chosen[scope.scope, scope.slug][:limit] if limit else chosen[scope.scope, scope.slug]
        for scope in scopes
    ]
    last = {e.id: n for n, items in enumerate(listed) for e in items}
    if kept is not None:  # id(entry) → (entry, texts): the same object, so the same texts
        alive = {id(e) for items in listed for e in items}
        for gone in [k for k in kept if k not in alive]:
            del kept[gone]
        for items in listed:
            for e in items:
                held = kept.get(id(e))
                if held is not None and held[0] is e:
                    for fmt, text in held[1].items():
                        cache[fmt][e.id] = text
    for n, (scope, items) in enumerate(zip(scopes, listed, strict=True)):
        paths = feed_paths(scope.scope, scope.slug)
        info = FeedInfo(
            key=paths["atom"].removesuffix(".atom.xml").removeprefix("feeds/"),
            title=scope.title,
            subtitle=scope.subtitle,
            home=scope.home,
            urls={fmt: site.absolute(path) for fmt, path in paths.items()},
            paths=paths,
            id=site.feed_id(paths["atom"].removesuffix(".atom.xml")),
            lang=site.lang,
            # an empty feed still needs a date: the site's newest change, reproducibly
            updated=max((e.updated for e in items), default=fallback),
            icon=site.icon,
            hub=site.hub,
            stylesheet=site.stylesheet,
            author=scope.author,
            extension=scope.extension,
        )
        for fmt, (write_entry, write_feed) in WRITERS.items():
            done = cache[fmt]
            texts = []
            for e in items:
                text = done.get(e.id)
                if text is None:
                    text = done[e.id] = write_entry(e)
                texts.append(text)
            yield paths[fmt], write_feed(info, texts)
        for e in items:
            if last[e.id] == n:
                texts_of = {fmt: done.pop(e.id) for fmt, done in cache.items() if e.id in done}
                if kept is not None:
                    kept[id(e)] = (e, texts_of)


def write(output_path: str, files: Iterator[tuple[str, str]]) -> list[str]:
    """Write each file (UTF-8, \\n line ends); return the paths written."""
    written = []
    made: set[str] = set()
    for rel, text in files:
        target = os.path.join(output_path, rel)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(rel)
    return written
