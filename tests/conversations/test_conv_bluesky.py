"""Reading Bluesky AppView answers: the real AppView's own test snapshots and the cases
they lack, served as files through httpx's mock transport to the reader's real Api."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from conversations import bluesky as reader
from conversations import fetch
from conversations.store import ResponseStore
from syndication.http import Api
from syndication.ledger import Ledger
from syndication.model import Posted, Transient

FIXTURES = Path(__file__).parent / "fixtures" / "bluesky"
OURS = "at://did:plc:ours/app.bsky.feed.post/3lourpost2abc"
EMPTY = {
    "app.bsky.feed.getLikes": "empty_likes.json",
    "app.bsky.feed.getRepostedBy": "empty_reposted_by.json",
    "app.bsky.feed.getQuotes": "empty_quotes.json",
    "app.bsky.actor.getProfiles": "empty_profiles.json",
}


class Served:
    """An AppView of fixture files: NSID → file, or a list of files served in turn
    (pages); (status, file) for an error answer. Keeps every request it got."""

    def __init__(self, files: dict):
        self.files = {**EMPTY, **files}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        nsid = request.url.path.removeprefix("/xrpc/")
        answer = self.files[nsid]
        if isinstance(answer, list):
            answer = answer.pop(0)
        status, name = answer if isinstance(answer, tuple) else (200, answer)
        return httpx.Response(status, content=(FIXTURES / name).read_bytes(),
                              headers={"Content-Type": "application/json"})  # fmt: skip

    def api(self) -> Api:
        return Api("bluesky", "https://appview.test",
                   client=httpx.Client(transport=httpx.MockTransport(self)))  # fmt: skip

    def asked(self, nsid: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path == f"/xrpc/{nsid}"]


def test_a_deep_thread_from_the_appviews_own_tests() -> None:
    served = Served({"app.bsky.feed.getPostThread": "thread_deep.json",
                     "app.bsky.actor.getProfiles": "profiles_thread.json"})  # fmt: skip
    got = {r.response_id: r for r in reader.fetch(served.api(), "record(0)")}
    assert sorted(got) == ["record(5)", "record(8)", "record(9)"]
    assert {r.kind for r in got.values()} == {"reply"}
    assert got["record(5)"].parent_id == "record(0)"  # a direct reply answers our copy
    assert got["record(9)"].parent_id == "record(8)"
    assert got["record(5)"].author.name == "carol.test"  # no displayName: the handle
    assert got["record(8)"].author.name == "bobby"
    assert got["record(9)"].text == "<p>thanks bob</p>"
    assert got["record(5)"].url == "https://bsky.app/profile/carol.test/post/record(5)"
    assert got["record(5)"].published == "1970-01-01T00:00:00.000Z"
    assert got["record(8)"].author.opted_out  # bob's profile says #nobridge
    assert not got["record(5)"].author.opted_out
    thread = served.asked("app.bsky.feed.getPostThread")[0].url.params
    assert (thread["uri"], thread["depth"], thread["parentHeight"]) == ("record(0)", "200", "0")
    profiles = served.asked("app.bsky.actor.getProfiles")[0].url.params.get_list("actors")
    assert sorted(profiles) == ["user(0)", "user(2)", "user(3)"]


def test_blocked_and_deleted_nodes_are_skipped() -> None:
    served = Served({"app.bsky.feed.getPostThread": "thread_blocked_notfound.json"})
    got = reader.fetch(served.api(), OURS)
    kept = [r for r in got if not r.author.opted_out]
    assert [r.response_id for r in kept] == ["at://did:plc:ana/app.bsky.feed.post/3lreplyana001"]
    hidden = [r for r in got if r.author.opted_out]
    assert [r.author.handle for r in hidden] == ["quiet.example.net"]  # !no-unauthenticated


def test_upstream_likes_reposts_and_quotes() -> None:
    served = Served({"app.bsky.feed.getPostThread": "thread_deep.json",
                     "app.bsky.actor.getProfiles": "profiles_thread.json",
                     "app.bsky.feed.getLikes": "likes_upstream.json",
                     "app.bsky.feed.getRepostedBy": "reposted_by_upstream.json",
                     "app.bsky.feed.getQuotes": "quotes_upstream.json"})  # fmt: skip
    got = reader.fetch(served.api(), "record(0)")
    likes = sorted(r.author.handle for r in got if r.kind == "like")
    assert likes == ["bob.test", "carol.test", "dan.test", "eve.test"]
    reposts = [r for r in got if r.kind == "repost"]
    assert len(reposts) == 4 and all(r.response_id.startswith("repost:user(") for r in reposts)
    quotes = [r for r in got if r.kind == "quote"]
    assert [q.response_id for q in quotes] == ["record(0)", "record(3)"]
    assert all(q.parent_id == "record(0)" and q.author.handle == "eve.test" for q in quotes)
    for nsid in ("getLikes", "getRepostedBy", "getQuotes"):
        (request,) = served.asked(f"app.bsky.feed.{nsid}")
        assert request.url.params["limit"] == "100"


def test_likes_follow_the_cursor() -> None:
    pages = ["likes_page1.json", "likes_page2.json"]
    served = Served({"app.bsky.feed.getPostThread": "thread_blocked_notfound.json",
                     "app.bsky.feed.getLikes": pages})  # fmt: skip
    likes = [r for r in reader.fetch(served.api(), OURS) if r.kind == "like"]
    assert [r.author.handle for r in likes] == [
        "ana.example.com", "bot.example.com", "ben.example.com",
    ]  # fmt: skip
    assert [r.author.opted_out for r in likes] == [False, True, False]  # "#NoBot"
    first, second = served.asked("app.bsky.feed.getLikes")
    assert "cursor" not in first.url.params
    assert second.url.params["cursor"] == "1764664200000::bafyreilike2"
    assert likes[0].response_id == "like:did:plc:ana"


def test_likes_stop_after_the_page_bound(monkeypatch) -> None:
    monkeypatch.setattr(reader, "MAX_PAGES", 3)
    served = Served({"app.bsky.feed.getPostThread": "thread_blocked_notfound.json",
                     "app.bsky.feed.getLikes": ["likes_page1.json"] * 5})  # fmt: skip
    reader.fetch(served.api(), OURS)
    assert len(served.asked("app.bsky.feed.getLikes")) == 3


def test_an_appview_without_getquotes_still_gives_the_rest() -> None:
    served = Served({"app.bsky.feed.getPostThread": "thread_deep.json",
                     "app.bsky.feed.getQuotes": (501, "not_implemented.json"),
                     "app.bsky.feed.getLikes": "likes_upstream.json"})  # fmt: skip
    kinds = sorted({r.kind for r in reader.fetch(served.api(), "record(0)")})
    assert kinds == ["like", "reply"]


def test_signature_is_the_counts_of_our_post() -> None:
    served = Served({"app.bsky.feed.getPosts": "posts_upstream.json"})
    assert reader.signature(served.api(), "record(0)") == "0:0:0:0"
    assert served.asked("app.bsky.feed.getPosts")[0].url.params.get_list("uris") == ["record(0)"]
    served = Served({"app.bsky.feed.getPosts": "empty_profiles.json"})  # no "posts": deleted
    assert reader.signature(served.api(), OURS) == ""


def test_garbage_is_one_transient_line() -> None:
    served = Served({"app.bsky.feed.getPostThread": "garbage.json"})
    with pytest.raises(Transient) as caught:
        reader.fetch(served.api(), OURS)
    message = str(caught.value)
    assert "\n" not in message and "body is not JSON" in message
    assert message.startswith("bluesky: GET https://appview.test/xrpc/app.bsky.feed.getPostThread")


def posted(tmp_path: Path) -> Ledger:
    ledger = Ledger(tmp_path / "ledger.sqlite")
    ledger.begin_run(say=print)
    ledger.claim("e", "bluesky")
    ledger.mark_posted(
        "e", "bluesky", Posted(OURS, "https://bsky.app/profile/us/post/3lourpost2abc")
    )
    return ledger


def test_our_deleted_copy_is_gone_once(tmp_path: Path) -> None:
    served = Served({"app.bsky.feed.getPosts": "empty_profiles.json",
                     "app.bsky.feed.getPostThread": (400, "not_found.json")})  # fmt: skip
    ledger = posted(tmp_path)
    lines: list[str] = []
    assert fetch.run(ledger, {"bluesky": served.api()}, say=lines.append).gone == 1
    assert fetch.run(ledger, {"bluesky": served.api()}, say=lines.append).copies == 0
    assert len(lines) == 1 and "is gone" in lines[0]


def test_garbage_in_a_run_keeps_what_was_stored(tmp_path: Path) -> None:
    ledger = posted(tmp_path)
    good = Served({"app.bsky.feed.getPosts": "empty_profiles.json",
                   "app.bsky.feed.getPostThread": "thread_blocked_notfound.json"})  # fmt: skip
    fetch.run(ledger, {"bluesky": good.api()}, say=print)
    bad = Served({"app.bsky.feed.getPosts": "posts_upstream.json",
                  "app.bsky.feed.getPostThread": "garbage.json"})  # fmt: skip
    lines: list[str] = []
    outcome = fetch.run(ledger, {"bluesky": bad.api()}, say=lines.append)
    assert len(outcome.errors) == 1 and lines == outcome.errors and "not JSON" in lines[0]
    kept = ResponseStore(ledger.store).responses()
    assert [r.author.handle for r in kept] == ["ana.example.com"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://bsky.app/profile/chorus.example.org/post/3lourpost2abc",
      "at://chorus.example.org/app.bsky.feed.post/3lourpost2abc"),
     ("https://bsky.app/profile/did:plc:ours/post/3lourpost2abc/", OURS),
     ("https://example.org/not/a/post", "")],
)  # fmt: skip
def test_a_copy_known_only_by_its_web_url(url: str, expected: str) -> None:
    assert fetch.copy_id_of(None, url, "bluesky") == expected
    assert fetch.copy_id_of(OURS, url, "bluesky") == OURS


def test_connect_chooses_where_reads_go() -> None:
    creds = {"CHORUS_BLUESKY_PDS": "https://pds.test", "CHORUS_BLUESKY_HANDLE": "us.test",
             "CHORUS_BLUESKY_APP_PASSWORD": "pw"}  # fmt: skip
    direct = reader.connect({**creds, "CHORUS_BLUESKY_APPVIEW_URL": "https://appview.test/"})
    assert direct is not None and direct.base_url == "https://appview.test"
    assert "Authorization" not in direct.headers
    through = reader.connect(creds)
    assert through is not None and through.base_url == "https://pds.test"
    assert reader.connect({"CHORUS_BLUESKY_PDS": "https://pds.test"}) is None


def test_fixtures_are_json_except_the_unreadable_ones() -> None:
    for path in FIXTURES.glob("*.json"):
        if path.name not in ("garbage.json", "thread_too_deep.json"):
            json.loads(path.read_text())


def test_a_thread_nested_too_deeply_is_one_line() -> None:
    served = Served({"app.bsky.feed.getPostThread": "thread_too_deep.json"})
    with pytest.raises(Transient, match="nested too deeply to read"):
        reader.fetch(served.api(), OURS)


def test_an_unverified_handle_is_replaced_by_the_did() -> None:
    who = reader.author({"did": "did:plc:abc", "handle": "handle.invalid", "labels": []})
    assert (who.handle, who.url) == ("did:plc:abc", "https://bsky.app/profile/did:plc:abc")
