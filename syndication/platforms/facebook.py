"""Facebook Page feed: POST /{page-id}/feed with `message` and `link` (Graph API).

The Page access token goes in the Authorization header, never in the URL: httpx logs
every request URL, and a URL is what ends up in a proxy's access log.

The Graph API reports throttling as error codes in the JSON body (4, 17, 32, 613; with
HTTP 400/403 as often as 429) and says how long to wait in X-Business-Use-Case-Usage /
X-App-Usage (estimated_time_to_regain_access, in minutes). Code 506 is Facebook's
"duplicate status message": the post is already there. Threads speaks the same error
dialect, so threads.py reuses `graph_classify`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx

from syndication.http import Api, error_detail, items, parse_reset, require, transient
from syndication.model import (
    AlreadyPosted,
    Composed,
    Permanent,
    PlatformError,
    Posted,
    RateLimited,
    SourceEntry,
)

DEFAULT_API = "https://graph.facebook.com/v23.0"
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80001, 80004})
TRANSIENT_CODES = frozenset({1, 2})  # "unknown error", "service temporarily unavailable"
DUPLICATE_CODE = 506
RECENT = 50


def regain_at(headers: httpx.Headers, now: float) -> float | None:
    """Epoch seconds from the usage headers' estimated_time_to_regain_access (minutes)."""
    minutes: list[float] = []
    for name in ("x-business-use-case-usage", "x-app-usage", "x-page-usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
        except ValueError:
            continue
        for value in usage.values() if isinstance(usage, dict) else ():
            for entry in value if isinstance(value, list) else [value]:
                if isinstance(entry, dict) and entry.get("estimated_time_to_regain_access"):
                    minutes.append(float(entry["estimated_time_to_regain_access"]))
    return now + 60 * max(minutes) if minutes else None


def graph_classify(platform: str, clock: Callable[[], float] = time.time):
    """The Graph API error hook for Api(classify=…)."""

    def classify(response: httpx.Response) -> PlatformError | None:
        try:
            error = response.json().get("error")
        except (ValueError, AttributeError, UnicodeDecodeError):
            return None
        if not isinstance(error, dict):
            return None
        code = error.get("code")
        message = f"{platform}: HTTP {response.status_code}: {error_detail(response)}"
        if code in RATE_LIMIT_CODES or response.status_code == 429:
            now = clock()
            reset = regain_at(response.headers, now) or parse_reset(response.headers, now)
            return RateLimited(message, reset_at=reset)
        if code == DUPLICATE_CODE:
            return AlreadyPosted(message)
        if code in TRANSIENT_CODES or error.get("is_transient") is True:
            return transient(message, maybe_sent=True)
        if response.status_code < 500:
            return Permanent(message)
        return None

    return classify


def post_url(post_id: str) -> str:
    page_id, _, story = post_id.partition("_")
    if story:
        return f"https://www.facebook.com/{page_id}/posts/{story}"
    return f"https://www.facebook.com/{post_id}"


def links_to(post: dict, url: str) -> bool:
    if url in (post.get("message") or ""):
        return True
    for attachment in items(post.get("attachments") or {}, "data"):
        if url in (attachment.get("unshimmed_url"), attachment.get("url")):
            return True
    return False


class Facebook:
    name = "facebook"

    def __init__(
        self,
        credentials: dict[str, str],
        *,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.page_id = credentials["CHORUS_FACEBOOK_PAGE_ID"]
        self.api = Api(
            self.name,
            base_url or credentials.get("CHORUS_FACEBOOK_API_URL") or DEFAULT_API,
            client=client,
            headers={"Authorization": f"Bearer {credentials['CHORUS_FACEBOOK_TOKEN']}"},
            classify=graph_classify(self.name, clock),
            clock=clock,
        )

    def limits(self) -> dict:
        return {}

    def post(self, composed: Composed, entry: SourceEntry, key: str) -> Posted:
        link = composed.card.url if composed.card else composed.link
        where = f"facebook: POST /{self.page_id}/feed"
        answer = self.api.json(
            "POST", f"/{self.page_id}/feed", data={"message": composed.text, "link": link}
        )
        post_id = str(require(answer, "id", where=where))
        return Posted(remote_id=post_id, url=post_url(post_id))

    def delete(self, remote_id: str) -> None:
        """DELETE /{post-id}; a post that is gone already counts as deleted (the Graph API
        says so as error 100, "object does not exist")."""
        try:
            self.api.request("DELETE", f"/{remote_id}", ok=(200, 204, 404))
        except Permanent as error:
            if "(code 100)" not in str(error) or "does not exist" not in str(error).lower():
                raise

    def find(self, entry: SourceEntry, key: str) -> Posted | None:
        answer = self.api.json(
            "GET",
            f"/{self.page_id}/posts",
            params={
                "fields": "id,message,permalink_url,attachments{unshimmed_url,url}",
                "limit": RECENT,
            },
        )
        for post in items(answer, "data"):
            if post.get("id") and links_to(post, entry.url):
                post_id = str(post["id"])
                return Posted(remote_id=post_id, url=post.get("permalink_url") or post_url(post_id))
        return None
