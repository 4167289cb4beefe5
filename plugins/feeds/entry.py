"""One neutral Entry per published post, made once and shared by every feed and format.

Everything a feed needs is computed here from the Pelican article and the settings:
absolute URLs, cleaned text, timezone-aware dates, the author and the categories. The
writers (atom.py, rss.py, jsonfeed.py) only serialise; they never look at Pelican objects,
so they are testable with plain data and cannot disagree with each other.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from core.feed_contract import ItemExtension
from core.settings import chorus_settings
from core.text import html_to_text
from core.urls import absolute_url, site_path
from plugins.feeds.absolute import absolutize
from plugins.feeds.text import clean
from plugins.posts.audience import INTERNAL_CHANNELS, audience_of, build_audience

GENERATOR = ("Chorus on Pelican", "https://getpelican.com/")  # name, uri


@dataclass(frozen=True)
class Author:
    name: str
    url: str = ""
    avatar: str = ""


@dataclass(frozen=True)
class Category:
    term: str  # the slug: stable, machine-readable
    label: str  # what a reader shows
    scheme: str = ""  # where the term's page lives (departments/ or tags/)


@dataclass(frozen=True)
class Image:
    url: str
    mime: str = ""
    length: int = 0
    alt: str = ""


@dataclass
class Entry:
    """A post as every feed sees it. `chorus` is the cross-posting engine's extension."""

    id: str
    slug: str
    url: str
    title: str
    content_html: str
    summary: str  # plain text
    published: dt.datetime
    updated: dt.datetime
    author: Author
    handle: str  # the author's handle, for the person's feed
    department: str  # slug
    categories: list[Category]
    tags: list[str] = field(default_factory=list)  # tag slugs, for grouping
    image: Image | None = None
    lang: str = ""
    chorus: ItemExtension | None = None


@dataclass
class Site:
    """The settings feeds use, read once."""

    url: str  # SITEURL, no trailing slash
    name: str
    subtitle: str
    lang: str
    timezone: str
    id_authority: str
    id_start: str
    max_items: int | None
    hub: str | None
    stylesheet: str  # absolute URL of feed.xsl
    icon: str  # absolute URL, or ""
    content_path: str
    audience: str = "public"  # which site this is (plugins/posts/audience.py)

    @classmethod
    def from_settings(cls, settings: dict) -> Site:
        url = str(settings.get("SITEURL") or "").rstrip("/")
        chorus = chorus_settings(settings)
        static = settings.get("THEME_STATIC_DIR", "theme").strip("/")
        logo = chorus.ORGANIZATION.get("logo") or ""
        max_items = settings.get("FEED_MAX_ITEMS")
        return cls(
            url=url,
            name=clean(settings.get("SITENAME", "")),
            subtitle=clean(settings.get("SITESUBTITLE") or ""),
            lang=str(settings.get("DEFAULT_LANG") or "en"),
            timezone=str(settings.get("TIMEZONE") or "UTC"),
            id_authority=chorus.FEED_ID_AUTHORITY,
            id_start=chorus.FEED_ID_START,
            max_items=int(max_items) if max_items else None,
            hub=chorus.WEBSUB_HUB or None,
            stylesheet=f"{url}/{static}/feed.xsl",
            icon=absolute_url(url, logo) if logo else "",
            content_path=str(settings.get("PATH") or ""),
            audience=build_audience(settings),
        )

    def absolute(self, path: str) -> str:
        return absolute_url(self.url, path)

    def aware(self, value: dt.datetime) -> dt.datetime:
        """Pelican makes dates aware already; a naive one is in the site's timezone."""
        if value.tzinfo is None:
            return value.replace(tzinfo=ZoneInfo(self.timezone))
        return value

    def feed_id(self, path: str) -> str:
        """A feed's Atom id: a tag: URI like the entries', independent of SITEURL."""
        return f"tag:{self.id_authority},{self.id_start}:{path}"


