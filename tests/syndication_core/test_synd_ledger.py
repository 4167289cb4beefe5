"""The ledger: states, crash-safe order of writes, threads, and the links file export."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest

from syndication.ledger import Ledger, default_path
from syndication.links import export_links, load_links
from syndication.model import Posted


def test_pending_then_posted_then_links(tmp_path):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.mark_pending("e1", "mastodon")
        assert ledger.get("e1", "mastodon").state == "pending"
        ledger.mark_posted("e1", "mastodon", Posted("42", "https://m.example/@a/42"))
        row = ledger.get("e1", "mastodon")
        assert (row.state, row.attempts, row.remote_id) == ("posted", 1, "42")
        assert ledger.links() == {"e1": {"mastodon": "https://m.example/@a/42"}}


def test_failed_keeps_attempts_and_error(tmp_path):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.mark_pending("e1", "x")
        ledger.mark_failed("e1", "x", "x: HTTP 500")
        ledger.mark_pending("e1", "x")
        ledger.mark_failed("e1", "x", "x: HTTP 503")
        row = ledger.get("e1", "x")
        assert (row.state, row.attempts, row.last_error) == ("failed", 2, "x: HTTP 503")


def test_baseline_never_overwrites_a_row(tmp_path):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.mark_pending("e1", "mastodon")
        assert ledger.mark_seen([("e1", "mastodon"), ("e2", "mastodon")]) == 1
        assert ledger.states() == {("e1", "mastodon"): "pending", ("e2", "mastodon"): "seen"}


def test_wal_and_the_schema_other_tools_read(tmp_path):
    path = tmp_path / "l.sqlite"
    Ledger(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = [r[1] for r in db.execute("PRAGMA table_info(syndication)")]
    assert columns == [
        "entry_id", "platform", "state", "attempts", "last_error",
        "remote_id", "remote_url", "created_at", "updated_at",
    ]  # fmt: skip
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO syndication VALUES ('e', 'p', 'lost', 0, NULL, NULL, NULL, '', '')")


def test_a_failed_commit_leaves_the_row_pending(tmp_path):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.mark_pending("e1", "bluesky")

        def boom():
            raise RuntimeError("power cut")

        with pytest.raises(RuntimeError):
            ledger.mark_posted("e1", "bluesky", Posted("at://x", "https://b/x"), before_commit=boom)
        assert ledger.get("e1", "bluesky").state == "pending"


def test_threads_write_at_once_without_losing_a_row(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    platforms = ["mastodon", "bluesky", "internal", "x"]

    def work(platform):
        for i in range(50):
            ledger.mark_pending(f"e{i}", platform)
            ledger.mark_posted(f"e{i}", platform, Posted(str(i), f"https://{platform}/{i}"))

    threads = [threading.Thread(target=work, args=(p,)) for p in platforms]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = ledger.rows(state="posted")
    ledger.close()
    assert len(rows) == 200


def test_default_path_from_environment(tmp_path):
    assert default_path({}, tmp_path) == tmp_path / ".chorus/ledger.sqlite"
    assert default_path({"CHORUS_LEDGER": "/x/l.sqlite"}, tmp_path).as_posix() == "/x/l.sqlite"


def test_links_file_is_sorted_merged_and_read_back(tmp_path):
    path = tmp_path / "syndication-links.json"
    path.write_text(
        json.dumps({"version": 1, "entries": {"old": {"x": "https://x.com/a/status/1"}}})
    )
    changed = export_links(
        path,
        {
            "b": {"mastodon": "https://m/2", "bluesky": "https://b/2"},
            "a": {"mastodon": "https://m/1"},
        },
    )
    assert changed
    text = path.read_text()
    assert text.endswith("}\n")
    assert list(json.loads(text)["entries"]) == ["a", "b", "old"]  # kept what the ledger lacks
    assert [link["platform"] for link in load_links(path)["b"]] == ["bluesky", "mastodon"]
    assert export_links(path, {"a": {"mastodon": "https://m/1"}}) is False  # no diff, no write
