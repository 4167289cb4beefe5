"""An Atom digest per department: the mentions routed to it, for a feed reader or a team
channel bot. Plain strings, like plugins/feeds/atom.py, with its escaping helpers.

Why not plugins/feeds/atom.feed itself: that writer describes one of *our* feeds (with RSS
and JSON siblings, our posts as entries, our authors). A digest entry is someone else's
item: its author is the source, its link goes out, and its id must be ours to stay unique
(a source's own id may not even be a URI), so it is a tag: URI derived from the source's id.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from plugins.feeds.absolute import absolutize
from plugins.feeds.entry import GENERATOR, Site
from plugins.feeds.text import attr, esc, prolog
from plugins.listening.clean import clean_summary, safe_url

MIME = "application/atom+xml"


def digest_path(department: str) -> str:
    """Where a department's digest lives, relative to the site root (templates use it)."""
    return f"feeds/listening/{department}.atom.xml"


def entry_id(site: Site, mention: dict) -> str:
    digest = hashlib.sha256(str(mention.get("id", "")).encode()).hexdigest()[:24]
    return site.feed_id(f"listening/{digest}")


def _entry(site: Site, mention: dict, page_url: str, generated: str) -> str:
    url = safe_url(mention.get("url")) or page_url
    published = _iso(mention["published"]) if mention.get("published") else None
    terms = mention.get("terms") or []
    summary = clean_summary(mention.get("summary_html") or "")
    if safe_url(mention.get("url")):
        summary = absolutize(summary, url)
    out = [
        "<entry>",
        f"<id>{esc(entry_id(site, mention))}</id>",
        f'<title type="text">{esc(mention.get("title") or "(untitled)")}</title>',
        f'<link rel="alternate" type="text/html" href="{attr(url)}"/>',
    ]
    if published:
        out.append(f"<published>{esc(published)}</published>")
    out.append(f"<updated>{esc(published or generated)}</updated>")
    out.append(f"<author><name>{esc(mention.get('source') or 'unknown source')}</name></author>")
    out += [f'<category term="{attr(t)}" label="{attr(t)}"/>' for t in terms]
    if summary:
        out.append(f'<summary type="html">{esc(summary)}</summary>')
    out.append("</entry>")
    return "\n".join(out)


def digest_feed(
    site: Site,
    department: str,
    department_name: str,
    mentions: list[dict],
    generated: str,
    page_path: str = "listening/",
) -> str:
    """The whole Atom document. `generated` (the snapshot's time) is the feed's <updated>,
    so rebuilding the site without a new listening run changes nothing in the file."""
    page_url = site.absolute(page_path)
    generated = _iso(generated)
    out = prolog(site.stylesheet)
    out += [
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{attr(site.lang)}">',
        f"<id>{esc(site.feed_id(f'listening/{department}'))}</id>",
        f'<title type="text">{esc(f"Heard about us: {department_name} — {site.name}")}</title>',
        f'<subtitle type="text">Mentions of us routed to {esc(department_name)} by '
        "the listening watch terms.</subtitle>",
        f"<updated>{esc(generated)}</updated>",
        f'<link rel="self" type="{MIME}" href="{attr(site.absolute(digest_path(department)))}"/>',
        f'<link rel="alternate" type="text/html" href="{attr(page_url)}#dept-{attr(department)}"/>',
        f"<author><name>{esc(site.name)}</name></author>",
        f'<generator uri="{attr(GENERATOR[1])}">{esc(GENERATOR[0])}</generator>',
    ]
    out += [_entry(site, m, f"{page_url}#dept-{department}", generated) for m in mentions]
    out.append("</feed>\n")
    return "\n".join(out)


def _iso(value: str) -> str:
    """The snapshot's time as RFC 3339, or the epoch if it is unreadable (never a crash)."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat(timespec="seconds")
