"""X (Twitter) API v2: POST /2/tweets with a user-context Bearer token.

X has no idempotency key, but it refuses a second post with the same text (403, "You are
not allowed to create a Tweet with duplicate content."): that answer means the first one
went through, so it becomes AlreadyPosted, never a failure. `find` looks for the entry's
URL among the account's recent posts (X shortens links to t.co in `text`; the original is
in entities.urls[].expanded_url), which needs CHORUS_X_USER_ID.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from syndication.http import Api, items, require
from syndication.model import AlreadyPosted, Composed, PlatformError, Posted, SourceEntry

DEFAULT_API = "https://api.x.com"
DUPLICATE = "duplicate content"
RECENT = 100  # posts a reconcile looks through (the endpoint's maximum page)


def status_url(post_id: str) -> str:
    """Public address of a post without knowing the handle (X redirects it)."""
    return f"https://x.com/i/web/status/{post_id}"


def classify(response: httpx.Response) -> PlatformError | None:
    if response.status_code == 403 and DUPLICATE in response.text.lower():
        return AlreadyPosted("x: X says this post already exists (duplicate content)")
    return None


def mentions(post: dict, url: str) -> bool:
    """Does this post of the timeline link to `url`?"""
    for link in (post.get("entities") or {}).get("urls") or []:
        if url in (link.get("expanded_url"), link.get("unwound_url")):
            return True
    return url in (post.get("text") or "")


class X:
    name = "x"

    def __init__(
        self,
        credentials: dict[str, str],
        *,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ):
        token = credentials["CHORUS_X_TOKEN"]
        self.user_id = credentials.get("CHORUS_X_USER_ID") or ""
        self.api = Api(
            self.name,
            base_url or credentials.get("CHORUS_X_API_URL") or DEFAULT_API,
            client=client,
            headers={"Authorization": f"Bearer {token}"},
            classify=classify,
            clock=clock,
        )

    def limits(self) -> dict:
        return {}

    def post(self, composed: Composed, entry: SourceEntry, key: str) -> Posted:
        try:
            answer = self.api.json("POST", "/2/tweets", json={"text": composed.text}, ok=(201, 200))
        except AlreadyPosted as error:
            error.posted = self._find_quietly(entry, key)
            raise
        post_id = str(require(answer, "data", "id", where="x: POST /2/tweets"))
        return Posted(remote_id=post_id, url=status_url(post_id))

    def delete(self, remote_id: str) -> None:
        """DELETE /2/tweets/:id; a post that is gone already counts as deleted."""
        self.api.request("DELETE", f"/2/tweets/{remote_id}", ok=(200, 204, 404))

    def find(self, entry: SourceEntry, key: str) -> Posted | None:
        """The recent post linking to the entry, or None. Without CHORUS_X_USER_ID we
        cannot look; None is then safe because a resend is caught as a duplicate."""
        if not self.user_id:
            return None
        answer = self.api.json(
            "GET",
            f"/2/users/{self.user_id}/tweets",
            params={"max_results": RECENT, "tweet.fields": "entities,created_at"},
        )
        for post in items(answer, "data"):
            if post.get("id") and mentions(post, entry.url):
                return Posted(remote_id=str(post["id"]), url=status_url(str(post["id"])))
        return None

    def _find_quietly(self, entry: SourceEntry, key: str) -> Posted | None:
        try:
            return self.find(entry, key)
        except PlatformError:
            return None
