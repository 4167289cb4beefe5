"""Facebook Page responses to one of our posts: every comment, replies to comments
included (GET /{post-id}/comments?filter=stream, chronological, each with its `parent`),
and the reaction and share totals (GET /{post-id}?fields=reactions.summary(total_count)…).

Reactions are totals only: the Graph API names the people who reacted only to someone
who moderates the Page, and a like needs no name on our page anyway. `from` is returned
for commenters only under the same condition; a comment without it is kept, by "someone
on Facebook", since what was said still matters.
"""

from __future__ import annotations

import re

from conversations.graph import classify, member, number, pages, totals
from conversations.model import Author, Response, plain_html, utc
from syndication.http import Api
from syndication.platforms.facebook import DEFAULT_API

FIELDS = "id,message,from,created_time,permalink_url,parent{id}"
COUNTS = "reactions.summary(total_count).limit(0),shares,comments.summary(true).limit(0)"


def connect(creds: dict[str, str]) -> Api | None:
    if not creds.get("CHORUS_FACEBOOK_TOKEN"):
        return None
    return Api(
        "facebook",
        creds.get("CHORUS_FACEBOOK_API_URL") or DEFAULT_API,
        headers={"Authorization": f"Bearer {creds['CHORUS_FACEBOOK_TOKEN']}"},
        classify=classify("facebook"),
    )


def id_from_url(url: str) -> str:
    """facebook.com/{page-id}/posts/{story-id} (the URL the posting client stores) →
    {page-id}_{story-id}; a pfbid… permalink does not hold the id: ""."""
    found = re.fullmatch(r"https://www\.facebook\.com/(\d+)/posts/(\d+)/?", url.strip())
    return f"{found[1]}_{found[2]}" if found else ""


def author(person: object) -> Author:
    """No handles on Facebook: the (Page-scoped) id is the handle, at facebook.com."""
    if not isinstance(person, dict) or not person.get("id"):
        return Author(handle="", name="someone on Facebook", url="")
    return Author(
        handle=f"{person['id']}@facebook.com",
        name=str(person.get("name") or "someone on Facebook"),
        url=f"https://www.facebook.com/{person['id']}",
    )


def comment(copy_id: str, item: dict) -> Response | None:
    if not item.get("id"):
        return None
    parent = member(item, "parent")
    return Response(
        platform="facebook",
        copy_id=copy_id,
        response_id=str(item["id"]),
        kind="reply",
        author=author(item.get("from")),
        text=plain_html(str(item.get("message") or "")),
        url=str(item.get("permalink_url") or ""),
        published=utc(item.get("created_time")),
        parent_id=str(parent.get("id") or copy_id),
    )


def counts(api: Api, copy_id: str) -> dict[str, int]:
    post = api.json("GET", f"/{copy_id}", params={"fields": COUNTS})

    def total(edge: str) -> int:
        return number(member(member(post, edge), "summary").get("total_count"))

    return {
        "like": total("reactions"),
        "repost": number(member(post, "shares").get("count")),
        "comments": total("comments"),
    }


def signature(api: Api, copy_id: str) -> str:
    """Reactions, shares and comments as totals, in one request."""
    found = counts(api, copy_id)
    return ":".join(str(found[k]) for k in ("like", "repost", "comments"))


def fetch(api: Api, copy_id: str) -> list[Response]:
    params = {"filter": "stream", "order": "chronological", "fields": FIELDS}
    found = pages(api, f"/{copy_id}/comments", params)
    responses = [r for item in found if (r := comment(copy_id, item)) is not None]
    total = counts(api, copy_id)
    return responses + totals("facebook", copy_id, {k: total[k] for k in ("like", "repost")})
