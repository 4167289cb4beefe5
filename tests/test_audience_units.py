"""Audiences and drafts as plain functions: who a post is for, which build writes it, what
its feed entry may be cross-posted to, and which static files stay out of a build."""

from __future__ import annotations

import pytest

from plugins.feeds.entry import chorus_extension
from plugins.people.directory import Department
from plugins.posts.audience import audience_of, in_build, static_refs, withheld_static

HR = Department("hr", "People & Culture", syndicate=["linkedin", "internal"])
CLOSED = Department("finance", "Finance", syndicate=["linkedin"], audience="internal")
DEV = {"CHORUS_AUDIENCE": "public", "CHORUS_DRAFTS": True}
PUBLISH = {"CHORUS_AUDIENCE": "public", "CHORUS_DRAFTS": False}
INTRANET = {"CHORUS_AUDIENCE": "internal", "CHORUS_DRAFTS": True}


def test_audience_from_the_post_else_the_department_else_public():
    assert audience_of({}, None) == "public"
    assert audience_of({}, HR) == "public"
    assert audience_of({}, CLOSED) == "internal"
    assert audience_of({"audience": "public"}, CLOSED) == "public"
    assert audience_of({"audience": "internal"}, HR) == "internal"


@pytest.mark.parametrize(
    ("status", "audience", "settings", "written"),
    [
        ("published", "public", PUBLISH, True),
        ("draft", "public", PUBLISH, False),  # never on the public web
        ("published", "internal", PUBLISH, False),
        ("draft", "public", DEV, True),  # authors see their drafts locally
        ("published", "internal", DEV, False),
        ("published", "internal", INTRANET, True),
        ("draft", "internal", INTRANET, True),  # for review
        ("published", "public", INTRANET, True),
    ],
)
def test_which_build_writes_which_post(status, audience, settings, written):
    assert in_build(status, audience, settings) is written


def feed_extension(*args) -> dict:
    """The item's `_chorus` as the feed carries it."""
    return chorus_extension(*args).to_json()


def test_an_internal_post_goes_to_the_internal_channel_only():
    explicit = {"audience": "internal", "syndicate": ["linkedin", "internal", "x"]}
    assert feed_extension(explicit, HR, "hr")["syndicate"] == ["internal"]
    assert feed_extension(explicit, HR, "hr", "internal")["syndicate"] == ["internal"]
    default = feed_extension({}, CLOSED, "finance", "internal")
    assert default["syndicate"] == ["internal"] and default["audience"] == "internal"
    assert feed_extension({"audience": "internal", "syndicate": []}, HR, "hr")["syndicate"] == []


def test_the_intranet_feed_leaves_public_posts_to_the_public_feed():
    public = feed_extension({}, HR, "hr", "internal")
    assert public == {**public, "audience": "public", "syndicate": []}
    assert feed_extension({}, HR, "hr")["syndicate"] == ["linkedin", "internal"]


def test_static_files_a_post_names():
    text = (
        "images/posts/bus.png\n![a]({static}/images/posts/map.svg) and "
        "[pdf](/extra/rota.pdf), not images/ alone, nor https://x.example/images/y.png"
    )
    assert static_refs(text, ["images", "extra"]) == {
        "images/posts/bus.png",
        "images/posts/map.svg",
        "extra/rota.pdf",
    }


def test_only_files_no_written_post_names_are_withheld():
    left_out = [{"images/a.png", "images/shared.png"}]
    kept = [{"images/shared.png"}, {"images/b.png"}]
    assert withheld_static(left_out, kept) == {"images/a.png"}
    assert withheld_static([], kept) == set()
