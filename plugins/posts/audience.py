"""Who a post is for, and which build writes it: one decision for every build and the lint.

A post is `public` (the public site, its feeds, every platform) or `internal` (the intranet
site and the internal channel only), from its own `audience:` or else its department's
default in content/departments.yaml. A build serves one audience (CHORUS_AUDIENCE): the
public build writes public posts, the internal build writes every post. Drafts are written
only where CHORUS_DRAFTS is true (the local dev build and the intranet, for review), never by
the publish build. A post a build leaves out is never rendered: its title, body, tags and
image are not in that build's pages, feeds, metrics or static files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.settings import chorus_settings

AUDIENCES = ("public", "internal")
INTERNAL_CHANNELS = ("internal",)  # the only platforms an intranet build may cross-post to


def audience_of(meta: dict, department=None) -> str:
    """The post's `audience:`, else its department's default, else public."""
    given = meta.get("audience")
    if given in AUDIENCES:
        return given
    return getattr(department, "audience", None) or "public"


def build_audience(settings: dict) -> str:
    return chorus_settings(settings).CHORUS_AUDIENCE


def in_build(status: str, audience: str, settings: dict) -> bool:
    """Does the build with these settings write this post?"""
    if status == "draft" and not chorus_settings(settings).CHORUS_DRAFTS:
        return False
    return audience == "public" or build_audience(settings) == "internal"


def static_refs(text: str, static_paths: Iterable[str]) -> set[str]:
    """Static files a post's text names (`image: images/posts/x.png`, `{static}/images/…`,
    `/images/…` in the body), as paths relative to content/."""
    folders = "|".join(re.escape(p.strip("/")) for p in static_paths if p.strip("/"))
    if not folders:
        return set()
    start = r"(?:^|(?<=[\s\"'(=}>:]))"  # a path of its own, not part of another site's URL
    found = re.findall(rf"{start}/?((?:{folders})/[^\s\"'<>()\[\]{{}}|]+)", text, re.M)
    return {path.rstrip(".,;:") for path in found}


def withheld_static(left_out: Iterable[set[str]], kept: Iterable[set[str]]) -> set[str]:
    """Static files that only posts left out of this build name: a public build must not
    carry an internal post's image at a guessable URL."""
    named_by_kept = set().union(*kept)
    return set().union(*left_out) - named_by_kept
