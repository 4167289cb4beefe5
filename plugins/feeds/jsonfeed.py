"""JSON Feed 1.1, with each item serialised once and joined into every feed's `items`.

Items carry `_chorus`, the cross-posting engine's extension (see entry.chorus_extension):
cross-posting reads syndication choices from the published feed and nothing else.
"""

from __future__ import annotations

import json

from core.feed_contract import EXTENSION
from plugins.feeds.entry import Author, Entry
from plugins.feeds.model import FeedInfo

VERSION = "https://jsonfeed.org/version/1.1"
MIME = "application/feed+json"


def _dumps(value) -> str:
    # ensure_ascii=False: smaller files, readable; text.clean already removed surrogates
    return json.dumps(value, ensure_ascii=False, indent=1)


def _author(author: Author) -> dict:
    out = {"name": author.name}
    if author.url:
        out["url"] = author.url
    if author.avatar:
        out["avatar"] = author.avatar
    return out


def entry(e: Entry) -> str:
    """One item as JSON text."""
    item = {
        "id": e.id,
        "url": e.url,
        "title": e.title,
        "content_html": e.content_html,
    }
    if e.summary:
        item["summary"] = e.summary
    if e.image:
        item["image"] = e.image.url
    item.update(
        date_published=e.published.isoformat(timespec="seconds"),
        date_modified=e.updated.isoformat(timespec="seconds"),
        authors=[_author(e.author)],
        tags=[c.label for c in e.categories],
    )
    if e.lang:
        item["language"] = e.lang
    if e.chorus is not None:
        item[EXTENSION] = e.chorus.to_json()
    return _dumps(item)


def feed(info: FeedInfo, entries: list[str]) -> str:
    """The document; `items` is spliced in as text so items are never re-serialised."""
    top = {
        "version": VERSION,
        "title": info.title,
        "home_page_url": info.home,
        "feed_url": info.urls["json"],
    }
    if info.subtitle:
        top["description"] = info.subtitle
    if info.icon:
        top["icon"] = info.icon
        top["favicon"] = info.icon
    if info.author:
        top["authors"] = [_author(info.author)]
    top["language"] = info.lang
    if info.hub:
        top["hubs"] = [{"type": "WebSub", "url": info.hub}]
    extension = info.extension.to_json() if info.extension else None
    if extension:
        top[EXTENSION] = extension
    head = _dumps(top)[:-2]  # drop the closing "\n}" to append the items
    items = ",\n".join(entries)
    return f'{head},\n "items": [\n{items}\n ]\n}}\n'
