"""Pelican glue: give each post its social data, and every template the site-wide bits.

Every value is computed in Python (card.py, on first read), so templates only print values
and the same values are what tests/test_social.py checks without running Pelican.
"""

from __future__ import annotations

from pathlib import Path

from core.links import load_links
from core.settings import chorus_settings
from plugins.problems import ContentError, record
from plugins.run import run_of
from plugins.social.card import SocialCard
from plugins.social.jsonld import organization_json_ld
from plugins.social.meta import content_security_policy, share_links


def links_file(settings: dict) -> Path:
    """SYNDICATION_LINKS_FILE is relative to the content folder (or absolute, in tests)."""
    return Path(settings["PATH"]) / chorus_settings(settings).SYNDICATION_LINKS_FILE


def attach_social(generator) -> None:
    """article_generator_finalized: after plugins.people has set article.person."""
    settings = generator.settings
    siteurl = settings["SITEURL"]
    try:
        links = load_links(links_file(settings))
    except ContentError as exc:
        record(settings, exc)
        links = {}
    directory = run_of(settings).directory
    try:
        share_links(siteurl, "", settings)  # check SHARE_PLATFORMS once, not per post
    except ValueError as exc:
        record(settings, ContentError("pelicanconf.py", None, str(exc)))
        return
    for article in _all_posts(generator):
        if getattr(article, "person", None) is None and directory is not None:
            article.person = directory.people.get(str(article.author))
        article.image_alt = str(getattr(article, "image_alt", "") or "")
        article.syndication_links = links.get(getattr(article, "entry_id", ""), [])
        article.social = SocialCard(article, settings)  # the rest, when a page reads it
    generator.context.update(
        # Templates' SITEURL is relative under RELATIVE_URLS; canonical and og: links are not.
        ABSOLUTE_SITEURL=siteurl.rstrip("/"),
        csp=content_security_policy(settings),
        organization_json_ld=organization_json_ld(settings),
    )


def _all_posts(generator) -> list:
    """Every post a template may render: published, drafts, and their translations."""
    return [
        *generator.articles,
        *generator.translations,
        *generator.drafts,
        *getattr(generator, "drafts_translations", []),
    ]


def release_social(path: str, context: dict | None = None) -> None:
    """content_written: the post's own page is the only one that prints its social data."""
    card = getattr((context or {}).get("article"), "social", None)
    if isinstance(card, SocialCard):
        card.forget()
