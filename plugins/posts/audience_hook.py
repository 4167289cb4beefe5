"""Pelican glue for audiences: static files that only left-out posts name are not copied.

The reader (reader.py) decides per post with plugins/posts/audience.py and records what each
post's text names under STATIC_PATHS; this drops the files that no written post or page
names, so an internal post's image is not served by the public site at a guessable URL.
"""

from __future__ import annotations

from plugins.posts.audience import withheld_static
from plugins.run import run_of


def withhold_static(generator) -> None:
    """static_generator_finalized."""
    settings = generator.settings
    left_out = run_of(settings).left_out_static
    if not left_out:
        return
    withheld = withheld_static(left_out, run_of(settings).kept_static)
    if not withheld:
        return
    kept = [s for s in generator.staticfiles if s.relative_source_path not in withheld]
    generator.staticfiles = kept
    generator.context["staticfiles"] = kept
