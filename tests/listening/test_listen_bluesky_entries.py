"""Bluesky post views (app.bsky.feed.defs#postView, as searchPosts returns them) as
listening Entries, one fixture per case, and the searchPosts paging, against an
in-process transport serving those fixtures (the real PDS and AppView are in
test_listen_bluesky.py)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from conversations.listening.platforms import available
from conversations.listening.platforms.bluesky import MAX_PAGES, entry, read
from conversations.listening.sources import PlatformSource
from syndication.model import PlatformError

POSTS = Path(__file__).resolve().parent.parent / "fixtures" / "listening" / "bluesky"
APPVIEW = "https://appview.test"


def post(case: str) -> dict:
    return json.loads((POSTS / f"{case}.json").read_text(encoding="utf-8"))


def profiles() -> dict[str, str]:
    data = json.loads((POSTS / "profiles.json").read_text(encoding="utf-8"))
    return {p["did"]: p.get("description", "") for p in data["profiles"]}


def test_a_post_becomes_an_entry_with_its_web_link_and_escaped_text() -> None:
    found = entry(post("plain"), "Bluesky", profiles())
    assert found is not None
    assert found.id == "at://did:plc:ana4example7qzj2b/app.bsky.feed.post/3lbqz7xkq2s2a"
    assert found.url == "https://bsky.app/profile/ana.bsky.social/post/3lbqz7xkq2s2a"
    assert found.source == "Bluesky" and found.published == "2026-11-30T09:15:00+00:00"
    assert "<script" not in found.summary_html and "&lt;script&gt;" in found.summary_html
    assert found.summary_html.count("<p>") == 2
    assert found.title.startswith("Has anyone tried the hori-hori?")


@pytest.mark.parametrize("case", ["no-unauthenticated", "opted-out-profile", "no-record"])
def test_opted_out_and_broken_posts_are_left_out(case: str) -> None:
    assert entry(post(case), "Bluesky", profiles()) is None


def test_an_unverified_handle_links_by_did_and_an_unreadable_date_is_undated() -> None:
    found = entry(post("invalid-handle"), "Bluesky", {})
    assert found is not None and found.published is None and found.title == "(untitled)"
    assert found.url == "https://bsky.app/profile/did:plc:gus4example5tt/post/3lbqzacccc22a"


def test_a_reader_is_a_module() -> None:
    assert "bluesky" in available()


class AppView:
    """searchPosts answering `pages` in turn (a cursor per page but the last), getProfiles
    from profiles.json; `refuse_cursor` answers 403 to any cursor, as the public AppView
    does without a session."""

    def __init__(self, pages: list[list[str]], refuse_cursor: bool = False):
        self.pages, self.refuse_cursor = pages, refuse_cursor
        self.asked: list[httpx.QueryParams] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("getProfiles"):
            return httpx.Response(200, content=(POSTS / "profiles.json").read_bytes())
        self.asked.append(request.url.params)
        cursor = request.url.params.get("cursor")
        if cursor and self.refuse_cursor:
            return httpx.Response(403, text="<html>403 Forbidden</html>")
        index = int(cursor or 0)
        body: dict = {"posts": [post(c) for c in self.pages[index]]}
        if index + 1 < len(self.pages):
            body["cursor"] = str(index + 1)
        return httpx.Response(200, json=body)


def run(view: AppView, *, search: bool = True, hashtags: tuple[str, ...] = ()) -> list:
    source = PlatformSource("Bluesky", "bluesky", APPVIEW, search=search, hashtags=hashtags)
    with httpx.Client(transport=httpx.MockTransport(view)) as client:
        return read(source, ["hori-hori"], client, 5.0)


def test_pages_are_followed_by_cursor_and_opted_out_authors_dropped() -> None:
    view = AppView([["plain", "opted-out-profile"], ["no-unauthenticated", "invalid-handle"]])
    found = run(view)
    assert [e.url.rsplit("/", 1)[-1] for e in found] == ["3lbqz7xkq2s2a", "3lbqzacccc22a"]
    assert [p.get("cursor") for p in view.asked] == [None, "1"]
    assert all(p["q"] == "hori-hori" and p["sort"] == "latest" for p in view.asked)
    assert all(p["limit"] == "100" for p in view.asked)


def test_paging_stops_after_max_pages() -> None:
    view = AppView([["plain"]] * (MAX_PAGES + 2))
    run(view)
    assert len(view.asked) == MAX_PAGES


def test_a_refused_cursor_keeps_the_first_page() -> None:
    view = AppView([["plain"], ["invalid-handle"]], refuse_cursor=True)
    assert [e.url for e in run(view)] == [entry(post("plain"), "Bluesky", {}).url]


def test_a_refused_first_page_is_the_sources_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, text="Forbidden")

    source = PlatformSource("Bluesky", "bluesky", APPVIEW)
    with (
        httpx.Client(transport=httpx.MockTransport(refuse)) as client,
        pytest.raises(PlatformError, match="403"),
    ):
        read(source, ["hori-hori"], client, 5.0)


def test_hashtags_are_searched_as_hash_queries() -> None:
    view = AppView([["plain"]])
    run(view, search=False, hashtags=("AlderFinch", "gardening"))
    assert [p["q"] for p in view.asked] == ["#AlderFinch", "#gardening"]
