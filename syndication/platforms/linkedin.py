"""LinkedIn Posts API: POST /rest/posts as an organization or a member, with an article card.

Versioned API: every call names LinkedIn-Version (YYYYMM; LinkedIn retires a version about
a year after release, so it is a setting, CHORUS_LINKEDIN_VERSION) and
X-Restli-Protocol-Version 2.0.0. The new post's URN comes back in the x-restli-id header of
an empty 201. `commentary` is "little text": its reserved characters are escaped by
compose (syndication/compose), so this module sends Composed.text as given.

No idempotency key: `find` uses the posts finder (q=author) and looks for the entry's URL
as the article source or in the commentary.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote

import httpx

from syndication.http import Api, items, transient
from syndication.model import Composed, Posted, SourceEntry

DEFAULT_API = "https://api.linkedin.com"
DEFAULT_VERSION = "202510"
RECENT = 50


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def body(composed: Composed, entry: SourceEntry, author: str) -> dict:
    """The documented request body: text post with an article (link preview) card."""
    card = composed.card
    article = {
        "source": card.url if card else composed.link,
        "title": (card.title if card else entry.title) or entry.title,
    }
    description = card.description if card else entry.summary
    if description:
        article["description"] = description
    return {
        "author": author,
        "commentary": composed.text,
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "content": {"article": article},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }


def links_to(post: dict, url: str) -> bool:
    article = ((post.get("content") or {}).get("article")) or {}
    return article.get("source") == url or url in (post.get("commentary") or "")


class LinkedIn:
    name = "linkedin"

    def __init__(
        self,
        credentials: dict[str, str],
        *,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.author = credentials["CHORUS_LINKEDIN_AUTHOR"]
        self.api = Api(
            self.name,
            base_url or credentials.get("CHORUS_LINKEDIN_API_URL") or DEFAULT_API,
            client=client,
            headers={
                "Authorization": f"Bearer {credentials['CHORUS_LINKEDIN_TOKEN']}",
                "LinkedIn-Version": credentials.get("CHORUS_LINKEDIN_VERSION") or DEFAULT_VERSION,
                "X-Restli-Protocol-Version": "2.0.0",
            },
            clock=clock,
        )

    def limits(self) -> dict:
        return {}

    def post(self, composed: Composed, entry: SourceEntry, key: str) -> Posted:
        response = self.api.request(
            "POST", "/rest/posts", json=body(composed, entry, self.author), ok=(201,)
        )
        urn = response.headers.get("x-restli-id") or response.headers.get("x-linkedin-id")
        if not urn:
            raise transient(
                "linkedin: POST /rest/posts: HTTP 201 without an x-restli-id header",
                maybe_sent=True,
            )
        return Posted(remote_id=urn, url=post_url(urn))

    def delete(self, remote_id: str) -> None:
        """DELETE /rest/posts/{urn}; a post that is gone already counts as deleted."""
        self.api.request(
            "DELETE",
            f"/rest/posts/{quote(remote_id, safe='')}",
            headers={"X-RestLi-Method": "DELETE"},
            ok=(200, 204, 404, 410),
        )

    def find(self, entry: SourceEntry, key: str) -> Posted | None:
        # Rest.li 2.0 wants the URN percent-encoded in the query (':' too).
        query = f"author={quote(self.author, safe='')}&q=author&count={RECENT}&sortBy=LAST_MODIFIED"
        answer = self.api.json("GET", f"/rest/posts?{query}", headers={"X-RestLi-Method": "FINDER"})
        for post in items(answer, "elements"):
            if post.get("id") and links_to(post, entry.url):
                return Posted(remote_id=str(post["id"]), url=post_url(str(post["id"])))
        return None
