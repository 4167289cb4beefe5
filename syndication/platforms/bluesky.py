"""Bluesky: an app.bsky.feed.post record in the account's repo on its PDS, over plain XRPC.

Plain XRPC through syndication.http (not the atproto SDK's Client): the SDK reports every
transport problem as a bare `NetworkError` that names neither the host nor the cause, and
it keeps its own retries; through Api every error says `bluesky: POST https://pds/xrpc/…:
HTTP 400: …`, is redacted, and carries the "may have been sent" flag the runner acts on.

Session: one com.atproto.server.createSession per run (Bluesky rate-limits it hard); an
expired access token is renewed once with refreshSession and the call repeated.

Exactly-once: Bluesky has no idempotency key, so the record key is derived from the
entry's id alone (never its date or title, which authors edit): a resend after a crash
hits the same key, the PDS refuses it, and `find` (getRecord on that key) says it is there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable

import httpx

from syndication.http import Api, PayloadTooLarge, parse_json, require
from syndication.model import Composed, Facet, Permanent, PlatformError, Posted, SourceEntry

COLLECTION = "app.bsky.feed.post"
MAX_THUMB_BYTES = 1_000_000  # app.bsky.embed.external#external.thumb maxSize
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
WEB = "https://bsky.app/profile/{handle}/post/{rkey}"
# Record keys are TIDs (app.bsky.feed.post requires them): microseconds since the epoch.
# Ours are spread over a fixed past window so that no key is in the future and none
# depends on anything but the entry id.
TID_WINDOW_START = int(dt.datetime(2023, 1, 1, tzinfo=dt.UTC).timestamp()) * 1_000_000
TID_WINDOW = 3 * 365 * 24 * 3600 * 1_000_000


def record_key(key: str) -> str:
    """A valid, deterministic TID for this (entry, platform) idempotency key.

    53 bits of time within TID_WINDOW and a 10-bit clock id, both from the key's hash: two
    entries share a record key only if 60 hash bits agree.
    """
    digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    micros = TID_WINDOW_START + (digest >> 10) % TID_WINDOW
    value = (micros << 10) | (digest & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def rkey_of(uri: str) -> str:
    """at://did/collection/rkey → rkey."""
    return uri.rstrip("/").rsplit("/", 1)[-1]


def facet_json(facet: Facet) -> dict:
    if facet.kind == "link":
        feature = {"$type": "app.bsky.richtext.facet#link", "uri": facet.value}
    elif facet.kind == "tag":
        feature = {"$type": "app.bsky.richtext.facet#tag", "tag": facet.value}
    else:
        raise Permanent(f"bluesky: unknown facet kind {facet.kind!r}")
    return {
        "index": {"byteStart": facet.byte_start, "byteEnd": facet.byte_end},
        "features": [feature],
    }


