"""Who has said "do not copy me": the opt-out tags the bridging and backfeed tools of the
fediverse and Bluesky honour. A profile that says any of them is never stored, by the
conversations backfeed or by platform listening."""

from __future__ import annotations

OPT_OUT_TAGS = ("#nobridge", "#nobot", "#nobackfeed")


def opted_out(profile_text: str) -> bool:
    """A profile (bio, display name) that says #nobridge, #nobot or #nobackfeed."""
    lowered = (profile_text or "").lower()
    return any(tag in lowered for tag in OPT_OUT_TAGS)
