"""Bluesky responses to one of our posts: the reply tree (app.bsky.feed.getPostThread),
who liked and who reposted it (getLikes, getRepostedBy: cursor paging, 100 a page,
bounded) and the posts quoting it (getQuotes).

Where the reads go. These are AppView methods; a PDS stores repositories and has no index
of who answered whom. Two ways to reach one:
- CHORUS_BLUESKY_APPVIEW_URL set (e.g. https://public.api.bsky.app, or the local AppView
  of the tests): straight to it, without a session. The public AppView serves these four
  methods unauthenticated, and createSession, which Bluesky rate-limits hard, is not
  spent on reads.
- otherwise through our account's PDS, with the posting client's session (one
  createSession per run, renewed once if it expires): the PDS proxies app.bsky.* to the
  AppView it is configured with (PDS_BSKY_APP_VIEW_URL; no atproto-proxy header is sent,
  so it is the PDS's own choice, which is what its operator meant).

A copy of ours that is gone answers getPostThread with 400 NotFound (the lexicon's named
error), not 404: that is reported as CopyGone.

Profiles: thread posts carry only a basic profile (no description), so the authors of
replies and quotes are looked up with app.bsky.actor.getProfiles (25 a request) to honour
#nobridge/#nobot/#nobackfeed; an account that asked to be hidden from logged-out viewers
(the `!no-unauthenticated` self-label) is treated as opted out too: our page is public.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from conversations.model import Author, CopyGone, Response
from core.consent import opted_out
from plugins.listening.clean import clean_summary
from syndication.http import Api
from syndication.model import Permanent, PlatformError

PAGE = 100  # getLikes / getRepostedBy / getQuotes maximum
MAX_PAGES = 20  # 2,000 likes/reposts per copy is enough for counts; beyond that we stop
DEPTH = 200  # of replies below ours: each level nests the JSON twice, and Python's parser
# stops near 1,000 levels (the lexicon allows depth 1,000, which no parser here could read)
PROFILES = 25  # app.bsky.actor.getProfiles: at most 25 actors a request
NO_UNAUTHENTICATED = "!no-unauthenticated"
INVALID_HANDLE = "handle.invalid"
WEB = "https://bsky.app/profile/{handle}/post/{rkey}"
PROFILE = "https://bsky.app/profile/{handle}"
COLLECTION = "app.bsky.feed.post"


class _ThroughPds(Api):
    """Reads through the account's PDS, each carrying the session of the posting client
    (one login mechanism for posting and reading)."""

    def __init__(self, creds: dict[str, str]):
        from syndication.platforms.bluesky import Bluesky

        self.account = Bluesky(creds)
        pds = self.account.api
        super().__init__("bluesky", pds.base_url, client=pds.client, classify=pds.classify)

    def request(self, method: str, path: str, **kwargs):
        return self.account.call(method, path.removeprefix("/xrpc/"), **kwargs)


def connect(creds: dict[str, str]) -> Api | None:
    appview = creds.get("CHORUS_BLUESKY_APPVIEW_URL")
    if appview:
        return Api("bluesky", appview)
    if creds.get("CHORUS_BLUESKY_HANDLE") and creds.get("CHORUS_BLUESKY_APP_PASSWORD"):
        return _ThroughPds(creds)
    return None


def id_from_url(url: str) -> str:
    """A row restored from the links file has only the web URL: the at:// URI it names
    (with the handle where the DID was; the AppView resolves either)."""
    parts = url.rstrip("/").split("/")
    if len(parts) >= 4 and parts[-2] == "post" and parts[-4] == "profile":
        return f"at://{parts[-3]}/{COLLECTION}/{parts[-1]}"
    return ""


def rkey_of(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def handle_of(actor: dict) -> str:
    """The handle, or the DID when the AppView could not verify the handle (it says
    "handle.invalid", which names nobody; bsky.app links work with the DID)."""
    handle = str(actor.get("handle") or "")
    return handle if handle and handle != INVALID_HANDLE else str(actor.get("did") or "")


def author(actor: dict, description: str | None = None) -> Author:
    handle = handle_of(actor)
    name = str(actor.get("displayName") or handle)
    about = actor.get("description") if description is None else description
    labels = actor.get("labels")
    hidden = isinstance(labels, list) and any(
        isinstance(label, dict) and label.get("val") == NO_UNAUTHENTICATED for label in labels
    )
    return Author(
        handle=handle,
        name=name,
        url=PROFILE.format(handle=handle) if handle else "",
        opted_out=hidden or opted_out(f"{about or ''} {actor.get('displayName') or ''}"),
    )


def text_html(text: str) -> str:
    """A record's text is plain text: escaped, line breaks kept, then the common policy."""
    paragraphs = [p for p in str(text or "").split("\n\n") if p.strip()]
    body = "".join(
        "<p>" + html.escape(p.strip("\n"), quote=False).replace("\n", "<br>") + "</p>"
        for p in paragraphs
    )
    return clean_summary(body)


def _post_response(
    copy_id: str, post: dict, kind: str, parent_id: str, profiles: dict[str, str]
) -> Response | None:
    actor, record = post.get("author"), post.get("record")
    uri = post.get("uri")
    if not isinstance(actor, dict) or not isinstance(record, dict) or not uri:
        return None
    handle = handle_of(actor)
    return Response(
        platform="bluesky",
        copy_id=copy_id,
        response_id=str(uri),
        kind=kind,
        author=author(actor, profiles.get(str(actor.get("did") or ""))),
        text=text_html(str(record.get("text") or "")),
        url=WEB.format(handle=handle, rkey=rkey_of(str(uri))) if handle else "",
        published=str(record.get("createdAt") or post.get("indexedAt") or ""),
        parent_id=parent_id,
    )


