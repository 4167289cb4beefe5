"""What a feed says about itself (as opposed to its entries): one FeedInfo per feed file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.feed_contract import FeedExtension
from plugins.feeds.entry import Author


@dataclass
class FeedInfo:
    """Feed-level data shared by the three formats of one feed.

    `urls` maps each format to the absolute URL where that file is served: a feed's self
    link must be exactly that (WebSub subscribers and readers key on it).
    """

    key: str  # "all", "departments/warehouse": the path under feeds/, for ids and logs
    title: str
    subtitle: str
    home: str  # the HTML page this feed mirrors
    urls: dict[str, str]  # format → absolute URL of the file
    paths: dict[str, str]  # format → path relative to the output folder
    id: str  # Atom feed id (tag: URI)
    lang: str
    updated: dt.datetime
    icon: str = ""
    hub: str | None = None
    stylesheet: str = ""
    author: Author | None = None  # for a person's feed
    extension: FeedExtension | None = None  # the JSON Feed's top-level `_chorus` (the site feed's)
