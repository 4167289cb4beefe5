"""Raw HTML in posts, made safe: one nh3 pass with an explicit allow list, plus two checks
nh3 cannot express.

Why an allow list and not a block list: Markdown passes raw HTML straight through, and every
employee can post, so a post body is untrusted input that ends up on our domain, in our
feeds and in readers' feed apps. We keep exactly what Markdown (codehilite, extra, toc)
produces and what authors legitimately write by hand; everything else goes.

Why sanitise *before* Pelican replaces `{filename}`/`{static}` links: the placeholders must
still be in the stored HTML, because Pelican resolves them lazily at write time (per output
page, for RELATIVE_URLS) and finds the static files to copy from them. But Pelican's
replacement glues the scheme of whatever follows the placeholder back on, so
`href="{x}javascript:alert(1)"` — harmless-looking relative URL to nh3 — would come out as
`javascript:{x}javascript:alert(1)`. `_relative_url` therefore checks every placeholder
while nh3 parses: a known kind, followed by a plain path (no scheme, no host, no characters
that Pelican's html-unescaping retry could turn into a quote).

For the same reason a quote that opens a placeholder inside attribute *text* (a title
saying `src='{filename}…'`) is written as `&#39;`, so that Pelican's regex never sees it.

Why a post-pass for iframes and images: nh3 can drop an attribute but not the element that
needed it. A video iframe is kept only with an https src on an EMBED_HOSTS host and is
emptied (its fallback text is raw text that non-HTML5 parsers — feed readers, Pelican's own
summary truncation — would read as markup); any other iframe, and any image left without a
src (a data: URL, say), is removed whole. The post-pass runs on nh3's own serialisation, whose
attribute syntax is fixed (` name="value"`, `"` escaped), so a regex reads it exactly.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

import nh3
from pygments.token import STANDARD_TYPES

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

TAGS = HEADINGS | {
    # text and structure
    "p", "br", "hr", "div", "span", "blockquote", "q", "cite", "figure", "figcaption",
    "strong", "em", "b", "i", "u", "s", "small", "mark", "ins", "del", "sub", "sup",
    "abbr", "dfn", "time", "kbd", "samp", "var", "code", "pre", "wbr",
    # links and media
    "a", "img", "iframe",
    # lists, definitions, disclosure
    "ul", "ol", "li", "dl", "dt", "dd", "details", "summary",
    # tables (Markdown extra's, and codehilite's line-number table)
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip

# Removed together with everything inside them: their text is code, styling or form
# furniture, never prose a reader should see stripped of its tags.
CLEAN_CONTENT_TAGS = {
    "script", "style", "noscript", "template", "object", "applet", "svg", "math",
    "form", "textarea", "select", "button", "title", "xmp", "noembed", "noframes",
}  # fmt: skip

ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "lang", "dir"},
    **{h: {"id"} for h in HEADINGS},  # toc anchors
    "sup": {"id"},  # footnote reference anchors (fnref:1)
    "li": {"id", "value"},  # footnote anchors (fn:1)
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {
        "src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy",
    },
    "th": {"colspan", "rowspan", "scope", "align", "style"},
    "td": {"colspan", "rowspan", "align", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    # no cite= anywhere: nh3 does not check it as a URL, and nothing needs it
    "ins": {"datetime"},
    "del": {"datetime"},
    "time": {"datetime"},
    "details": {"open"},
}  # fmt: skip

# Markdown tables align columns with style="text-align: …"; no other CSS is let through
# (style can overlay the page, fake UI or load URLs).
STYLE_PROPERTIES = {"text-align"}

# Classes the Markdown extensions emit; author-chosen classes could borrow the theme's
# own UI (a fake "approved" badge), so they are dropped.
PYGMENTS_CLASSES = {c for c in STANDARD_TYPES.values() if c}
ALLOWED_CLASSES: dict[str, set[str]] = {
    "div": {"highlight", "linenodiv", "footnote", "toc"},
    "span": PYGMENTS_CLASSES | {"hll", "linenos", "normal", "special", "filename"},
    "table": {"highlighttable"},
    "td": {"linenos", "code"},
    "a": {"footnote-ref", "footnote-backref"},
    "sup": {"footnote-ref"},
}

URL_SCHEMES = {"http", "https", "mailto"}

# Pelican's default INTRASITE_LINK_REGEX, anchored at the start of the attribute value
# exactly where Pelican's own substitution looks for it.
PLACEHOLDER = re.compile(r"[{|](?P<what>.*?)[|}](?P<value>.*)", re.S)
PLACEHOLDER_KINDS = {"filename", "static", "attach", "category", "tag", "index", "author"}
# `&`, `"` and U+00A0 are what nh3's serialiser turns into entities; Pelican retries a
# missing link with html.unescape() and would write the *unescaped* text back, quotes and
# all. No real intrasite path needs any of these.
_UNSAFE_IN_PLACEHOLDER = re.compile(r"[&\"'<>\\\x00-\x1f\x7f\u00a0]")


def _relative_url(url: str) -> str | None:
    """nh3's url_relative hook: plain relative URLs pass; placeholders must be harmless."""
    m = PLACEHOLDER.match(url)
    if m is None:
        return url
    value = m.group("value")
    if m.group("what") not in PLACEHOLDER_KINDS or _UNSAFE_IN_PLACEHOLDER.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return url


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=CLEAN_CONTENT_TAGS,
    attributes=ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    filter_style_properties=STYLE_PROPERTIES,
    url_schemes=URL_SCHEMES,
    url_relative=_relative_url,
    strip_comments=True,
    link_rel=None,  # no target= is allowed, so no window.opener to guard against
)

