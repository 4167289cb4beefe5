"""Listening on Bluesky: every watch term, and every configured hashtag as `q="#tag"`,
through app.bsky.feed.searchPosts (sort=latest, 100 a page, at most MAX_PAGES pages by
cursor), as listening Entries.

Which AppView answers, first that applies:
- the source's `url:` (an AppView), without a session;
- CHORUS_BLUESKY_APPVIEW_URL, without a session; or, with our account configured
  (CHORUS_BLUESKY_HANDLE and CHORUS_BLUESKY_APP_PASSWORD), through our PDS with its session
  (conversations.bluesky.connect: one way to reach an AppView for listening and backfeed);
- otherwise the public AppView, https://public.api.bsky.app. Bluesky often refuses search
  there without a session (403; atproto issues 3423 and 2838, the latter for any `cursor`),
  so a later page that fails ends that query's paging and keeps the pages read; a first
  page that fails is the source's one-line error.

Hashtags: the lexicon's `tag` filter only matches posts whose client wrote a tag facet;
`q="#tag"` matches those and the plain text too, so q is what is sent.

Who is left out: anyone whose profile says #nobridge, #nobot or #nobackfeed (the
description is not in a post view: the authors are looked up with getProfiles, 25 a
request) or who carries the `!no-unauthenticated` self-label (our Listening page is public),
the same test as for replies (conversations.bluesky.author).
"""

from __future__ import annotations

import httpx

from conversations import bluesky as bsky
from conversations.listening.platforms import published_at
from conversations.listening.sources import PlatformSource
from plugins.listening.clean import clean_title, safe_url
from plugins.listening.parse import Entry, first_words
from syndication import credentials
from syndication.http import Api
from syndication.model import PlatformError

PUBLIC_APPVIEW = "https://public.api.bsky.app"
PAGE = 100  # the lexicon's maximum
MAX_PAGES = 3
SEARCH = "/xrpc/app.bsky.feed.searchPosts"


def connect(source: PlatformSource, client: httpx.Client) -> Api:
    if source.url:
        return Api("bluesky", source.url, client=client)
    creds = credentials.load("bluesky")
    found = bsky.connect(creds) if creds else None
    if found is not None:
        return found
    appview = credentials.secret("CHORUS_BLUESKY_APPVIEW_URL")
    return Api("bluesky", appview or PUBLIC_APPVIEW, client=client)


def search(api: Api, q: str, timeout: float) -> list[dict]:
    """The post views searchPosts gives for q, newest first, up to MAX_PAGES pages."""
    found: list[dict] = []
    cursor = None
    for page in range(MAX_PAGES):
        params = {"q": q, "sort": "latest", "limit": PAGE, **({"cursor": cursor} if cursor else {})}
        try:
            data = api.json("GET", SEARCH, params=params, timeout=timeout)
        except PlatformError:
            if page == 0:
                raise
            break  # the public AppView refuses `cursor` without a session: keep page one
        posts = data.get("posts") if isinstance(data, dict) else None
        batch = [p for p in posts if isinstance(p, dict)] if isinstance(posts, list) else []
        found += batch
        cursor = data.get("cursor") if isinstance(data, dict) else None
        if not cursor or not batch:
            break
    return found


def read(
    source: PlatformSource, queries: list[str], client: httpx.Client, timeout: float
) -> list[Entry]:
    api = connect(source, client)
    asked = [*(queries if source.search else []), *(f"#{tag}" for tag in source.hashtags)]
    found = [post for q in asked for post in search(api, q, timeout)]
    about = bsky.descriptions(api, found) if found else {}
    return [e for e in (entry(p, source.name, about) for p in found) if e]


def entry(post: dict, source: str, descriptions: dict[str, str]) -> Entry | None:
    """One post view as a listening Entry, or None when it must not be shown."""
    actor, record, uri = post.get("author"), post.get("record"), str(post.get("uri") or "")
    if not isinstance(actor, dict) or not isinstance(record, dict) or not uri.startswith("at://"):
        return None
    who = bsky.author(actor, descriptions.get(str(actor.get("did") or "")))
    if who.opted_out or not who.handle:
        return None
    url = safe_url(bsky.WEB.format(handle=who.handle, rkey=bsky.rkey_of(uri)))
    if not url:
        return None
    summary = bsky.text_html(str(record.get("text") or ""))
    stamp = record.get("createdAt") or post.get("indexedAt")
    return Entry(uri[:500], clean_title(first_words(summary) or "(untitled)"), url, source,
                 published_at(stamp), summary)  # fmt: skip
