"""Atom 1.0 (RFC 4287), written as strings: each entry once, reused in every feed."""

from __future__ import annotations

from plugins.feeds.entry import GENERATOR, Author, Entry
from plugins.feeds.model import FeedInfo
from plugins.feeds.text import attr, esc, prolog

MIME = "application/atom+xml"


def _date(value) -> str:
    return value.isoformat(timespec="seconds")


def _author(author: Author) -> str:
    parts = [f"<name>{esc(author.name)}</name>"]
    if author.url:
        parts.append(f"<uri>{esc(author.url)}</uri>")
    return f"<author>{''.join(parts)}</author>"


def entry(e: Entry) -> str:
    """One <entry>; the same string goes into every Atom feed that lists the post."""
    out = [
        f'<entry xml:lang="{attr(e.lang)}">' if e.lang else "<entry>",
        f"<id>{esc(e.id)}</id>",
        f'<title type="text">{esc(e.title)}</title>',
        f'<link rel="alternate" type="text/html" href="{attr(e.url)}"/>',
        f"<published>{_date(e.published)}</published>",
        f"<updated>{_date(e.updated)}</updated>",
        _author(e.author),
    ]
    for c in e.categories:
        scheme = f' scheme="{attr(c.scheme)}"' if c.scheme else ""
        out.append(f'<category term="{attr(c.term)}" label="{attr(c.label)}"{scheme}/>')
    if e.image:
        mime = f' type="{attr(e.image.mime)}"' if e.image.mime else ""
        length = f' length="{e.image.length}"' if e.image.length else ""
        out.append(f'<link rel="enclosure"{mime}{length} href="{attr(e.image.url)}"/>')
    if e.summary:
        out.append(f'<summary type="text">{esc(e.summary)}</summary>')
    out.append(f'<content type="html">{esc(e.content_html)}</content>')
    out.append("</entry>")
    return "\n".join(out)


def feed(info: FeedInfo, entries: list[str]) -> str:
    """The whole document, around already-serialised entries (newest first)."""
    out = prolog(info.stylesheet)
    out += [
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{attr(info.lang)}">',
        f"<id>{esc(info.id)}</id>",
        f'<title type="text">{esc(info.title)}</title>',
    ]
    if info.subtitle:
        out.append(f'<subtitle type="text">{esc(info.subtitle)}</subtitle>')
    out += [
        f"<updated>{_date(info.updated)}</updated>",
        f'<link rel="self" type="{MIME}" href="{attr(info.urls["atom"])}"/>',
        f'<link rel="alternate" type="text/html" href="{attr(info.home)}"/>',
        f'<link rel="alternate" type="application/rss+xml" href="{attr(info.urls["rss"])}"/>',
        f'<link rel="alternate" type="application/feed+json" href="{attr(info.urls["json"])}"/>',
    ]
    if info.hub:
        out.append(f'<link rel="hub" href="{attr(info.hub)}"/>')
    if info.author:
        out.append(_author(info.author))
    if info.icon:
        out.append(f"<icon>{esc(info.icon)}</icon>")
    out.append(f'<generator uri="{attr(GENERATOR[1])}">{esc(GENERATOR[0])}</generator>')
    out += entries
    out.append("</feed>\n")
    return "\n".join(out)
