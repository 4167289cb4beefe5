"""Moderation decisions from YAML files, and the snapshot that only carries approved text."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversations import moderation, snapshot
from conversations.model import Author, Response
from conversations.store import ResponseStore
from core.problems import ContentError
from syndication.store import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "decisions"


def reply(rid: str, handle: str, parent: str = "100", kind: str = "reply") -> Response:
    author = Author(handle, handle, f"https://x/{handle}")
    published = "2026-11-20T10:00:00Z"
    return Response("mastodon", "100", rid, kind, author, f"<p>text {rid}</p>",
                    f"https://x/{rid}", published, "", parent)  # fmt: skip


def test_states() -> None:
    d = moderation.load(FIXTURES / "good.yaml")
    assert d.state(reply("1", "someone@a.example")) == "approved"
    assert d.state(reply("2", "friend@example.social")) == "hidden"  # hide wins over allow
    assert d.state(reply("3", "friend@example.social")) == "approved"
    assert d.state(reply("1", "troll@example.social")) == "blocked"  # block wins
    assert d.state(reply("4", "x@spam.example")) == "blocked"
    assert d.state(reply("5", "new@a.example")) == "pending"
    assert d.state(reply("5", "new@a.example"), {"new@a.example"}) == "approved"


def test_our_own_accounts_need_no_approval() -> None:
    d = moderation.Decisions(org_accounts={"alderfinch@social.example"})
    assert d.state(reply("6", "AlderFinch@social.example")) == "approved"
    d.hide.add("mastodon:6")
    assert d.state(reply("6", "alderfinch@social.example")) == "hidden"  # hiding still wins


def test_a_domain_block_covers_bluesky_handles_and_subdomains() -> None:
    d = moderation.Decisions(block_domains={"spam.example", "troll.bsky.social"})
    assert d.state(reply("1", "bot.spam.example")) == "blocked"  # a Bluesky handle
    assert d.state(reply("2", "x@mastodon.spam.example")) == "blocked"
    assert d.state(reply("3", "troll.bsky.social")) == "blocked"  # `--block troll.bsky.social`
    assert d.state(reply("4", "ana.bsky.social")) == "pending"
    assert d.state(reply("5", "notspam.example")) == "pending"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("broken.yaml", "broken.yaml:1: error: this file is not valid YAML: a list opened"),
     ("unknown-key.yaml", "unknown-key.yaml:1: error: unknown key 'aprove'"),
     ("not-a-list.yaml", "not-a-list.yaml:1: error: approve must be a list")],
)  # fmt: skip
def test_bad_decisions_are_one_line(name: str, expected: str) -> None:
    with pytest.raises(ContentError) as caught:
        moderation.load(FIXTURES / name)
    assert expected in str(caught.value) and "\n" not in str(caught.value)


def test_snapshot_carries_only_approved(tmp_path: Path) -> None:
    store = ResponseStore(open_store(tmp_path / "l.sqlite"))
    store.replace("mastodon", "100", "tag:e", [
        reply("1", "someone@a.example"),
        reply("2", "friend@example.social"),
        reply("3", "friend@example.social", parent="1"),
        reply("5", "pending@a.example"),
        reply("6", "troll@example.social"),
        reply("like:9", "fan@a.example", kind="like"),
        reply("like:8", "x@spam.example", kind="like"),
        reply("repost:7", "fan@a.example", kind="repost"),
    ])  # fmt: skip
    data = snapshot.build(store, {("mastodon", "100"): "https://m/@us/100"},
                          moderation.load(FIXTURES / "good.yaml"))  # fmt: skip
    entry = data["entries"]["tag:e"]
    assert [r["id"] for r in entry["replies"]] == ["mastodon:1", "mastodon:3"]
    assert entry["replies"][1]["parent"] == "mastodon:1"
    assert entry["counts"] == {"mastodon": {"like": 1, "repost": 1}}
    assert entry["copies"] == {"mastodon": "https://m/@us/100"}
    text = str(data)
    assert "pending@a.example" not in text and "troll" not in text and "text 2" not in text
