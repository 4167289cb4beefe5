"""Threads responses to one of our posts: every reply at any depth (GET
/{media-id}/conversation, flattened, oldest first) and the like/repost totals of the post's
insights (GET /{media-id}/insights; Threads does not say who liked).

Replies the account hid on Threads (hide_status HIDDEN, or Threads' own COVERED, BLOCKED,
RESTRICTED) are not taken: someone already decided they should not be seen.
"""

from __future__ import annotations

from conversations.graph import classify, member, number, pages, totals
from conversations.model import Author, Response, plain_html, utc
from syndication.http import Api, items
from syndication.platforms.threads import DEFAULT_API

FIELDS = "id,text,username,permalink,timestamp,replied_to,is_reply,root_post,hide_status"
SHOWN = frozenset({"NOT_HUSHED", "UNHUSHED", ""})
METRICS = "likes,replies,reposts,quotes"


def connect(creds: dict[str, str]) -> Api | None:
    if not creds.get("CHORUS_THREADS_TOKEN"):
        return None
    return Api(
        "threads",
        creds.get("CHORUS_THREADS_API_URL") or DEFAULT_API,
        headers={"Authorization": f"Bearer {creds['CHORUS_THREADS_TOKEN']}"},
        classify=classify("threads"),
    )


def id_from_url(url: str) -> str:
    """A Threads permalink holds a shortcode, not the media id the API asks for: a copy
    known only by its URL is not read (asking with the shortcode would mark it gone)."""
    return ""


def author(username: str) -> Author:
    """Threads handles are unique on threads.net; user@host like every other handle."""
    return Author(
        handle=f"{username}@threads.net" if username else "",
        name=username,
        url=f"https://www.threads.net/@{username}" if username else "",
    )


def reply(copy_id: str, media: dict) -> Response | None:
    if not media.get("id") or str(media.get("hide_status") or "") not in SHOWN:
        return None
    parent = member(media, "replied_to")
    return Response(
        platform="threads",
        copy_id=copy_id,
        response_id=str(media["id"]),
        kind="reply",
        author=author(str(media.get("username") or "")),
        text=plain_html(str(media.get("text") or "")),
        url=str(media.get("permalink") or ""),
        published=utc(media.get("timestamp")),
        parent_id=str(parent.get("id") or copy_id),
    )


def insights(api: Api, copy_id: str) -> dict[str, int]:
    """metric name → lifetime value (values[0].value, or total_value.value)."""
    answer = api.json("GET", f"/{copy_id}/insights", params={"metric": METRICS})
    found: dict[str, int] = {}
    for metric in items(answer, "data"):
        values = metric.get("values")
        if isinstance(values, list) and values and isinstance(values[0], dict):
            found[str(metric.get("name"))] = number(values[0].get("value"))
        elif member(metric, "total_value"):
            found[str(metric.get("name"))] = number(member(metric, "total_value").get("value"))
    return found


def signature(api: Api, copy_id: str) -> str:
    """The post's insights in one request: likes, replies, reposts, quotes."""
    counts = insights(api, copy_id)
    return ":".join(str(counts.get(name, 0)) for name in METRICS.split(","))


def fetch(api: Api, copy_id: str) -> list[Response]:
    conversation = pages(api, f"/{copy_id}/conversation", {"fields": FIELDS, "reverse": "false"})
    responses = [r for media in conversation if (r := reply(copy_id, media)) is not None]
    counts = insights(api, copy_id)
    return responses + totals(
        "threads", copy_id, {"like": counts.get("likes", 0), "repost": counts.get("reposts", 0)}
    )
