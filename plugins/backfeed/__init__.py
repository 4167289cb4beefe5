"""Conversations on the site: each post's approved replies, threaded, as microformats
(u-comment h-cite), like/repost counts per platform and "Reply on …" links to our copies.

Named backfeed, not conversations: Pelican finds a plugin by its last name in PLUGIN_PATHS,
and the top-level `conversations` package (the fetch/moderation side) would shadow it.
The logic is plain Python (view.py); register() only connects it to Pelican.
"""


def register() -> None:
    from pelican import signals

    from plugins.backfeed.view import attach

    signals.all_generators_finalized.connect(attach)