def _replies(node: dict, parent: str) -> Iterator[tuple[dict, str]]:
    """Every post below `node` with the URI it answers, depth first; a blocked or deleted
    node (notFoundPost, blockedPost) is skipped with what hangs below it, which the AppView
    does not return either."""
    stack = [(node, parent)]
    while stack:
        current, answered = stack.pop()
        children = current.get("replies")
        for child in reversed(children if isinstance(children, list) else []):
            if not isinstance(child, dict) or child.get("notFound") or child.get("blocked"):
                continue
            post = child.get("post")
            if isinstance(post, dict) and post.get("uri"):
                yield post, answered
                stack.append((child, str(post["uri"])))


def _paged(api: Api, nsid: str, uri: str, key: str) -> list[dict]:
    """Every item of a cursor-paged list, up to MAX_PAGES pages."""
    found: list[dict] = []
    cursor = None
    for _ in range(MAX_PAGES):
        params = {"uri": uri, "limit": PAGE, **({"cursor": cursor} if cursor else {})}
        data = api.json("GET", f"/xrpc/{nsid}", params=params)
        items = data.get(key) if isinstance(data, dict) else None
        page = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        found.extend(page)
        cursor = data.get("cursor") if isinstance(data, dict) else None
        if not cursor or not page:
            break
    return found


def _quotes(api: Api, uri: str) -> list[dict]:
    """getQuotes is newer than the other three: an AppView without it (XRPC answers 501
    MethodNotImplemented) gives no quotes rather than no responses at all."""
    try:
        return _paged(api, "app.bsky.feed.getQuotes", uri, "posts")
    except PlatformError as exc:
        if "HTTP 501" in str(exc) or "MethodNotImplemented" in str(exc):
            return []
        raise


def descriptions(api: Api, posts: list[dict]) -> dict[str, str]:
    """DID → profile description for the authors of these posts (getProfiles, 25 at a
    time)."""
    dids = sorted(
        {str(p["author"]["did"]) for p in posts if isinstance(p.get("author"), dict)
         and p["author"].get("did")}
    )  # fmt: skip
    found: dict[str, str] = {}
    for start in range(0, len(dids), PROFILES):
        data = api.json(
            "GET",
            "/xrpc/app.bsky.actor.getProfiles",
            params={"actors": dids[start : start + PROFILES]},
        )
        profiles = data.get("profiles") if isinstance(data, dict) else None
        for profile in profiles if isinstance(profiles, list) else []:
            if isinstance(profile, dict) and profile.get("did"):
                found[str(profile["did"])] = str(profile.get("description") or "")
    return found


def _thread(api: Api, copy_id: str) -> dict:
    try:
        data = api.json(
            "GET",
            "/xrpc/app.bsky.feed.getPostThread",
            params={"uri": copy_id, "depth": DEPTH, "parentHeight": 0},
        )
    except Permanent as exc:
        if ": NotFound" in str(exc):
            raise CopyGone(str(exc)) from None
        raise
    thread = data.get("thread") if isinstance(data, dict) else None
    if not isinstance(thread, dict) or thread.get("notFound") or thread.get("blocked"):
        raise CopyGone(f"bluesky: getPostThread {copy_id}: the post is not found")
    return thread


def signature(api: Api, copy_id: str) -> str:
    """One getPosts request: our post's reply, like, repost and quote counts. Empty when
    the post is not returned (deleted): then the full fetch runs and says so."""
    data = api.json("GET", "/xrpc/app.bsky.feed.getPosts", params={"uris": [copy_id]})
    posts = data.get("posts") if isinstance(data, dict) else None
    post = posts[0] if isinstance(posts, list) and posts and isinstance(posts[0], dict) else None
    if post is None:
        return ""
    counts = ("replyCount", "likeCount", "repostCount", "quoteCount")
    return ":".join(str(post.get(k, "")) for k in counts)


def fetch(api: Api, copy_id: str) -> list[Response]:
    """All responses to one copy (at:// URI); raises the engine's PlatformError, CopyGone
    when our post is no longer there."""
    thread = _thread(api, copy_id)
    root = thread.get("post") if isinstance(thread.get("post"), dict) else {}
    canonical = str(root.get("uri") or copy_id)  # with the DID, for the list methods
    replies = list(_replies(thread, canonical))
    quotes = _quotes(api, canonical)
    profiles = descriptions(api, [p for p, _ in replies] + quotes)
    responses = []
    for post, parent in replies:
        parent_id = copy_id if parent == canonical else parent
        found = _post_response(copy_id, post, "reply", parent_id, profiles)
        if found is not None:
            responses.append(found)
    for post in quotes:
        found = _post_response(copy_id, post, "quote", copy_id, profiles)
        if found is not None:
            responses.append(found)
    for kind, nsid, key in (
        ("like", "app.bsky.feed.getLikes", "likes"),
        ("repost", "app.bsky.feed.getRepostedBy", "repostedBy"),
    ):
        for item in _paged(api, nsid, canonical, key):
            actor = item.get("actor") if kind == "like" else item
            if not isinstance(actor, dict) or not actor.get("did"):
                continue
            published = str(item.get("createdAt") or "") if kind == "like" else ""
            responses.append(
                Response("bluesky", copy_id, f"{kind}:{actor['did']}", kind, author(actor),
                         published=published)
            )  # fmt: skip
    return responses
