"""RSS 2.0, with the Atom, Dublin Core and content modules that modern readers expect.

Written as strings, each item once. The id is an honest `<guid isPermaLink="false">` (a
tag: URI, not a URL); the author is `<dc:creator>` because RSS's own <author> must be an
email address and we will not invent one. <description> is the plain-text summary written
as HTML (readers treat it as HTML); the full post is in <content:encoded>.
"""

from __future__ import annotations

from email.utils import format_datetime

from plugins.feeds.entry import GENERATOR, Entry
from plugins.feeds.model import FeedInfo
from plugins.feeds.text import attr, esc, prolog, text_as_html

MIME = "application/rss+xml"
NAMESPACES = (
    'xmlns:atom="http://www.w3.org/2005/Atom" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
)


def entry(e: Entry) -> str:
    """One <item>; the same string goes into every RSS feed that lists the post."""
    out = [
        "<item>",
        f"<title>{esc(e.title)}</title>",
        f"<link>{esc(e.url)}</link>",
        f'<guid isPermaLink="false">{esc(e.id)}</guid>',
        f"<pubDate>{format_datetime(e.published)}</pubDate>",
        f"<atom:updated>{e.updated.isoformat(timespec='seconds')}</atom:updated>",
        f"<dc:creator>{esc(e.author.name)}</dc:creator>",
    ]
    for c in e.categories:
        domain = f' domain="{attr(c.scheme)}"' if c.scheme else ""
        out.append(f"<category{domain}>{esc(c.label)}</category>")
    if e.image:
        out.append(
            f'<enclosure url="{attr(e.image.url)}" length="{e.image.length}"'
            f' type="{attr(e.image.mime or "application/octet-stream")}"/>'
        )
    if e.summary:
        out.append(f"<description>{esc(text_as_html(e.summary))}</description>")
    out.append(f"<content:encoded>{esc(e.content_html)}</content:encoded>")
    out.append("</item>")
    return "\n".join(out)


def feed(info: FeedInfo, entries: list[str]) -> str:
    """The whole document, around already-serialised items (newest first)."""
    out = prolog(info.stylesheet)
    out += [
        f'<rss version="2.0" {NAMESPACES}>',
        "<channel>",
        f"<title>{esc(info.title)}</title>",
        f"<link>{esc(info.home)}</link>",
        f"<description>{esc(text_as_html(info.subtitle or info.title))}</description>",
        f"<language>{esc(info.lang)}</language>",
        f"<lastBuildDate>{format_datetime(info.updated)}</lastBuildDate>",
        f"<generator>{esc(GENERATOR[0])}</generator>",
        "<docs>https://www.rssboard.org/rss-specification</docs>",
        f'<atom:link rel="self" type="{MIME}" href="{attr(info.urls["rss"])}"/>',
    ]
    if info.hub:
        out.append(f'<atom:link rel="hub" href="{attr(info.hub)}"/>')
    if info.icon:
        out.append(
            f"<image><url>{esc(info.icon)}</url><title>{esc(info.title)}</title>"
            f"<link>{esc(info.home)}</link></image>"
        )
    out += entries
    out.append("</channel>\n</rss>\n")
    return "\n".join(out)
