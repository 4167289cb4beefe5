"""Mastodon and Bluesky against real servers: mastodon-mock and the Bluesky PDS."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from syndication.model import Card, Composed, Facet, Permanent
from syndication.platforms import create
from syndication.platforms.bluesky import record_key
from syndication.runner import idempotency_key
from syndication.source import parse_feed

from .conftest import FIXTURES, fixture_feed

pytestmark = pytest.mark.integration


def entries(site: str = "http://site.test"):
    return {e.url.rsplit("/", 2)[-2]: e for e in parse_feed(fixture_feed("feed_good.json", site))}


def composed_for(entry, platform: str, text: str) -> Composed:
    link_start = len(text.encode()) + 1
    full = f"{text} {entry.url} #Café"
    tag_start = len(f"{text} {entry.url} ".encode())
    return Composed(
        platform=platform,
        text=full,
        length=len(full),
        limit=300,
        link=entry.url,
        facets=(
            Facet(link_start, link_start + len(entry.url.encode()), "link", entry.url),
            Facet(tag_start, tag_start + len("#Café".encode()), "tag", "Café"),
        ),
        card=Card(entry.url, entry.title, entry.summary, entry.image_url),
        hashtags=("Café",),
    )


def test_mastodon_posts_once_per_key_and_finds_its_post(mastodon_account):
    entry = entries()["cafe-opening"]
    platform = create("mastodon", mastodon_account.credentials())
    assert platform.limits() == {"max_characters": 500, "url_length": 23}
    key = idempotency_key(entry.id, "mastodon")
    assert platform.find(entry, key) is None
    composed = composed_for(entry, "mastodon", "Our café opens ☕ 新しい")
    first = platform.post(composed, entry, key)
    again = platform.post(composed, entry, key)  # a resend after a crash: same key
    assert again == first
    statuses = mastodon_account.statuses()
    assert len(statuses) == 1
    assert "Our café opens ☕ 新しい" in statuses[0]["content"]
    assert platform.find(entry, key) == first


def test_mastodon_errors_are_classified_and_never_show_the_token(mastodon_account):
    entry = entries()["cafe-opening"]
    bad = create(
        "mastodon", {**mastodon_account.credentials(), "CHORUS_MASTODON_TOKEN": "wrong-token-123"}
    )
    with pytest.raises(Permanent) as caught:
        bad.post(composed_for(entry, "mastodon", "x"), entry, "k1")
    assert "HTTP 401" in str(caught.value)
    assert "wrong-token-123" not in str(caught.value)
    assert mastodon_account.token not in str(caught.value)


def test_bluesky_record_with_facets_card_and_blob(bluesky_account, static_server):
    site, root = static_server
    (root / "card.png").write_bytes((FIXTURES / "card.png").read_bytes())
    entry = entries(site)["cafe-opening"]
    platform = create("bluesky", bluesky_account.credentials())
    key = idempotency_key(entry.id, "bluesky")
    composed = composed_for(entry, "bluesky", "Our café opens ☕ 新しいカフェ")
    posted = platform.post(composed, entry, key)
    rkey = record_key(key)
    assert posted.remote_id == f"at://{bluesky_account.did}/app.bsky.feed.post/{rkey}"
    assert posted.url == f"https://bsky.app/profile/{bluesky_account.handle}/post/{rkey}"
    record = httpx.get(
        f"{bluesky_account.pds}/xrpc/com.atproto.repo.getRecord",
        params={"repo": bluesky_account.did, "collection": "app.bsky.feed.post", "rkey": rkey},
    ).json()["value"]
    assert record["text"] == composed.text
    data = record["text"].encode()
    link, tag = record["facets"]
    assert data[link["index"]["byteStart"] : link["index"]["byteEnd"]].decode() == entry.url
    assert link["features"][0] == {"$type": "app.bsky.richtext.facet#link", "uri": entry.url}
    assert data[tag["index"]["byteStart"] : tag["index"]["byteEnd"]].decode() == "#Café"
    external = record["embed"]["external"]
    assert record["embed"]["$type"] == "app.bsky.embed.external"
    assert (external["uri"], external["title"]) == (entry.url, entry.title)
    assert external["thumb"]["mimeType"] == "image/png"
    assert external["thumb"]["size"] == (FIXTURES / "card.png").stat().st_size
    blob = httpx.get(
        f"{bluesky_account.pds}/xrpc/com.atproto.sync.getBlob",
        params={"did": bluesky_account.did, "cid": external["thumb"]["ref"]["$link"]},
    )
    assert blob.content == (FIXTURES / "card.png").read_bytes()


def test_bluesky_resend_collides_one_session_for_many_posts(bluesky_account):
    feed = entries()
    platform = create("bluesky", bluesky_account.credentials())
    results = []
    for slug in ("forklift-week", "cafe-opening"):
        entry = feed[slug]
        key = idempotency_key(entry.id, "bluesky")
        composed = Composed("bluesky", f"{entry.title} {entry.url}", 10, 300, entry.url)
        assert platform.find(entry, key) is None
        results.append(platform.post(composed, entry, key))
        assert platform.post(composed, entry, key) == results[-1]  # resend: no second record
        assert platform.find(entry, key) == results[-1]
    assert len(bluesky_account.records()) == 2
    assert platform.sessions_created == 1


def test_record_key_is_a_stable_tid_from_the_entry_id_alone():
    feed = entries()
    a, b = feed["cafe-opening"], feed["forklift-week"]
    key_a = record_key(idempotency_key(a.id, "bluesky"))
    assert key_a == record_key(idempotency_key(a.id, "bluesky"))
    assert key_a != record_key(idempotency_key(b.id, "bluesky"))
    assert len(key_a) == 13 and key_a[0] in "234567abcdefghij"
    # no key is in the future: the TID's time part lies in a fixed past window
    micros = 0
    for char in key_a:
        micros = micros * 32 + "234567abcdefghijklmnopqrstuvwxyz".index(char)
    moment = dt.datetime.fromtimestamp((micros >> 10) / 1e6, dt.UTC)
    assert dt.datetime(2023, 1, 1, tzinfo=dt.UTC) <= moment < dt.datetime.now(dt.UTC)
