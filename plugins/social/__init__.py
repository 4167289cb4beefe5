"""Social metadata: canonical/Open Graph/Twitter data, JSON-LD, share and "Also on" links.

The logic is plain Python (meta.py, jsonld.py); hook.py attaches it to posts once the
people plugin has given each post its author and department.
"""

from pelican import signals

from plugins.social.hook import attach_social, release_social
from plugins.social.jsonld import json_ld
from plugins.social.meta import plain_summary, share_links

__all__ = ["json_ld", "plain_summary", "register", "share_links"]


def register() -> None:
    signals.article_generator_finalized.connect(attach_social)
    signals.content_written.connect(release_social)