_ATTRS = r'((?: [^\s"=]+="[^"]*")*)'
_IFRAME = re.compile(r"<iframe" + _ATTRS + r">.*?</iframe>", re.S)
_IMG = re.compile(r"<img" + _ATTRS + r">")
_ATTR = re.compile(r' ([^\s"=]+)="([^"]*)"')
_TAG = re.compile(r"<[a-z][a-z0-9]*" + _ATTRS + r">")
_VALUE = re.compile(r'="([^"]*)"')
# The host is what a browser reads up to the first / ? # or \ after "https://".
_EMBED_SRC = re.compile(r"https://([a-z0-9.-]+)(?:[/?#]|$)", re.I)


@lru_cache(maxsize=16)
def _host_set(hosts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(h.strip().lower().rstrip(".") for h in hosts)


def embed_allowed(src: str, embed_hosts: Iterable[str]) -> bool:
    """True when `src` (attribute text, unescaped) is https on exactly an allowed host:
    no port, no user info, no whitespace or control characters a browser would skip."""
    m = _EMBED_SRC.match(src)
    if m is None or any(c.isspace() or ord(c) < 0x20 for c in src):
        return False
    return m.group(1).lower().rstrip(".") in _host_set(tuple(embed_hosts))


def _keep_iframe(m: re.Match, embed_hosts: Iterable[str]) -> str:
    attrs = m.group(1)
    src = dict(_ATTR.findall(attrs)).get("src")
    if src is not None and embed_allowed(html.unescape(src), embed_hosts):
        return f"<iframe{attrs}></iframe>"
    return ""


def _keep_img(m: re.Match) -> str:
    return m.group(0) if any(name == "src" for name, _ in _ATTR.findall(m.group(1))) else ""


def _escape_value(v: re.Match) -> str:
    value = v.group(0)
    if "'{" in value or "'|" in value:
        return value.replace("'", "&#39;")
    return value


def _hide_quoted_placeholders(tag: re.Match) -> str:
    """Pelican's link regex also fires on `src='{…}'` written *inside* another attribute's
    text, and with its html-unescaping retry can write a raw `"` there, ending the
    attribute early. Spelling those `'` as `&#39;` reads the same and gives it no match."""
    return _VALUE.sub(_escape_value, tag.group(0))


def sanitize_html(html_text: str, embed_hosts: Iterable[str] = ()) -> str:
    """Sanitise one document (a post body or a summary) in a single nh3 pass."""
    if not html_text:
        return html_text
    out = _CLEANER.clean(html_text)
    if "<iframe" in out:
        hosts = tuple(embed_hosts)
        out = _IFRAME.sub(lambda m: _keep_iframe(m, hosts), out)
    if "<img" in out:
        out = _IMG.sub(_keep_img, out)
    if "'{" in out or "'|" in out:
        out = _TAG.sub(_hide_quoted_placeholders, out)
    return out
