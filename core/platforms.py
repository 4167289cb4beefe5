"""The platforms Chorus cross-posts to: one name each, from front matter (`syndicate:`,
`syndication_text:`) and people's `accounts:` to the ledger, the links file and templates.

Only names and the words people read live here, so the site build (plugins/) can check
and label platforms without importing the cross-posting engine; everything a platform
*does* is in syndication/registry.py, keyed by these names.
"""

from __future__ import annotations

NAMES: tuple[str, ...] = ("linkedin", "facebook", "x", "mastodon", "bluesky", "threads", "internal")

LABELS: dict[str, str] = {
    "linkedin": "LinkedIn",
    "facebook": "Facebook",
    "x": "X",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "threads": "Threads",
    "internal": "Internal channel",
}
"""What a person reads for the platform in lists, reports and profiles."""

ALSO_ON: dict[str, str] = {**LABELS, "internal": "our intranet"}
"""The words after "Also on" under a post: the intranet is a place, not a product."""


def known() -> str:
    """The list of names for an "unknown platform" message."""
    return ", ".join(NAMES)
