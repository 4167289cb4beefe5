"""Entry ids on content objects, and the rule that a slug names exactly one post."""

from __future__ import annotations

import os
from collections.abc import Iterable

from plugins.posts.identity import entry_id
from plugins.problems import ContentError, record
from plugins.run import run_of


def set_entry_id(content) -> None:
    """content_object_init. Pelican's signals are process-wide, so this also sees Articles
    made outside a Chorus build (other tests, tools): those have no feed id settings.
    (Pelican is imported here, not above: the lint imports this module and starts without
    paying for Pelican.)"""
    from pelican.contents import Article

    s = content.settings
    if isinstance(content, Article) and "FEED_ID_AUTHORITY" in s and "FEED_ID_START" in s:
        content.entry_id = entry_id(s["FEED_ID_AUTHORITY"], s["FEED_ID_START"], content.slug)


def duplicate_slugs(posts: Iterable[tuple[str, str]], content_root: str) -> list[ContentError]:
    """Two posts with one slug would overwrite each other's page and share an entry id.
    `posts` is (slug, source path) for every post file, whatever its status or audience: the
    public and the internal build must agree on which post a slug names. The build and the
    lint both ask this."""
    seen: dict[str, str] = {}
    errors = []
    root = str(content_root).rstrip("/")
    for slug, path in sorted(posts, key=lambda item: str(item[1])):
        first = seen.setdefault(slug, str(path))
        if first != str(path):
            rel = first.removeprefix(root).lstrip("/")
            message = f"duplicate slug '{slug}': {rel} has the same file name; rename one"
            errors.append(ContentError(str(path), None, message))
    return errors


def check_unique_slugs(generator) -> None:
    """article_generator_finalized: every post read, including those this build leaves out
    (plugins/posts/audience.py records them), has its own slug."""
    settings = generator.settings
    everything = generator.articles + generator.drafts + generator.hidden_articles
    posts = [(a.slug, a.source_path) for a in everything]
    posts += run_of(settings).left_out
    for error in duplicate_slugs(posts, settings["PATH"]):
        record(settings, error)


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
