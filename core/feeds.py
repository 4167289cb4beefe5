"""Where each feed lives: one function, used by the feed writer, every template and the
WebSub ping (which tells a hub about every feed file, in every format)."""

from __future__ import annotations

SCOPES = ("all", "departments", "people", "tags", "responses")
FORMATS = {
    "atom": ("atom.xml", "application/atom+xml", "Atom"),
    "rss": ("rss.xml", "application/rss+xml", "RSS"),
    "json": ("json", "application/feed+json", "JSON Feed"),
}


def feed_paths(scope: str, slug: str | None = None) -> dict[str, str]:
    """Format → path relative to SITEURL, e.g. {'atom': 'feeds/people/maria.lopez.atom.xml'}."""
    if scope not in SCOPES:
        raise ValueError(f"unknown feed scope {scope!r}")
    if scope == "all":
        base = "feeds/all"
    elif scope == "responses" and not slug:
        base = "feeds/responses"  # every approved reply to every post
    else:
        base = f"feeds/{scope}/{slug}"
    return {fmt: f"{base}.{ext}" for fmt, (ext, _, _) in FORMATS.items()}
