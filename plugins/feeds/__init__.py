"""Feeds: Atom 1.0, RSS 2.0 and JSON Feed 1.1 for the site, each department, person and tag.

Pelican's own feeds are off (pelicanconf.py): they cannot carry our entry ids, authors from
the people directory, absolute URLs in content, or the `_chorus` extension. Paths come from
paths.feed_paths, which templates use too; websub.ping_hub tells the hub after publishing.
"""

from pelican import signals

from plugins.feeds.generator import FeedsGenerator


def get_generators(_pelican):
    from plugins.feeds.page import FeedsPageGenerator

    return (FeedsGenerator, FeedsPageGenerator)


def register() -> None:
    signals.get_generators.connect(get_generators)
