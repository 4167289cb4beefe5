"""Entry ids on content objects, and the rule that a slug names exactly one post."""

from __future__ import annotations

import os

from pelican.contents import Article

from plugins.posts.identity import entry_id
from plugins.problems import ContentError, record


def set_entry_id(content) -> None:
    """content_object_init. Pelican's signals are process-wide, so this also sees Articles
    made outside a Chorus build (other tests, tools): those have no feed id settings."""
    s = content.settings
    if isinstance(content, Article) and "FEED_ID_AUTHORITY" in s and "FEED_ID_START" in s:
        content.entry_id = entry_id(s["FEED_ID_AUTHORITY"], s["FEED_ID_START"], content.slug)


def check_unique_slugs(generator) -> None:
    """Two posts with one slug would overwrite each other's page and share an entry id."""
    seen: dict[str, str] = {}
    everything = generator.articles + generator.drafts + generator.hidden_articles
    for article in sorted(everything, key=lambda a: a.source_path):
        first = seen.setdefault(article.slug, article.source_path)
        if first != article.source_path:
            rel = first.removeprefix(generator.settings["PATH"]).lstrip("/")
            record(
                generator.settings,
                ContentError(
                    article.source_path,
                    None,
                    f"duplicate slug '{article.slug}': {rel} has the same file name; rename one",
                ),
            )


# Folders the site writes itself that no *_SAVE_AS setting names.
SITE_FOLDERS = {"people", "feeds", "theme"}


def reserved_slugs(settings: dict) -> set[str]:
    """First folders of every page the site writes itself (posts/, tags/, people/, feeds/,
    images/…). A page (`content/pages/<slug>.md` → `<slug>/`) with one of these names
    would overwrite that section, and Pelican would stop halfway through writing."""
    names = set(SITE_FOLDERS) | set(settings.get("STATIC_PATHS") or [])
    names.add(settings.get("THEME_STATIC_DIR") or "theme")
    for key, value in settings.items():
        if key.endswith(("_SAVE_AS", "_URL")) and isinstance(value, str) and "/" in value:
            first = value.split("/", 1)[0]
            if first and "{" not in first:
                names.add(first)
    return names


def page_slug_error(path: str, meta: dict, line: int, settings: dict) -> ContentError | None:
    """A page whose slug is a section of the site, as a located error (None if fine)."""
    slug = meta.get("slug") or os.path.splitext(os.path.basename(path))[0]
    if str(slug) in reserved_slugs(settings):
        return ContentError(
            path,
            line,
            f"a page cannot be called '{slug}': the site already has a {slug}/ section;"
            " rename the file (or set another 'slug')",
        )
    return None