class Bluesky:
    name = "bluesky"

    def __init__(
        self,
        credentials: dict[str, str],
        *,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ):
        pds = base_url or credentials.get("CHORUS_BLUESKY_PDS") or "https://bsky.social"
        self._handle = credentials.get("CHORUS_BLUESKY_HANDLE") or ""
        self._password = credentials.get("CHORUS_BLUESKY_APP_PASSWORD") or ""
        if not self._handle or not self._password:
            raise Permanent(
                "bluesky: no handle or app password "
                "(set CHORUS_BLUESKY_HANDLE and CHORUS_BLUESKY_APP_PASSWORD)"
            )
        self.api = Api(self.name, pds, client=client, classify=_classify, clock=clock)
        self._images = httpx.Client(timeout=30, follow_redirects=True)
        self._session: dict[str, str] | None = None
        self.sessions_created = 0  # tests check: one per run, not one per post

    # --- session -------------------------------------------------------------------------
    def _login(self) -> dict[str, str]:
        if self._session is None:
            answer = self.api.json(
                "POST",
                "/xrpc/com.atproto.server.createSession",
                json={"identifier": self._handle, "password": self._password},
            )
            where = "bluesky: createSession"
            self._session = {
                "access": str(require(answer, "accessJwt", where=where)),
                "refresh": str(require(answer, "refreshJwt", where=where)),
                "did": str(require(answer, "did", where=where)),
            }
            self.sessions_created += 1
        return self._session

    def _refresh(self) -> None:
        session = self._login()
        answer = self.api.json(
            "POST",
            "/xrpc/com.atproto.server.refreshSession",
            headers={"Authorization": f"Bearer {session['refresh']}"},
        )
        where = "bluesky: refreshSession"
        session["access"] = str(require(answer, "accessJwt", where=where))
        session["refresh"] = str(require(answer, "refreshJwt", where=where))

    def call(self, method: str, nsid: str, **kwargs) -> httpx.Response:
        """One XRPC call with the session's token, renewed once if it has expired."""
        extra = kwargs.pop("headers", {})
        for attempt in (1, 2):
            headers = {**extra, "Authorization": f"Bearer {self._login()['access']}"}
            try:
                return self.api.request(method, f"/xrpc/{nsid}", headers=headers, **kwargs)
            except _ExpiredToken:
                if attempt == 2:
                    raise Permanent(
                        "bluesky: the session expired again right after refreshing"
                    ) from None
                self._refresh()
        raise AssertionError("unreachable")

    # --- the platform --------------------------------------------------------------------
    def limits(self) -> dict:
        return {}

    def post(self, composed: Composed, entry: SourceEntry, key: str) -> Posted:
        did = self._login()["did"]
        rkey = record_key(key)
        record: dict = {
            "$type": COLLECTION,
            "text": composed.text,
            "createdAt": dt.datetime.now(dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
        }
        if composed.facets:
            record["facets"] = [facet_json(f) for f in composed.facets]
        if composed.card:
            record["embed"] = self._embed(composed)
        body = {"repo": did, "collection": COLLECTION, "rkey": rkey, "record": record}
        try:
            response = self.call("POST", "com.atproto.repo.createRecord", json=body)
        except PayloadTooLarge:
            raise  # refused unread: there is nothing to look for
        except PlatformError:
            # a record key that exists already is a resend of a post that went through;
            # look before saying it failed
            found = self.find(entry, key)
            if found is not None:
                return found
            raise
        uri = str(require(_json(response), "uri", where="bluesky: createRecord"))
        return Posted(remote_id=uri, url=self._web_url(rkey_of(uri)))

    def find(self, entry: SourceEntry, key: str) -> Posted | None:
        did = self._login()["did"]
        rkey = record_key(key)
        try:
            response = self.call(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": did, "collection": COLLECTION, "rkey": rkey},
                ok=(200,),
            )
        except _NotFound:
            return None
        uri = str(require(_json(response), "uri", where="bluesky: getRecord"))
        return Posted(remote_id=uri, url=self._web_url(rkey))

    def delete(self, remote_id: str) -> None:
        """deleteRecord succeeds for a record that is gone already, as a retraction needs."""
        did = self._login()["did"]
        self.call(
            "POST",
            "com.atproto.repo.deleteRecord",
            json={"repo": did, "collection": COLLECTION, "rkey": rkey_of(remote_id)},
        )

    def _web_url(self, rkey: str) -> str:
        return WEB.format(handle=self._handle, rkey=rkey)

    def _embed(self, composed: Composed) -> dict:
        card = composed.card
        external: dict = {"uri": card.url, "title": card.title, "description": card.description}
        image = self._image(card.image_url) if card.image_url else None
        if image is not None:
            data, mime = image
            uploaded = self.call(
                "POST", "com.atproto.repo.uploadBlob", content=data, headers={"Content-Type": mime}
            )
            external["thumb"] = require(_json(uploaded), "blob", where="bluesky: uploadBlob")
        return {"$type": "app.bsky.embed.external", "external": external}

    def _image(self, url: str) -> tuple[bytes, str] | None:
        """The post's image, if it can be had and is small enough; a card without a picture
        is better than no post."""
        try:
            response = self._images.get(url)
        except httpx.HTTPError:
            return None
        mime = response.headers.get("Content-Type", "").split(";")[0].strip()
        if response.status_code != 200 or not mime.startswith("image/"):
            return None
        if len(response.content) > MAX_THUMB_BYTES:
            return None
        return response.content, mime


class _ExpiredToken(Permanent):
    """The access token ran out: refresh the session and call again."""


class _NotFound(Permanent):
    """getRecord: no record at that key."""


def _classify(response: httpx.Response) -> PlatformError | None:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError, UnicodeDecodeError):
        return None
    if error == "ExpiredToken":
        return _ExpiredToken("bluesky: the access token expired")
    if error == "RecordNotFound":
        return _NotFound("bluesky: no such record")
    return None


def _json(response: httpx.Response):
    return parse_json(response, f"bluesky: {response.request.method} {response.request.url.path}")
