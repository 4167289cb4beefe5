"""Bluesky: an app.bsky.feed.post record in the account's repo on its PDS (atproto SDK).

Session: one com.atproto.server.createSession per run (Bluesky rate-limits it hard); the
SDK's Client refreshes the access token with refreshSession before it expires. `login` is
called with fetch_bsky_profile=False because a bare PDS has no AppView to ask.

Exactly-once: Bluesky has no idempotency key, so the record key is derived from the entry:
a TID (app.bsky.feed.post only accepts TIDs) whose time is the entry's publication second
plus hash-derived microseconds and whose clock id is hash-derived too. A resend after a
crash hits the same key and the PDS refuses it; `find` is getRecord on that key.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import httpx
from atproto import Client, models
from atproto_client.exceptions import (
    AtProtocolError,
    NetworkError,
    RateLimitExceededError,
    RequestErrorBase,
)

from syndication.model import (
    Composed,
    Permanent,
    PlatformError,
    Posted,
    RateLimited,
    SourceEntry,
    Transient,
)

COLLECTION = "app.bsky.feed.post"
LIMITS = {"max_characters": 300, "url_length": None}
MAX_THUMB_BYTES = 1_000_000  # app.bsky.embed.external#external.thumb maxSize
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
WEB = "https://bsky.app/profile/{handle}/post/{rkey}"


def record_key(entry: SourceEntry, key: str) -> str:
    """A valid, deterministic TID for this (entry, platform).

    Time part: the entry's publication second + 0–999,999 µs from the key's hash, so keys
    sort by publication like ordinary posts; clock id: 10 more bits of the hash. Two
    entries collide only if published in the same second *and* 30 hash bits agree.
    """
    digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    seconds = int(entry.published.timestamp())
    micros = seconds * 1_000_000 + (digest >> 10) % 1_000_000
    value = ((micros & ((1 << 53) - 1)) << 10) | (digest & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


class Bluesky:
    name = "bluesky"

    def __init__(
        self,
        credentials: dict[str, str],
        *,
        client: httpx.Client | None = None,
        base_url: str | None = None,
    ):
        self.base_url = (
            base_url or credentials.get("CHORUS_BLUESKY_PDS") or "https://bsky.social"
        ).rstrip("/")
        self._handle = credentials.get("CHORUS_BLUESKY_HANDLE") or ""
        self._password = credentials.get("CHORUS_BLUESKY_APP_PASSWORD") or ""
        if not self._handle or not self._password:
            raise Permanent(
                "bluesky: no handle or app password "
                "(set CHORUS_BLUESKY_HANDLE and CHORUS_BLUESKY_APP_PASSWORD)"
            )
        self._http = client or httpx.Client(timeout=30, follow_redirects=True)
        self._atp: Client | None = None
        self._did = ""
        self.sessions_created = 0  # tests check: one per run, not one per post

    def _client(self) -> Client:
        if self._atp is None:
            atp = Client(base_url=self.base_url)
            _call(
                "createSession",
                lambda: atp.login(self._handle, self._password, fetch_bsky_profile=False),
            )
            self.sessions_created += 1
            self._did = atp.me.did if atp.me else atp._session.did
            self._atp = atp
        return self._atp

    def limits(self) -> dict:
        return dict(LIMITS)

    def post(self, composed: Composed, entry: SourceEntry, key: str) -> Posted:
        atp = self._client()
        rkey = record_key(entry, key)
        record = models.AppBskyFeedPost.Record(
            text=composed.text,
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            facets=[_facet(f) for f in composed.facets] or None,
            embed=self._embed(atp, composed) if composed.card else None,
            langs=["en"],
        )
        data = models.ComAtprotoRepoCreateRecord.Data(
            repo=self._did, collection=COLLECTION, rkey=rkey, record=record
        )
        try:
            response = _call("createRecord", lambda: atp.com.atproto.repo.create_record(data))
        except (Transient, Permanent):
            # the PDS answers 500 when the key exists already: a resend of a post that went
            # through. Look before saying it failed.
            found = self.find(entry, key)
            if found is not None:
                return found
            raise
        return Posted(remote_id=response.uri, url=self._web_url(rkey))

    def find(self, entry: SourceEntry, key: str) -> Posted | None:
        atp = self._client()
        rkey = record_key(entry, key)
        params = models.ComAtprotoRepoGetRecord.Params(
            repo=self._did, collection=COLLECTION, rkey=rkey
        )
        try:
            response = atp.com.atproto.repo.get_record(params)
        except RequestErrorBase as exc:
            content = getattr(exc.response, "content", None)
            if getattr(content, "error", "") == "RecordNotFound":
                return None
            raise _mapped("getRecord", exc) from None
        except AtProtocolError as exc:
            raise _mapped("getRecord", exc) from None
        return Posted(remote_id=response.uri, url=self._web_url(rkey))

    def _web_url(self, rkey: str) -> str:
        return WEB.format(handle=self._handle, rkey=rkey)

    def _embed(self, atp: Client, composed: Composed) -> models.AppBskyEmbedExternal.Main:
        card = composed.card
        thumb = None
        if card.image_url:
            image = self._image(card.image_url)
            if image is not None:
                data, mime = image
                uploaded = _call(
                    "uploadBlob",
                    lambda: atp.com.atproto.repo.upload_blob(data, headers={"Content-Type": mime}),
                )
                thumb = uploaded.blob
        external = models.AppBskyEmbedExternal.External(
            uri=card.url, title=card.title, description=card.description, thumb=thumb
        )
        return models.AppBskyEmbedExternal.Main(external=external)

    def _image(self, url: str) -> tuple[bytes, str] | None:
        """The post's image, if it can be had and is small enough; a card without a picture
        is better than no post."""
        try:
            response = self._http.get(url)
        except httpx.HTTPError:
            return None
        mime = response.headers.get("Content-Type", "").split(";")[0].strip()
        if response.status_code != 200 or not mime.startswith("image/"):
            return None
        if len(response.content) > MAX_THUMB_BYTES:
            return None
        return response.content, mime


def _facet(facet) -> models.AppBskyRichtextFacet.Main:
    if facet.kind == "link":
        feature = models.AppBskyRichtextFacet.Link(uri=facet.value)
    elif facet.kind == "tag":
        feature = models.AppBskyRichtextFacet.Tag(tag=facet.value)
    else:
        raise Permanent(f"bluesky: unknown facet kind {facet.kind!r}")
    index = models.AppBskyRichtextFacet.ByteSlice(
        byte_start=facet.byte_start, byte_end=facet.byte_end
    )
    return models.AppBskyRichtextFacet.Main(index=index, features=[feature])


def _call(what: str, fn):
    try:
        return fn()
    except AtProtocolError as exc:
        raise _mapped(what, exc) from None


def _mapped(what: str, exc: AtProtocolError) -> PlatformError:
    if isinstance(exc, RateLimitExceededError):
        reset = exc.reset_at
        return RateLimited(f"bluesky: {what}: rate limited", reset.timestamp() if reset else None)
    if isinstance(exc, NetworkError):
        return Transient(f"bluesky: {what}: {type(exc).__name__}")
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    content = getattr(response, "content", None)
    detail = getattr(content, "error", "") or ""
    message = getattr(content, "message", "") or ""
    text = f"bluesky: {what}: HTTP {status} {detail} {message}".strip()
    if status == 429:
        return RateLimited(text, None)
    if status is None or status >= 500:
        return Transient(text)
    return Permanent(text)
