"""Bluesky's rules against the real PDS (tools/pds): what the composer makes of a long
hashtag and a URL with parentheses is accepted and keeps its facets; the PDS really refuses
a tag facet past 64 graphemes; a request past its body limit is one line, never retried."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from syndication.compose import compose
from syndication.http import PayloadTooLarge
from syndication.model import Card, Composed, Facet, Permanent
from syndication.platforms import create
from syndication.platforms.bluesky import record_key
from syndication.runner import idempotency_key
from tests.syndication_compose.conftest import CASES, entry_from, load

pytestmark = pytest.mark.integration


def _record(account, rkey: str) -> dict:
    return httpx.get(
        f"{account.pds}/xrpc/com.atproto.repo.getRecord",
        params={"repo": account.did, "collection": "app.bsky.feed.post", "rkey": rkey},
    ).json()["value"]


@pytest.mark.parametrize("name", ["bluesky_long_hashtags", "bluesky_url_parens"])
def test_composed_post_is_accepted_with_its_facets(bluesky_account, name):
    case = load(CASES / f"{name}.yaml")
    entry = entry_from(case["entry"])
    composed = compose(entry, "bluesky")
    platform = create("bluesky", bluesky_account.credentials())
    key = idempotency_key(entry.id, "bluesky")
    platform.post(composed, entry, key)
    record = _record(bluesky_account, record_key(key))
    assert record["text"] == composed.text
    data = record["text"].encode()
    got = []
    for facet in record["facets"]:
        feature = facet["features"][0]
        covered = data[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode()
        got.append(
            (feature["$type"].rsplit("#", 1)[-1], covered, feature.get("uri") or feature["tag"])
        )
    want = [(f["kind"], f["value"]) for f in case["expected"]["facets"]]
    assert [(kind, value) for kind, _, value in got] == want
    for kind, covered, value in got:
        assert covered == (f"#{value}" if kind == "tag" else value)


def test_the_pds_refuses_a_tag_facet_past_64_graphemes(bluesky_account):
    """The reason long tags are never sent: one of them and the whole post is refused."""
    case = load(CASES / "bluesky_long_hashtags.yaml")
    entry = entry_from(case["entry"])
    long_tag = "a" * 65
    text = f"Too long a tag: #{long_tag}"  # 82 graphemes: only the tag is over a limit
    start = len("Too long a tag: ")
    bad = Composed(
        platform="bluesky",
        text=text,
        length=len(text),
        limit=300,
        link=entry.url,
        facets=(Facet(start, start + 66, "tag", long_tag),),
    )
    platform = create("bluesky", bluesky_account.credentials())
    with pytest.raises(Permanent) as caught:
        platform.post(bad, entry, idempotency_key(entry.id, "bluesky"))
    assert "HTTP 400" in str(caught.value) and "$.record.facets" in str(caught.value)
    assert "maximum 64, got 65" in str(caught.value)
    assert bluesky_account.records() == []
    fits = dataclasses.replace(
        bad, text=text[:-1], facets=(Facet(start, start + 65, "tag", long_tag[:-1]),)
    )
    platform.post(fits, entry, idempotency_key(entry.id, "bluesky"))  # 64 is accepted
    assert len(bluesky_account.records()) == 1


def test_a_body_past_the_pds_limit_is_one_line_naming_host_and_cause(bluesky_account):
    case = load(CASES / "bluesky_card_cut.yaml")
    entry = entry_from(case["entry"])
    composed = compose(entry, "bluesky")
    # what an uncut card would send: the PDS takes 150 KiB of JSON
    huge = dataclasses.replace(composed, card=Card(entry.url, entry.title, "word " * 40_000, None))
    platform = create("bluesky", bluesky_account.credentials())
    with pytest.raises(PayloadTooLarge) as caught:
        platform.post(huge, entry, idempotency_key(entry.id, "bluesky"))
    message = str(caught.value)
    assert "\n" not in message
    assert "HTTP 413" in message and "larger than localhost accepts" in message
    assert caught.value.maybe_sent is False
    assert bluesky_account.records() == []
    # and the composed card, cut, goes through
    platform.post(composed, entry, idempotency_key(entry.id, "bluesky"))
    assert len(bluesky_account.records()) == 1
