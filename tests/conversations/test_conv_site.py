"""The real Pelican build shows approved replies as u-comment h-cite (read back with mf2py),
counts and "Reply on Mastodon"; pending, hidden and blocked text is nowhere in the output."""

from __future__ import annotations

import json
from pathlib import Path

import mf2py
import pytest

from conversations import moderation, snapshot
from conversations.model import Author, Response
from conversations.store import ResponseStore
from syndication.store import open_store
from tests.conftest import build_site, copy_content

pytestmark = pytest.mark.integration
ENTRY = "tag:alderfinch.example,2026:posts/welcome-autumn-apprentices"
COPY = "https://social.example/@alderfinch/100"


def response(rid: str, handle: str, text: str, parent: str = "100", kind: str = "reply"):
    author = Author(handle, handle.split("@")[0].title(), f"https://social.example/@{handle}")
    return Response("mastodon", "100", rid, kind, author, f"<p>{text}</p>",
                    f"https://social.example/@x/{rid}", f"2026-11-2{rid[-1]}T10:00:00Z", "",
                    parent)  # fmt: skip


def test_conversation_on_the_page(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    (content / "syndication-links.json").write_text(
        json.dumps({"version": 1, "entries": {ENTRY: {"mastodon": COPY}}})
    )
    store = ResponseStore(open_store(tmp_path / "ledger.sqlite"))
    store.replace("mastodon", "100", ENTRY, [
        response("1", "ana@a.example", "APPROVED-TOP <script>alert(1)</script>"),
        response("2", "chorus@alderfinch.example", "APPROVED-ANSWER", parent="1"),
        response("3", "who@a.example", "PENDING-TEXT"),
        response("4", "ana@a.example", "HIDDEN-TEXT"),
        response("5", "troll@spam.example", "BLOCKED-TEXT"),
        response("like:6", "fan@a.example", "", kind="like"),
        response("repost:7", "fan@a.example", "", kind="repost"),
    ])  # fmt: skip
    decisions = moderation.Decisions(approve={"mastodon:1"}, hide={"mastodon:4"},
                                     block_domains={"spam.example"})  # fmt: skip
    data = snapshot.build(store, {("mastodon", "100"): COPY}, decisions,
                          {"chorus@alderfinch.example"})  # fmt: skip
    (content / "conversations").mkdir(exist_ok=True)
    (content / "conversations" / "snapshot.json").write_text(json.dumps(data))
    output = tmp_path / "output"
    build_site(output, content)

    page = (output / "posts" / "welcome-autumn-apprentices" / "index.html").read_text()
    parsed = mf2py.parse(doc=page)
    entry = next(i for i in parsed["items"] if "h-entry" in i["type"])
    comments = entry["properties"]["comment"]
    assert len(comments) == 1 and "h-cite" in comments[0]["type"]
    top = comments[0]["properties"]
    assert "APPROVED-TOP" in top["content"][0]["html"]
    assert top["author"][0]["properties"]["name"] == ["Ana"]
    assert top["published"] == ["2026-11-21T10:00:00Z"]
    answer = top["comment"][0]
    assert "h-cite" in answer["type"]
    assert "APPROVED-ANSWER" in answer["properties"]["content"][0]["html"]
    assert 'class="u-comment h-cite from-us"' in page
    assert "Reply on Mastodon" in page and COPY in page
    assert '<data class="likes" value="1">' in page
    assert "<script>alert" not in page
    everything = "".join(p.read_text(errors="ignore") for p in output.rglob("*") if p.is_file())
    for hidden in ("PENDING-TEXT", "HIDDEN-TEXT", "BLOCKED-TEXT", "troll@spam"):
        assert hidden not in everything


def test_demo_snapshot_shows_three_conversations(tmp_path: Path) -> None:
    output = tmp_path / "output"
    build_site(output)
    shown = [
        slug
        for slug in (
            "four-day-week-pilot",
            "barcode-scanners-upgrade",
            "welcome-autumn-apprentices",
        )
        if "u-comment h-cite" in (output / "posts" / slug / "index.html").read_text()
    ]
    assert len(shown) == 3
