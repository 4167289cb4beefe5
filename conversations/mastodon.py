"""Mastodon responses to one of our statuses: the thread below it (/context), who
favourited it and who boosted it (Link-header paging, 80 a page, bounded).

Everything goes through syndication.http.Api, so errors are the engine's one-line
PlatformErrors (429 → RateLimited, 5xx/garbage JSON → Transient, 401/403 → Permanent).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from conversations.model import Author, Response
from core.consent import opted_out
from plugins.listening.clean import clean_summary
from syndication.http import Api, parse_json

PAGE = 80
MAX_PAGES = 25  # 2,000 likes/boosts per copy is enough for counts; beyond that we stop


def connect(creds: dict[str, str]) -> Api | None:
    if not (creds.get("CHORUS_MASTODON_URL") and creds.get("CHORUS_MASTODON_TOKEN")):
        return None
    return Api(
        "mastodon",
        creds["CHORUS_MASTODON_URL"],
        headers={"Authorization": f"Bearer {creds['CHORUS_MASTODON_TOKEN']}"},
    )


def author(account: dict) -> Author:
    """Handles are always user@host: a local account's `acct` has no host, and blocklists
    and the directory compare full handles."""
    handle = str(account.get("acct") or account.get("username") or "")
    host = urlsplit(str(account.get("url") or "")).hostname
    if handle and "@" not in handle and host:
        handle = f"{handle}@{host}"
    return Author(
        handle=handle,
        name=str(account.get("display_name") or handle),
        url=str(account.get("url") or ""),
        opted_out=opted_out(f"{account.get('note') or ''} {account.get('display_name') or ''}"),
    )


def _accounts(api: Api, path: str) -> list[dict]:
    """Every account of a paged list, following rel="next" up to MAX_PAGES."""
    found: list[dict] = []
    url: str | None = f"{path}?limit={PAGE}"
    for _ in range(MAX_PAGES):
        if not url:
            break
        response = api.request("GET", url)
        data = parse_json(response, f"{api.platform}: GET {path}")
        if isinstance(data, list):
            found.extend(a for a in data if isinstance(a, dict))
        nxt = response.links.get("next") if isinstance(response, httpx.Response) else None
        url = nxt.get("url") if nxt else None
    return found


def reply(copy_id: str, status: dict) -> Response | None:
    account = status.get("account")
    if not isinstance(account, dict) or not status.get("id"):
        return None
    return Response(
        platform="mastodon",
        copy_id=copy_id,
        response_id=str(status["id"]),
        kind="reply",
        author=author(account),
        text=clean_summary(str(status.get("content") or "")),
        url=str(status.get("url") or status.get("uri") or ""),
        published=str(status.get("created_at") or ""),
        updated=str(status.get("edited_at") or ""),
        parent_id=str(status.get("in_reply_to_id") or copy_id),
    )


def signature(api: Api, copy_id: str) -> str:
    """One request that says whether anything changed: our status' reply, favourite and
    boost counts. Equal to last time → the full fetch is skipped. (An edit of a reply
    changes no count; it is picked up at the next fetch that does run.)"""
    status = api.json("GET", f"/api/v1/statuses/{copy_id}")
    if not isinstance(status, dict):
        return ""
    counts = (status.get(k) for k in ("replies_count", "favourites_count", "reblogs_count"))
    return ":".join(str(c) for c in counts)


def fetch(api: Api, copy_id: str) -> list[Response]:
    """All responses to one copy; raises the engine's PlatformError on failure (404/410
    of our own copy is a Permanent whose message has 'HTTP 404'/'HTTP 410')."""
    context = api.json("GET", f"/api/v1/statuses/{copy_id}/context")
    descendants = context.get("descendants") if isinstance(context, dict) else None
    responses = [
        r
        for s in (descendants if isinstance(descendants, list) else [])
        if isinstance(s, dict) and (r := reply(copy_id, s)) is not None
    ]
    for kind, path in (("like", "favourited_by"), ("repost", "reblogged_by")):
        for account in _accounts(api, f"/api/v1/statuses/{copy_id}/{path}"):
            if not account.get("id"):
                continue
            responses.append(
                Response("mastodon", copy_id, f"{kind}:{account['id']}", kind, author(account))
            )
    return responses