def image_size(site: Site, path: str) -> int:
    """The size of a post's image file in the content folder (0: remote or missing)."""
    local = site_path(path)
    if site.content_path and "://" not in local:
        try:
            return os.path.getsize(os.path.join(site.content_path, local))
        except OSError:
            return 0
    return 0


def make_image(site: Site, path: str, alt: str) -> Image:
    """The post's main image; its size (RSS enclosures require a length) from the file."""
    url = site.absolute(path)
    mime = mimetypes.guess_type(path)[0] or ""
    length = image_size(site, path)
    return Image(url=url, mime=mime, length=length, alt=clean(alt))


def entry_from_article(article, site: Site) -> Entry:
    """The Entry for one published Pelican article (with the people plugin's attributes)."""
    url = site.absolute(article.url)
    content = article.get_content(site.url)  # placeholders resolved against SITEURL
    person = getattr(article, "person", None)
    if person is not None:
        author = Author(
            name=clean(person.name),
            url=site.absolute(person.url),
            avatar=site.absolute(person.avatar) if person.avatar else "",
        )
    else:  # not in the directory (a build error elsewhere); still name someone
        author = Author(name=clean(str(article.author)))
    category = article.category
    department = getattr(article, "department", None)
    dept_slug = department.slug if department is not None else category.slug
    dept_name = department.name if department is not None else str(category)
    categories = [Category(dept_slug, clean(dept_name), site.absolute("departments/"))]
    tags = []
    for tag in getattr(article, "tags", []) or []:
        categories.append(Category(tag.slug, clean(str(tag)), site.absolute("tags/")))
        tags.append(tag.slug)
    meta = article.metadata
    image = None
    if meta.get("image"):
        image = make_image(site, str(meta["image"]), str(meta.get("image_alt") or ""))
    published = site.aware(article.date)
    updated = site.aware(getattr(article, "modified", None) or article.date)
    return Entry(
        id=article.entry_id,
        slug=article.slug,
        url=url,
        title=clean(str(article.title)),  # plain text: templates escape it too
        content_html=clean(absolutize(content, url)),
        summary=clean(html_to_text(str(article.summary or ""))),
        published=published,
        updated=updated,
        author=author,
        handle=str(article.author),
        department=dept_slug,
        categories=categories,
        tags=tags,
        image=image,
        lang=str(getattr(article, "lang", "") or site.lang),
        chorus=chorus_extension(
            meta,
            department,
            dept_slug,
            site.audience,
            image_alt=image.alt if image else "",
            tags=[c.label for c in categories[1:]],
        ),
    )


def chorus_extension(
    meta: dict,
    department,
    dept_slug: str,
    site_audience: str = "public",
    *,
    image_alt: str = "",
    tags: list[str] | None = None,
) -> ItemExtension:
    """What the cross-posting engine needs, read only from the feed.

    `syndicate` absent → the department's default; an explicit list (even []) wins.
    `audience` is the post's own. An internal post goes to the internal channel only (by
    default there; an explicit list keeps only "internal"). The intranet site's feed lists
    public posts too, with no platforms: they are cross-posted from the public site's feed,
    so each (post, platform) has exactly one source.
    """
    explicit = meta.get("syndicate")
    audience = audience_of(meta, department)
    if audience == "internal":
        syndicate = (
            [str(p) for p in explicit if p in INTERNAL_CHANNELS]
            if explicit is not None
            else list(INTERNAL_CHANNELS)
        )
    elif site_audience == "internal":
        syndicate = []
    elif explicit is not None:
        syndicate = [str(p) for p in explicit]
    else:
        syndicate = list(getattr(department, "syndicate", []) or [])
    texts = meta.get("syndication_text") or {}
    return ItemExtension(
        department=dept_slug,
        audience=audience,
        syndicate=tuple(syndicate),
        syndication_text={str(k): clean(v) for k, v in texts.items()},
        status="published",
        image_alt=image_alt,
        tags=tuple(tags) if tags is not None else None,
    )


def newest_first(entries: list[Entry]) -> list[Entry]:
    """Newest published first; the slug breaks ties so that the output is reproducible."""
    return sorted(entries, key=lambda e: (e.published, e.slug), reverse=True)
