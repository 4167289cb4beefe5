"""Pelican glue: give each post its social data, and every template the site-wide bits.

Everything is computed once per post here, in Python, so templates only print values and
the same values are what tests/test_social.py checks without running Pelican.
"""

from __future__ import annotations

from pathlib import Path

from core.links import load_links
from core.settings import chorus_settings
from core.urls import absolute_url, site_path
from plugins.problems import ContentError, record
from plugins.run import run_of
from plugins.social.jsonld import json_ld, organization_json_ld
from plugins.social.meta import (
    content_security_policy,
    plain_summary,
    share_links,
)


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
        url = absolute_url(siteurl, article.url)
        article.canonical_url = url
        image = getattr(article, "image", None)
        article.og_image = absolute_url(siteurl, str(image)) if image else ""
        article.image_src = site_path(str(image)) if image else ""  # shown in the page
        article.image_alt = str(getattr(article, "image_alt", "") or "")
        article.twitter_card = "summary_large_image" if article.og_image else "summary"
        article.share_links = share_links(url, article.title, settings)
        article.syndication_links = links.get(getattr(article, "entry_id", ""), [])
    generator.context.update(
        # Templates' SITEURL is relative under RELATIVE_URLS; canonical and og: links are not.
        ABSOLUTE_SITEURL=siteurl.rstrip("/"),
        csp=content_security_policy(settings),
        organization_json_ld=organization_json_ld(settings),
    )


def attach_summaries(generators) -> None:
    """all_generators_finalized: the parts that read article.summary.

    Pelican memoizes a post's rendered content the first time it is read, with its
    {filename} links resolved against what is known *then*; reading it before the pages
    generator has run would freeze links from posts to pages as unresolved. So the
    summary-dependent values are computed only once every generator has read its content.
    """
    for generator in generators:
        if not hasattr(generator, "articles"):
            continue
        for article in _all_posts(generator):
            article.plain_summary = plain_summary(article.summary)
            article.json_ld = json_ld(article, generator.settings)


def _all_posts(generator) -> list:
    """Every post a template may render: published, drafts, and their translations."""
    return [
        *generator.articles,
        *generator.translations,
        *generator.drafts,
        *getattr(generator, "drafts_translations", []),
    ]
