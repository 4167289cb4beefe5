"""Pelican glue: a generator that runs after every article is read and checked."""

from __future__ import annotations

import logging

from pelican.generators import Generator

from core.cache import cache_dir
from core.feed_contract import FeedExtension, Retraction
from plugins.feeds.entry import Author, Site, entry_from_article, image_size
from plugins.feeds.plan import Scope, in_some_feed, render, write
from plugins.posts.reuse import remembered
from plugins.run import run_of
from plugins.writer import site_frame

logger = logging.getLogger(__name__)


def retracted(site: Site, hidden) -> list[Retraction]:
    """The site feed's `_chorus.retracted`: every retracted post, so the cross-posting run
    deletes its copies; the post itself is in no feed any more."""
    return [
        Retraction(
            id=article.entry_id,
            url=site.absolute(article.url),
            reason=str(article.metadata.get("retraction_reason") or ""),
        )
        for article in sorted(hidden, key=lambda a: a.slug)
        if article.metadata.get("retracted")
    ]


def scopes_for(site: Site, directory, articles) -> list[Scope]:
    """The site feed, one per department and person in the directory, one per used tag."""
    name = site.name
    scopes = [Scope("all", None, name, site.subtitle, site.url + "/")]
    departments = dict(directory.departments) if directory else {}
    for dept in departments.values():
        scopes.append(
            Scope(
                "departments",
                dept.slug,
                f"{dept.name} — {name}",
                dept.description,
                site.absolute(dept.url),
            )
        )
    for article in articles:  # a category missing from departments.yaml (a lint error)
        slug = article.category.slug
        if slug not in departments:
            departments[slug] = None
            scopes.append(
                Scope("departments", slug, f"{article.category} — {name}", "",
                      site.absolute(article.category.url))
            )  # fmt: skip
    for person in directory.people.values() if directory else []:
        author = Author(
            person.name,
            site.absolute(person.url),
            site.absolute(person.avatar) if person.avatar else "",
        )
        subtitle = person.title + (f" — {person.bio}" if person.bio else "")
        scopes.append(
            Scope("people", person.handle, f"{person.name} — {name}", subtitle,
                  author.url, author)
        )  # fmt: skip
    tags = {}
    for article in articles:
        for tag in getattr(article, "tags", []) or []:
            tags.setdefault(tag.slug, tag)
    for slug, tag in sorted(tags.items()):
        scopes.append(
            Scope("tags", slug, f"Posts tagged “{tag}” — {name}", f"Everything tagged {tag}.",
                  site.absolute(tag.url))
        )  # fmt: skip
    return scopes


def _order(article) -> tuple:
    return (article.date, article.slug)  # as entry.newest_first


def _groups(article) -> list:
    tags = getattr(article, "tags", None) or []
    return [
        ("all",),
        ("departments", article.category.slug),
        ("people", str(article.author)),
        *(("tags", t.slug) for t in tags),
    ]


_TEXTS: dict = {}
"""id(entry) → (entry, its text per format), for the entries _entry hands to the next build
as the same objects: their Atom, RSS and JSON texts are not made again (plugins/feeds/plan.py)."""


class FeedsGenerator(Generator):
    """Writes feeds/ (Atom, RSS, JSON Feed). generate_output runs after every generator's
    generate_context, so all articles are known and the people plugin has attached
    `person` and `department` to each."""

    def generate_context(self) -> None:
        pass

    def _entry(self, article, site: Site):
        """A post's entry, kept from the previous build in a warm process while nothing it
        is made of has changed: the post (its source token), the addresses of the posts it
        may link to (the pages' frame) and the size of its image file (an RSS enclosure's
        length): 0.4 s of a 5,000-post live-reload rebuild otherwise."""
        image = article.metadata.get("image")
        extra = (site_frame(self.settings, self.context), image and image_size(site, image))
        return remembered(article, "feed-entry", extra, lambda: entry_from_article(article, site))

    def generate_output(self, writer) -> None:
        site = Site.from_settings(self.settings)
        articles = [a for a in self.context.get("articles", []) if a.status == "published"]
        needed = in_some_feed(articles, site.max_items, _order, _groups)
        warm = cache_dir() is not None  # without a cache no post is kept between builds
        make = self._entry if warm else entry_from_article
        entries = [make(a, site) for a in needed]
        scopes = scopes_for(site, run_of(self.settings).directory, articles)
        gone = retracted(site, self.context.get("hidden_articles", []))
        if gone:
            scopes[0].extension = FeedExtension(tuple(gone))
        written = write(self.output_path, render(site, entries, scopes, _TEXTS if warm else None))
        self.context["chorus_feeds"] = written
        logger.debug("feeds: wrote %d files for %d posts", len(written), len(entries))
