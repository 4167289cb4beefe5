"""Conversations on the site: each post's approved replies, threaded, as microformats
(u-comment h-cite), like/repost counts per platform, "Reply on …" links to our copies,
and feeds of the approved replies (feeds/responses.*, feeds/responses/<slug>.*).

Named backfeed, not conversations: Pelican finds a plugin by its last name in PLUGIN_PATHS,
and the top-level `conversations` package (the fetch/moderation side) would shadow it.
The logic is plain Python (view.py); register() only connects it to Pelican.
"""


def register() -> None:
    from pelican import signals

    from plugins.backfeed.feeds import get_generators
    from plugins.backfeed.view import attach

    signals.all_generators_finalized.connect(attach)
    signals.get_generators.connect(get_generators)
