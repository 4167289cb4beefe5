"""The /feeds/ page: every feed the site publishes, in one list a person can read, with how
to subscribe. Browsers are dropping XSLT, so a feed's own styled view cannot be the only
explanation; the XSL stays for the browsers that still have it.

The lists come from the functions that decide what is written (generator.scopes_for, the
responses feeds of plugins/backfeed, the listening digests), never from a second list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from pelican.generators import Generator

from core.feeds import FORMATS, feed_paths
from plugins.feeds.entry import Site
from plugins.feeds.generator import scopes_for
from plugins.run import run_of

PAGE_URL = "feeds/"
GROUPS = (  # scope → (heading, what it holds)
    ("all", "The whole site", "Every post, from every department."),
    ("departments", "Per department", "The posts of one department."),
    ("people", "Per person", "The posts of one author."),
    ("tags", "Per tag", "The posts with one tag."),
    ("responses", "Replies", "Approved replies to our posts on other platforms."),
    ("listening", "Listening", "What others say about us, per department (Atom only)."),
)


@dataclass
class FeedLink:
    title: str
    home: str  # the HTML page the feed follows
    paths: dict[str, str]  # format → path relative to SITEURL


@dataclass
class FeedGroup:
    scope: str
    title: str
    about: str
    feeds: list[FeedLink] = field(default_factory=list)


def feed_groups(
    scopes, listening: dict[str, tuple[str, str]], site_name: str = ""
) -> list[FeedGroup]:
    """`scopes`: plan.Scope values of every feed written; `listening`: department slug →
    (name, digest path). Empty groups are left out; a feed's title loses the site name it
    carries for a reader's list ("Sales — Alder & Finch" is "Sales" here)."""
    groups = {scope: FeedGroup(scope, title, about) for scope, title, about in GROUPS}
    for s in scopes:
        title = s.title.removesuffix(f" — {site_name}") if site_name else s.title
        groups[s.scope].feeds.append(FeedLink(title, s.home, feed_paths(s.scope, s.slug)))
    for name, path in listening.values():
        groups["listening"].feeds.append(FeedLink(f"Heard about us: {name}", "", {"atom": path}))
    return [g for g in groups.values() if g.feeds]


class FeedsPageGenerator(Generator):
    """Writes feeds/index.html (template feeds.html)."""

    def generate_output(self, writer) -> None:
        from plugins.backfeed.feeds import response_feeds  # the replies' feeds are its own

        site = Site.from_settings(self.settings)
        articles = [a for a in self.context.get("articles", []) if a.status == "published"]
        directory = run_of(self.settings).directory
        scopes = scopes_for(site, directory, articles)
        scopes += response_feeds(site, articles)[0]
        names = {d.slug: d.name for d in directory.departments.values()} if directory else {}
        digests = self.context.get("listening_digests") or {}
        listening = {slug: (names.get(slug, slug), path) for slug, path in digests.items()}
        writer.write_file(
            os.path.join(PAGE_URL, "index.html"),
            self.get_template("feeds"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            feed_groups=feed_groups(scopes, listening, site.name),
            feed_formats=FORMATS,
            page_name=PAGE_URL + "index",
            url=PAGE_URL,
        )
