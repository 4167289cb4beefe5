"""A Mastodon status (the documented Status entity) as a listening Entry: only public,
original, indexable statuses of people who did not opt out, and their text through the
listening policy."""

from __future__ import annotations

import json
from pathlib import Path

from conversations.listening.platform_read import queries
from conversations.listening.platforms import available
from conversations.listening.platforms.mastodon import entry
from conversations.listening.sources import Term

STATUSES = Path(__file__).resolve().parent.parent / "fixtures" / "listening" / "mastodon"


def test_only_public_original_indexable_statuses_are_kept() -> None:
    statuses = json.loads((STATUSES / "statuses.json").read_text(encoding="utf-8"))
    kept = {s["id"]: e for s in statuses if (e := entry(s, "Mastodon")) is not None}
    assert sorted(kept) == ["1", "8"]
    ana = kept["1"]
    assert ana.id == "https://remote.example/users/ana/statuses/1"
    assert ana.url == "https://remote.example/@ana/1"
    assert ana.source == "Mastodon"
    assert ana.published == "2026-11-30T09:15:00+00:00"
    for bad in ("script", "alert", "<img", "track.example", "javascript:", "class="):
        assert bad not in ana.summary_html, bad
    assert 'rel="external nofollow noopener noreferrer"' in ana.summary_html
    assert ana.title.startswith("The hori-hori")
    gus = kept["8"]
    assert gus.title == "Tool talk" and gus.published is None


def test_every_spelling_is_asked_once() -> None:
    terms = [
        Term("hori-hori", ("hori-hori", "Hori Hori", "hori hori"), ("product",)),
        Term("Hori-Hori tools", ("Hori-Hori tools", "HORI-HORI"), ("sales",)),
    ]
    assert queries(terms) == ["hori-hori", "Hori Hori", "Hori-Hori tools"]


def test_a_reader_is_a_module() -> None:
    assert "mastodon" in available()
