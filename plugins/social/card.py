"""A post's social data (canonical and Open Graph links, share links, JSON-LD), made the
first time a template reads it.

Why lazily: these values are a pure function of the post, the settings and the people
directory, and only the post's own page prints them. Made eagerly for every post they were
a third of a rebuild after a one-post edit on a 5,000-post site, for pages that were then
not rendered at all (plugins/writer.py keeps unchanged pages). Why only after every
generator has read its content: Pelican memoizes a post's rendered content (and summary)
the first time it is read, with its {filename} links resolved against what is known then;
a template reads them only once every generator is done.
"""

from __future__ import annotations

from functools import cached_property

from core.urls import absolute_url, site_path
from plugins.social.jsonld import json_ld
from plugins.social.meta import plain_summary, share_links


class SocialCard:
    """What article.html prints about a post for the platforms, as `article.social.*`."""

    DERIVED = True
    """plugins/writer.py: made from the post (whose own attributes are hashed), the settings
    and the people directory (in every page's frame), so it adds nothing to a page's hash."""

    def __init__(self, article, settings: dict):
        self.article, self.settings = article, settings

    def forget(self) -> None:
        """Drop what was made, once the page that prints it is written: kept on every post
        to the end of the build, it was 3 MiB per 1,000 posts of the build's peak memory."""
        article, settings = self.article, self.settings
        self.__dict__.clear()
        self.article, self.settings = article, settings

    @cached_property
    def canonical_url(self) -> str:
        return absolute_url(self.settings["SITEURL"], self.article.url)

    @cached_property
    def og_image(self) -> str:
        image = getattr(self.article, "image", None)
        return absolute_url(self.settings["SITEURL"], str(image)) if image else ""

    @cached_property
    def image_src(self) -> str:
        """The image as the page shows it (a site path, or a URL elsewhere)."""
        image = getattr(self.article, "image", None)
        return site_path(str(image)) if image else ""

    @cached_property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.og_image else "summary"

    @cached_property
    def share_links(self) -> list[dict[str, str]]:
        return share_links(self.canonical_url, self.article.title, self.settings)

    @cached_property
    def plain_summary(self) -> str:
        return plain_summary(self.article.summary)

    @cached_property
    def json_ld(self) -> str:
        return json_ld(self.article, self.settings)
