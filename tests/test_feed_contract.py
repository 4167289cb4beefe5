"""The `_chorus` contract: what the feed writer puts in the published JSON Feed is what the
cross-posting reader gets back, field by field (core/feed_contract.py is the one schema)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from core.feed_contract import EXTENSION, FeedExtension, ItemExtension, Retraction
from plugins.feeds.entry import Author, Category, Entry, Image, Site
from plugins.feeds.plan import Scope, render
from syndication.source import SourceError, parse_feed

WHEN = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
SITE = Site(
    url="https://chorus.test", name="Chorus", subtitle="", lang="en", timezone="UTC",
    id_authority="chorus.test", id_start="2026", max_items=None, hub=None,
    stylesheet="", icon="", content_path="",
)  # fmt: skip
EXT = ItemExtension(
    department="warehouse",
    syndicate=("mastodon", "bluesky"),
    syndication_text={"bluesky": "Shorter, for Bluesky 🦋"},
    status="published",
    audience="public",
    image_alt="Contractors at the loading dock",
    tags=("café", "open source"),
)
GONE = Retraction(
    "tag:chorus.test,2026:posts/old", "https://chorus.test/posts/old/", "wrong figures"
)


def written_site_feed() -> str:
    entry = Entry(
        id="tag:chorus.test,2026:posts/dock", slug="dock", url="https://chorus.test/posts/dock/",
        title="At the dock", content_html="<p>Body</p>", summary="What we heard.",
        published=WHEN, updated=WHEN + dt.timedelta(hours=1),
        author=Author("María López", "https://chorus.test/people/maria.lopez/"),
        handle="maria.lopez", department="warehouse",
        categories=[Category("warehouse", "Warehouse & Operations"), Category("cafe", "café"),
                    Category("open-source", "open source")],
        tags=["cafe", "open-source"], image=Image("https://chorus.test/images/dock.png"),
        chorus=EXT,
    )  # fmt: skip
    scope = Scope("all", None, "Chorus", "", "https://chorus.test/")
    scope.extension = FeedExtension((GONE,))
    files = dict(render(SITE, [entry], [scope]))
    return files["feeds/all.json"]


def test_every_field_the_writer_declares_is_written():
    item = json.loads(written_site_feed())["items"][0]
    assert set(item[EXTENSION]) == {f.name for f in dataclasses.fields(ItemExtension)}


def test_a_written_feed_reads_back_with_every_field():
    entries, retracted = parse_feed(written_site_feed(), "all.json", with_retracted=True)
    (got,) = entries
    assert got.department == EXT.department
    assert got.syndicate == EXT.syndicate
    assert got.syndication_text == EXT.syndication_text
    assert got.status == EXT.status
    assert got.image_alt == EXT.image_alt
    assert got.tags == EXT.tags
    assert got.image_url == "https://chorus.test/images/dock.png"
    assert (got.published, got.updated) == (WHEN, WHEN + dt.timedelta(hours=1))
    assert retracted == [GONE]
    # and the reader's own view of the object is the writer's, field for field
    item = json.loads(written_site_feed())["items"][0]
    assert ItemExtension.from_json(item[EXTENSION]) == EXT


def test_an_extension_without_optional_fields_reads_with_the_defaults():
    got = ItemExtension.from_json({"department": "hr"})
    assert got == ItemExtension("hr")
    assert got.to_json() == {"department": "hr", "audience": "public", "syndicate": [],
                             "syndication_text": {}, "status": "published"}  # fmt: skip


@pytest.mark.parametrize(
    ("extension", "message"),
    [
        ({"department": 3}, "_chorus.department must be a string"),
        ({"syndicate": "mastodon"}, "_chorus.syndicate must be a list of platform names"),
        ({"syndication_text": {"x": 1}}, "_chorus.syndication_text must map platform to text"),
        ({"tags": [1]}, "_chorus.tags must be a list of strings"),
        ({"image_alt": ["a"]}, "_chorus.image_alt must be a string"),
    ],
)
def test_a_wrong_field_is_one_line_naming_it(extension, message):
    feed = {"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "x", "url": "https://chorus.test/x/", "date_published": "2026-01-01T00:00:00Z",
         EXTENSION: extension}]}  # fmt: skip
    with pytest.raises(SourceError) as caught:
        parse_feed(json.dumps(feed, indent=1), "all.json")
    assert str(caught.value) == f"all.json:4: error: item 'x': {message}"
