"""Feeds of the approved replies (one per post that has any, one for the whole site) and
interactions.csv, the same replies as rows for a CRM.

Readers who follow a conversation (and the organization's own community managers) can
subscribe instead of revisiting pages. The entries are replies, not posts, but they go
through the feed plugin's own writers (plugins/feeds/plan.render_chosen), so escaping, ids
and the three formats are the same as every other feed on the site.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from core.text import html_to_text
from plugins.backfeed.view import Comment
from plugins.feeds.entry import Author, Entry, Site
from plugins.feeds.plan import Scope, render_chosen, write


def flatten(comments: list[Comment]) -> list[Comment]:
    out = []
    for c in comments:
        out.append(c)
        out += flatten(c.children)
    return out


def _when(stamp: str) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def reply_entries(article, site: Site) -> list[Entry]:
    """The post's approved replies as feed entries, newest first (undated ones left out:
    a feed entry must have a date)."""
    conv = getattr(article, "conversation", None)
    if conv is None or not conv.comments:
        return []  # most posts: no address to work out (a tenth of a rebuild, once)
    page = site.absolute(article.url)
    entries = []
    for c in flatten(conv.comments):
        when = _when(c.published)
        if when is None:
            continue
        anchor = "comment-" + c.id.replace(":", "-")
        entries.append(
            Entry(
                id=site.feed_id(f"responses/{article.slug}/{c.id}"),
                slug=article.slug,
                url=f"{page}#{anchor}",
                title=f"{c.author_name} on “{article.title}”",
                content_html=c.html,
                summary=html_to_text(c.html)[:300],
                published=when,
                updated=when,
                author=Author(c.author_name, c.author_url),
                handle="",
                department=article.category.slug,
                categories=[],
            )
        )
    return sorted(entries, key=lambda e: (e.published, e.id), reverse=True)


def response_feeds(site: Site, articles) -> tuple[list[Scope], dict]:
    """Every responses feed (the site's, and each post's that has replies) and its entries;
    the feeds page lists the same scopes this writes."""
    chosen: dict[tuple[str, str | None], list[Entry]] = {("responses", None): []}
    scopes = [
        Scope("responses", None, f"Replies to {site.name}",
              "Approved replies to our posts on other platforms", site.absolute(""))
    ]  # fmt: skip
    for article in articles:
        entries = reply_entries(article, site)
        if not entries:
            continue
        chosen["responses", article.slug] = entries
        chosen["responses", None] += entries
        scopes.append(
            Scope("responses", article.slug, f"Replies to “{article.title}”",
                  f"Approved replies to this post, from {site.name}'s copies",
                  site.absolute(article.url))
        )  # fmt: skip
    chosen["responses", None].sort(key=lambda e: (e.published, e.id), reverse=True)
    return scopes, chosen


def render_files(site: Site, articles) -> list[tuple[str, str]]:
    """(path, text) of every responses feed."""
    scopes, chosen = response_feeds(site, articles)
    return list(render_chosen(site, scopes, chosen))


INTERACTION_COLUMNS = ("platform", "handle", "profile_url", "post_url", "kind", "date", "url")


def interactions_csv(site: Site, articles) -> str:
    """One row per public, approved interaction: what a CRM imports to know who talks to us.
    Only approved replies are rows (blocked, hidden, pending and opted-out people never reach
    the snapshot); likes and reposts are counts only, so they have no rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(INTERACTION_COLUMNS)
    rows = []
    for article in articles:
        conv = getattr(article, "conversation", None)
        for c in flatten(conv.comments if conv else []):
            if c.org:
                continue  # our own answers are not interactions with us
            rows.append((c.platform, c.author_handle, c.author_url, site.absolute(article.url),
                         "reply", c.published, c.url))  # fmt: skip
    writer.writerows(sorted(rows, key=lambda r: (r[5], r[6])))
    return out.getvalue()


def get_generators(_pelican):
    from pelican.generators import Generator

    class ResponsesFeedsGenerator(Generator):
        """Writes feeds/responses.* and feeds/responses/<slug>.* in the output phase, after
        attach() (all_generators_finalized) gave every article its conversation."""

        def generate_context(self) -> None:
            pass

        def generate_output(self, writer) -> None:
            site = Site.from_settings(self.settings)
            articles = [a for a in self.context.get("articles", []) if a.status == "published"]
            write(self.output_path, iter(render_files(site, articles)))
            Path(self.output_path, "interactions.csv").write_text(
                interactions_csv(site, articles), encoding="utf-8", newline=""
            )

    return ResponsesFeedsGenerator
