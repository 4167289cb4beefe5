"""X responses to one of our posts (API v2): the replies of its conversation (GET
/2/tweets/search/recent?query=conversation_id:{id}), who liked it (liking_users) and who
reposted it (retweeted_by), each paged by next_token.

Reads are paid on X (every post read counts against the plan's monthly cap), so this
reader is off unless CHORUS_X_READS=1: connect() says None without it. Recent search
covers the last seven days, which is when replies come; older replies are not found.

An edit on X is a new post id; `edit_history_tweet_ids` starts with the original, which
is kept as the reply's id so an edited reply replaces the one we had. A deleted post of
ours answers 200 with a "resource-not-found" error, not a 404: CopyGone.
"""

from __future__ import annotations

from conversations.graph import member
from conversations.model import Author, CopyGone, Response, plain_html, utc
from core.consent import opted_out
from syndication.http import Api, items
from syndication.platforms.x import DEFAULT_API, classify, status_url

PAGE = 100
MAX_PAGES = 25
TWEET_FIELDS = "author_id,conversation_id,created_at,referenced_tweets,edit_history_tweet_ids"
USER_FIELDS = "username,name,description,url"
NOT_FOUND = "https://api.twitter.com/2/problems/resource-not-found"


def connect(creds: dict[str, str]) -> Api | None:
    if creds.get("CHORUS_X_READS") != "1" or not creds.get("CHORUS_X_TOKEN"):
        return None
    return Api(
        "x",
        creds.get("CHORUS_X_API_URL") or DEFAULT_API,
        headers={"Authorization": f"Bearer {creds['CHORUS_X_TOKEN']}"},
        classify=classify,
    )


def author(user: dict) -> Author:
    username = str(user.get("username") or "")
    return Author(
        handle=f"{username}@x.com" if username else "",
        name=str(user.get("name") or username),
        url=f"https://x.com/{username}" if username else "",
        opted_out=opted_out(f"{user.get('description') or ''} {user.get('name') or ''}"),
    )


def _pages(api: Api, path: str, params: dict[str, str]) -> list[dict]:
    """Every answer of a next_token-paged endpoint, up to MAX_PAGES."""
    answers: list[dict] = []
    query = dict(params)
    for _ in range(MAX_PAGES):
        answer = api.json("GET", path, params=query)
        if not isinstance(answer, dict):
            break
        answers.append(answer)
        token = member(answer, "meta").get("next_token")
        if not token:
            break
        query["pagination_token" if "search" not in path else "next_token"] = str(token)
    return answers


def _gone(answer: object, copy_id: str, where: str) -> None:
    if isinstance(answer, dict) and "data" not in answer:
        for error in answer.get("errors") or []:
            if isinstance(error, dict) and error.get("type") == NOT_FOUND:
                raise CopyGone(f"x: {where}: HTTP 200: {error.get('detail') or 'not found'}")


def signature(api: Api, copy_id: str) -> str:
    """The post's public metrics in one request (replies, likes, reposts, quotes)."""
    answer = api.json("GET", f"/2/tweets/{copy_id}", params={"tweet.fields": "public_metrics"})
    _gone(answer, copy_id, f"GET /2/tweets/{copy_id}")
    metrics = member(member(answer, "data"), "public_metrics")
    if not metrics:
        return ""
    keys = ("reply_count", "like_count", "retweet_count", "quote_count")
    return ":".join(str(metrics.get(k, 0)) for k in keys)


def _replies(api: Api, copy_id: str) -> list[Response]:
    params = {
        "query": f"conversation_id:{copy_id}",
        "max_results": str(PAGE),
        "tweet.fields": TWEET_FIELDS,
        "expansions": "author_id",
        "user.fields": USER_FIELDS,
    }
    posts: list[dict] = []
    users: dict[str, dict] = {}
    for answer in _pages(api, "/2/tweets/search/recent", params):
        posts.extend(items(answer, "data"))
        users.update({str(u.get("id")): u for u in items(member(answer, "includes"), "users")})
    versions = {
        str(i): str((p.get("edit_history_tweet_ids") or [p.get("id")])[0])
        for p in posts
        for i in p.get("edit_history_tweet_ids") or [p.get("id")]
    }  # any version's id → the original's, so a reply to an edited reply finds its parent
    latest: dict[str, tuple[int, Response]] = {}
    for post in posts:
        history = [str(i) for i in post.get("edit_history_tweet_ids") or [] if i]
        original = history[0] if history else str(post.get("id") or "")
        if not original or original == copy_id:
            continue
        parent = next(
            (str(r.get("id")) for r in post.get("referenced_tweets") or []
             if isinstance(r, dict) and r.get("type") == "replied_to"),
            copy_id,
        )  # fmt: skip
        found = Response(
            platform="x",
            copy_id=copy_id,
            response_id=original,
            kind="reply",
            author=author(users.get(str(post.get("author_id")), {})),
            text=plain_html(str(post.get("text") or "")),
            url=status_url(str(post.get("id"))),
            published=utc(post.get("created_at")),
            updated=utc(post.get("created_at")) if len(history) > 1 else "",
            parent_id=versions.get(parent, parent),
        )
        if original not in latest or len(history) > latest[original][0]:
            latest[original] = (len(history), found)
    return [found for _, found in latest.values()]


def fetch(api: Api, copy_id: str) -> list[Response]:
    responses = _replies(api, copy_id)
    for kind, edge in (("like", "liking_users"), ("repost", "retweeted_by")):
        params = {"max_results": str(PAGE), "user.fields": USER_FIELDS}
        for answer in _pages(api, f"/2/tweets/{copy_id}/{edge}", params):
            for user in items(answer, "data"):
                if user.get("id"):
                    rid = f"{kind}:{user['id']}"
                    responses.append(Response("x", copy_id, rid, kind, author(user)))
    return responses
