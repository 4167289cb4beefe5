"""Make every URL in a post's HTML absolute, for feeds.

A page on our site can say `<img src="/images/x.png">` or `<a href="#fn:1">`, because the
browser knows where the page is. A feed reader shows the same HTML somewhere else (its own
app, its own domain) and has no reliable base: many readers ignore xml:base and JSON Feed
has none. So every URL-bearing attribute is resolved against the post's absolute URL,
exactly as a browser would resolve it on the post's page.

The HTML comes from our sanitiser (nh3), so it is well-formed; the scanner below still
copes with single-quoted and unquoted attributes, so that it stays correct if the
sanitiser's output style ever changes. Text and everything else pass through untouched.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite", "srcset"})

# A start tag: name, then attributes, where quoted values may contain '>'.
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>")
_ATTR = re.compile(r"""(\s+)([^\s"'>/=]+)(?:(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def resolve(url: str, base: str) -> str:
    """`url` made absolute against `base`; URLs with a scheme (https:, mailto:) are kept."""
    stripped = url.strip()
    if not stripped or _SCHEME.match(stripped):
        return stripped or url
    return urljoin(base, stripped)


def resolve_srcset(value: str, base: str) -> str:
    """Each candidate of a srcset is `url [descriptor]`; only the URL changes."""
    out = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if not parts:
            continue
        parts[0] = resolve(parts[0], base)
        out.append(" ".join(parts))
    return ", ".join(out)


def _rewrite_attributes(attrs: str, base: str) -> str:
    def one(match: re.Match) -> str:
        space, name, equals = match.group(1), match.group(2), match.group(3)
        if equals is None or name.lower() not in URL_ATTRIBUTES:
            return match.group(0)
        raw = next(g for g in match.group(4, 5, 6) if g is not None)
        value = html.unescape(raw)
        fix = resolve_srcset if name.lower() == "srcset" else resolve
        new = fix(value, base)
        return f'{space}{name}="{html.escape(new, quote=True)}"'

    return _ATTR.sub(one, attrs)


def absolutize(fragment: str, base: str) -> str:
    """`fragment` with href, src, srcset, poster and cite resolved against `base`."""
    if "=" not in fragment:
        return fragment

    def tag(match: re.Match) -> str:
        attrs = match.group(2)
        if "=" not in attrs:
            return match.group(0)
        return f"<{match.group(1)}{_rewrite_attributes(attrs, base)}>"

    return _TAG.sub(tag, fragment)
