"""External HTML made safe to show on our pages and in our feeds: a stricter policy than posts.

Used for everything other people wrote: listening sources and the replies to our copies
(conversations/, plugins/backfeed/).

Why stricter than plugins/sanitize (which is for our own employees' posts): a feed entry is
written by anyone on the internet. We keep text formatting and links only — no images, no
iframes, no tables, no classes, no ids (an id could collide with ours and hijack an anchor),
no relative URLs (they would point into our own site) — and every link gets
rel="external nofollow noopener noreferrer". The theme's CSP would block foreign images anyway;
removing them here also keeps the page free of broken-image boxes and tracking pixels.

The same functions run twice: when `invoke listen` writes the snapshot, and again when the
build renders it, because the snapshot is a committed file that anyone could edit and a
tightened policy should apply to old snapshots too.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import nh3

from core.text import html_to_text
from plugins.text import cut_at_word

TAGS = {
    "p", "br", "a", "em", "strong", "b", "i", "u", "s", "q", "cite", "small", "sub", "sup",
    "abbr", "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
}  # fmt: skip
CLEAN_CONTENT_TAGS = {
    "script", "style", "noscript", "template", "object", "applet", "embed", "svg", "math",
    "iframe", "frame", "frameset", "form", "textarea", "select", "button", "title",
    "xmp", "noembed", "noframes",
}  # fmt: skip
LINK_REL = "external nofollow noopener noreferrer"
SCHEMES = {"http", "https"}
MAX_SUMMARY_CHARS = 1200  # of text: a digest shows a teaser, the source has the rest
MAX_TITLE_CHARS = 300
TRAILING = " ,;:."  # dropped before the ellipsis of a cut title or teaser

_SUMMARY = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=CLEAN_CONTENT_TAGS,
    attributes={"a": {"href"}, "abbr": {"title"}},
    url_schemes=SCHEMES,
    url_relative="deny",
    strip_comments=True,
    link_rel=LINK_REL,
)


def clean_title(value: str) -> str:
    """A title as plain text: feeds may put markup in titles (Atom type="html")."""
    text = html_to_text(value)
    return cut_at_word(text, MAX_TITLE_CHARS, trailing=TRAILING)


def clean_summary(fragment: str) -> str:
    """Sanitised HTML; a summary longer than MAX_SUMMARY_CHARS becomes a plain-text teaser
    (cutting HTML in the middle could leave an element open)."""
    if not fragment:
        return ""
    cleaned = _SUMMARY.clean(fragment).strip()
    text = html_to_text(cleaned)
    if not text:
        return ""
    if len(text) > MAX_SUMMARY_CHARS:
        teaser = cut_at_word(text, MAX_SUMMARY_CHARS, trailing=TRAILING)
        return f"<p>{html.escape(teaser, quote=False)}</p>"
    return cleaned


def safe_url(url: str | None) -> str | None:
    """`url` if it is an absolute http(s) URL with a host, else None (no javascript:,
    data:, file: or relative links from a source ever become a link on our page)."""
    if not url:
        return None
    url = url.strip()
    if any(c.isspace() or ord(c) < 0x20 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return None
    return url
