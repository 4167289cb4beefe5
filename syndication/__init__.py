"""Cross-posting engine: reads the published feed, posts each entry once per platform,
records it in the ledger and writes the links file the next build renders.

The platform names are core.platforms.NAMES; what each platform is and does is
syndication.registry.
"""

from core.platforms import NAMES as PLATFORMS

__all__ = ["PLATFORMS"]
