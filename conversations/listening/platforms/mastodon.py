"""Listening on Mastodon: every watch term through GET /api/v2/search?type=statuses (one
page of 40) and every configured hashtag through GET /api/v1/timelines/tag/:hashtag (one
page of 40), as listening Entries.

Which statuses count: public ones only (an unlisted or private status found through a
token's own timeline must never reach our public Listening page), no boosts (the original
is what was said), and nobody whose account asks not to be indexed (`noindex`) or whose
profile says #nobridge, #nobot or #nobackfeed (core.consent.opted_out, the same
test as for replies).

The token: full-text search on Mastodon needs a user token (without one, search answers
only exact URLs and hashtags). CHORUS_MASTODON_TOKEN is sent only to CHORUS_MASTODON_URL's
instance, never to another `url:`; hashtag timelines are public and need none.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx

from conversations.listening.platforms import Unreadable, published_at
from conversations.listening.sources import PlatformSource
from core.consent import opted_out
from plugins.listening.clean import clean_summary, clean_title, safe_url
from plugins.listening.parse import Entry, first_words
from syndication import credentials
from syndication.http import Api

PAGE = 40  # the largest page both endpoints give


def read(
    source: PlatformSource, queries: list[str], client: httpx.Client, timeout: float
) -> list[Entry]:
    ours = credentials.secret("CHORUS_MASTODON_URL").rstrip("/")
    base = (source.url or ours).rstrip("/")
    if not base:
        raise Unreadable(f"{source.name}: no instance: give `url:` or set CHORUS_MASTODON_URL")
    token = credentials.secret("CHORUS_MASTODON_TOKEN") if base == ours else ""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    api = Api("mastodon", base, client=client, headers=headers)
    found: list[dict] = []
    if source.search:
        for q in queries:
            params = {"q": q, "type": "statuses", "limit": PAGE}
            data = api.json("GET", "/api/v2/search", params=params, timeout=timeout)
            statuses = data.get("statuses") if isinstance(data, dict) else None
            found += statuses if isinstance(statuses, list) else []
    for tag in source.hashtags:
        path = f"/api/v1/timelines/tag/{quote(tag, safe='')}"
        data = api.json("GET", path, params={"limit": PAGE}, timeout=timeout)
        found += data if isinstance(data, list) else []
    return [e for e in (entry(s, source.name) for s in found if isinstance(s, dict)) if e]


def entry(status: dict, source: str) -> Entry | None:
    """One status as a listening Entry, or None when it must not be shown."""
    account = status.get("account") if isinstance(status.get("account"), dict) else {}
    if status.get("visibility") != "public" or status.get("reblog") or account.get("noindex"):
        return None
    if opted_out(f"{account.get('note') or ''} {account.get('display_name') or ''}"):
        return None
    url = safe_url(str(status.get("url") or status.get("uri") or ""))
    if not url:
        return None
    summary = clean_summary(str(status.get("content") or ""))
    spoiler = clean_title(str(status.get("spoiler_text") or ""))
    title = spoiler or first_words(summary) or "(untitled)"
    return Entry(str(status.get("uri") or url)[:500], clean_title(title), url, source,
                 published_at(status.get("created_at")), summary)  # fmt: skip
