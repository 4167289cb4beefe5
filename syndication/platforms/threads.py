"""Threads API: a post is two calls — create a TEXT container (POST /{user}/threads), then
publish it (POST /{user}/threads_publish with its creation_id).

Only the second call makes anything public, which is what makes a retry safe: an error in
the first step is marked `maybe_sent=False` (an unpublished container just expires), so
the retry loop resends without reconciling. A profile may publish 250 posts in a moving
24 hours; post() reads GET /{user}/threads_publishing_limit first and reports an exhausted
quota as RateLimited instead of burning the attempt on a refusal.

The token travels in the Authorization header (the Graph API accepts it there), never in
the URL. Errors are Graph API errors: facebook.graph_classify maps them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from syndication.http import Api, items, require
from syndication.model import Composed, PlatformError, Posted, RateLimited, SourceEntry, Transient
from syndication.platforms.facebook import graph_classify

DEFAULT_API = "https://graph.threads.net/v1.0"
RECENT = 50


class Threads:
    name = "threads"

    def __init__(
        self,
        credentials: dict[str, str],
        *,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.user_id = credentials["CHORUS_THREADS_USER_ID"]
        self.clock = clock
        self.api = Api(
            self.name,
            base_url or credentials.get("CHORUS_THREADS_API_URL") or DEFAULT_API,
            client=client,
            headers={"Authorization": f"Bearer {credentials['CHORUS_THREADS_TOKEN']}"},
            classify=graph_classify(self.name, clock),
            clock=clock,
        )

    def quota(self) -> tuple[int, int, int]:
        """(used, total, window seconds) of the publishing quota."""
        answer = self.api.json(
            "GET",
            f"/{self.user_id}/threads_publishing_limit",
            params={"fields": "quota_usage,config"},
        )
        usage = (items(answer, "data") or [{}])[0]
        config = usage.get("config") or {}
        return (
            int(usage.get("quota_usage") or 0),
            int(config.get("quota_total") or 250),
            int(config.get("quota_duration") or 86400),
        )

    def limits(self) -> dict:
        used, total, _ = self.quota()
        return {"quota_remaining": max(0, total - used)}

    def post(self, composed: Composed, entry: SourceEntry, key: str) -> Posted:
        used, total, window = self.quota()
        if used >= total:
            raise RateLimited(
                f"threads: publishing quota used up ({used} of {total} posts in"
                f" {window // 3600} h)",
                reset_at=self.clock() + window,
            )
        link = composed.card.url if composed.card else composed.link
        form = {"media_type": "TEXT", "text": composed.text}
        if link:
            form["link_attachment"] = link
        try:
            created = self.api.json("POST", f"/{self.user_id}/threads", data=form)
            creation_id = require(created, "id", where=f"threads: POST /{self.user_id}/threads")
        except Transient as error:
            error.maybe_sent = False  # an unpublished container is invisible and expires
            raise
        published = self.api.json(
            "POST", f"/{self.user_id}/threads_publish", data={"creation_id": str(creation_id)}
        )
        media_id = str(
            require(published, "id", where=f"threads: POST /{self.user_id}/threads_publish")
        )
        return Posted(remote_id=media_id, url=self._permalink(media_id))

    def _permalink(self, media_id: str) -> str:
        """Best effort: the post is public already, so a failure here must not look like a
        failed post (that would invite a resend). Empty when Threads does not say."""
        try:
            answer = self.api.json("GET", f"/{media_id}", params={"fields": "permalink"})
        except PlatformError:
            return ""
        return str(answer.get("permalink") or "") if isinstance(answer, dict) else ""

    def find(self, entry: SourceEntry, key: str) -> Posted | None:
        answer = self.api.json(
            "GET",
            f"/{self.user_id}/threads",
            params={"fields": "id,permalink,text,link_attachment_url", "limit": RECENT},
        )
        for post in items(answer, "data"):
            linked = post.get("link_attachment_url") == entry.url
            if post.get("id") and (linked or entry.url in (post.get("text") or "")):
                return Posted(remote_id=str(post["id"]), url=str(post.get("permalink") or ""))
        return None
