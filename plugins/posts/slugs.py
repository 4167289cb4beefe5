"""Entry ids on content objects, and the rule that a slug names exactly one post."""

from __future__ import annotations

from pelican.contents import Article

from plugins.posts.identity import entry_id
from plugins.problems import ContentError, record


def set_entry_id(content) -> None:
    if isinstance(content, Article):
        s = content.settings
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
