"""Where each feed lives: one function, used by the feed writer and by every template."""

from __future__ import annotations

SCOPES = ("all", "departments", "people", "tags")
FORMATS = {
    "atom": ("atom.xml", "application/atom+xml", "Atom"),
    "rss": ("rss.xml", "application/rss+xml", "RSS"),
    "json": ("json", "application/feed+json", "JSON Feed"),
}


def feed_paths(scope: str, slug: str | None = None) -> dict[str, str]:
    """Format → path relative to SITEURL, e.g. {'atom': 'feeds/people/maria.lopez.atom.xml'}."""
    if scope not in SCOPES:
        raise ValueError(f"unknown feed scope {scope!r}")
    base = "feeds/all" if scope == "all" else f"feeds/{scope}/{slug}"
    return {fmt: f"{base}.{ext}" for fmt, (ext, _, _) in FORMATS.items()}
