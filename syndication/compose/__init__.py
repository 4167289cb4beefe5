"""Compose one entry for one platform, counted the way that platform counts.

    compose(entry, "mastodon", templates=chorus_settings(settings).SYNDICATION_TEMPLATES,
            limits=platform.limits()) -> Composed

The text is the author's `syndication_text[platform]` when given (their words, no hashtags
added), otherwise the platform's template rendered with the entry's fields. Either way the
link back is in the text, never cut, and the result satisfies length ≤ limit or compose
raises ComposeError with one line saying why.
"""

from __future__ import annotations

from types import ModuleType

from syndication.compose import bluesky, facebook, internal, linkedin, mastodon, threads, x
from syndication.compose import templates as templating
from syndication.compose.hashtags import hashtags
from syndication.compose.layout import (
    LINK,
    TAGS,
    ComposeError,
    draft,
    facets,
    fit,
    limit_links,
    mark_link,
)
from syndication.compose.layout import unmark as _unmark
from syndication.compose.rules import Rules
from syndication.compose.templates import TemplateProblem
from syndication.compose.text import clean, shorten
from syndication.model import Card, Composed, SourceEntry

__all__ = ["ComposeError", "TemplateProblem", "check_templates", "compose", "rules_for"]

MODULES: dict[str, ModuleType] = {
    "mastodon": mastodon,
    "bluesky": bluesky,
    "x": x,
    "linkedin": linkedin,
    "facebook": facebook,
    "threads": threads,
    "internal": internal,
}


def rules_for(platform: str, limits: dict | None = None) -> Rules:
    module = MODULES.get(platform)
    if module is None:
        raise ComposeError(f"{platform}: unknown platform (known: {', '.join(MODULES)})")
    return module.rules(limits)


def check_templates(templates: dict | None) -> list[str]:
    """One line per problem in SYNDICATION_TEMPLATES, for a check before any run."""
    return templating.check(templates, tuple(MODULES))


def compose(
    entry: SourceEntry,
    platform: str,
    *,
    templates: dict[str, str] | None = None,
    limits: dict | None = None,
) -> Composed:
    rules = rules_for(platform, limits)
    override = (entry.syndication_text or {}).get(platform)
    if isinstance(override, str) and override.strip():
        tags: tuple[str, ...] = ()
        marked = mark_link(clean(_unmark(override)), entry.url)
    else:
        tags = hashtags(entry.tags, rules.max_hashtags, rules.tag_ok)
        marked = templating.render(
            platform, templating.source_for(platform, templates), _context(entry, tags)
        )
    fitted = fit(limit_links(draft(marked, entry.url, tags), rules.max_links), rules)
    card = None
    if rules.card:
        card = Card(
            url=entry.url,
            title=shorten(entry.title, rules.card_title),
            description=shorten(entry.summary, rules.card_description),
            image_url=entry.image_url or None,
        )
    return Composed(
        platform=platform,
        text=fitted.text,
        length=fitted.length,
        limit=rules.limit,
        link=entry.url,
        facets=facets(fitted.segments, rules.encode) if rules.facets else (),
        card=card,
        hashtags=fitted.hashtags,
        truncated=fitted.truncated,
    )


def _context(entry: SourceEntry, tags: tuple[str, ...]) -> dict:
    return {
        "title": _unmark(entry.title),
        "summary": _unmark(entry.summary),
        "url": LINK,
        "tags": [_unmark(t) for t in entry.tags],
        "hashtags": TAGS if tags else "",
        "author_name": _unmark(entry.author_name),
        "department": _unmark(entry.department),
    }
