"""`invoke listen` against a real local HTTP server: formats, failures, 304, bounds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conversations.listening.fetch import Limits
from conversations.listening.runner import listen

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "listening"
TERMS = (FIXTURES / "listening.yaml").read_text(encoding="utf-8").split("terms:", 1)[1]
FAST = Limits(timeout=1.0, max_bytes=1024 * 1024)


def run(tmp_path: Path, server, sources: list[tuple[str, str]], limits: Limits = FAST):
    lines = ["sources:"]
    for name, path in sources:
        lines.append(f"  - {{name: '{name}', url: '{server.url}/{path}', kind: news}}")
    config = tmp_path / "listening.yaml"
    config.write_text("\n".join(lines) + "\nterms:" + TERMS, encoding="utf-8")
    result = listen(config, tmp_path / "snapshot.json", tmp_path / "state.json", limits)
    assert result.ok, [e.format() for e in result.errors]
    return result.snapshot, {s["name"]: s for s in result.snapshot["sources"]}


def test_three_formats_and_a_malformed_feed(tmp_path, feed_server):
    snap, sources = run(
        tmp_path,
        feed_server,
        [
            ("rss2", "rss2.xml"),
            ("rss1", "rss1.rdf"),
            ("atom", "atom.xml"),
            ("bad", "malformed.xml"),
        ],
    )
    assert {n: (s["status"], s["entries"]) for n, s in sources.items()} == {
        "rss2": ("ok", 3),
        "rss1": ("ok", 2),
        "atom": ("ok", 2),
        "bad": ("error", 0),
    }
    assert sources["bad"]["error"].startswith("not a feed")
    by_id = {m["id"]: m for m in snap["mentions"]}
    assert sorted(by_id) == [
        "https://forum.test/t/1",
        "tag:rival.test,2026:news/spade",
        "trade-1",
        "trade-3",
    ]
    assert by_id["trade-1"]["departments"] == ["marketing", "support"]
    assert by_id["https://forum.test/t/1"]["terms"] == ["Alder & Finch"]  # ALDER AND FINCH
    assert by_id["tag:rival.test,2026:news/spade"]["terms"] == ["Alder & Finch", "ash-handle spade"]
    assert by_id["tag:rival.test,2026:news/spade"]["departments"] == [
        "marketing",
        "support",
        "product",
        "sales",
    ]
    assert by_id["trade-3"]["terms"] == ["hori-hori"]
    assert by_id["trade-3"]["departments"] == ["product"]
    assert "trade-2" not in by_id  # "Finches" is not "Finch"
    assert [e["id"] for e in snap["latest"]["rss2"]] == ["trade-1", "trade-2", "trade-3"]
    assert snap["latest"]["bad"] == []
    # the client says who it is and what it accepts
    headers = feed_server.headers_for("/rss2.xml")[0]
    assert headers["user-agent"].startswith("Chorus-Listening/")
    assert "application/atom+xml" in headers["accept"]


def test_second_run_sends_the_etag_and_keeps_entries_on_304(tmp_path, feed_server):
    first, _ = run(tmp_path, feed_server, [("rss2", "rss2.xml"), ("atom", "atom.xml")])
    state = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    assert state["sources"]["rss2"]["etag"] == feed_server.etag("rss2.xml")
    assert state["sources"]["rss2"]["last_modified"] == "Sat, 21 Nov 2026 08:00:00 GMT"

    second, sources = run(tmp_path, feed_server, [("rss2", "rss2.xml"), ("atom", "atom.xml")])
    sent = feed_server.headers_for("/rss2.xml")
    assert "if-none-match" not in sent[0]
    assert sent[1]["if-none-match"] == feed_server.etag("rss2.xml")
    assert sent[1]["if-modified-since"] == "Sat, 21 Nov 2026 08:00:00 GMT"
    assert sources["rss2"] == {**sources["rss2"], "status": "not-modified", "entries": 3}
    assert second["mentions"] == first["mentions"]  # nothing lost, nothing doubled
    assert second["latest"] == first["latest"]


def test_no_conditional_get_without_previous_entries(tmp_path, feed_server):
    run(tmp_path, feed_server, [("rss2", "rss2.xml")])
    (tmp_path / "snapshot.json").unlink()  # the state survives, the entries do not
    _, sources = run(tmp_path, feed_server, [("rss2", "rss2.xml")])
    assert "if-none-match" not in feed_server.headers_for("/rss2.xml")[1]
    assert sources["rss2"]["status"] == "ok"


def test_slow_source_times_out_and_the_others_still_arrive(tmp_path, feed_server):
    limits = Limits(timeout=0.3, max_bytes=FAST.max_bytes)
    snap, sources = run(
        tmp_path, feed_server, [("slow", "slow/rss2.xml"), ("atom", "atom.xml")], limits
    )
    assert sources["slow"]["status"] == "error"
    assert sources["slow"]["error"] == "timed out after 0.3 s"
    assert sources["atom"]["status"] == "ok"
    assert snap["latest"]["slow"] == []


def test_redirects_are_followed_and_loops_stop(tmp_path, feed_server):
    _, sources = run(
        tmp_path,
        feed_server,
        [
            ("301", "moved/atom.xml"),
            ("302", "found/rss1.rdf"),
            ("loop", "loop"),
            ("404", "missing"),
        ],
    )
    assert (sources["301"]["status"], sources["301"]["entries"]) == ("ok", 2)
    assert (sources["302"]["status"], sources["302"]["entries"]) == ("ok", 2)
    assert sources["loop"]["error"] == "too many redirects (more than 5)"
    assert sources["404"]["error"] == "HTTP 404 Not Found"


def test_huge_feeds_are_cut_off_not_read(tmp_path, feed_server):
    _, sources = run(tmp_path, feed_server, [("endless", "huge"), ("declared", "huge-declared")])
    for name in ("endless", "declared"):
        assert sources[name]["status"] == "error"
        assert sources[name]["error"] == f"too large: more than {FAST.max_bytes} bytes, not read"


def test_cap_applies_to_an_ordinary_feed_too(tmp_path, feed_server):
    size = (FIXTURES / "rss2.xml").stat().st_size
    _, sources = run(
        tmp_path, feed_server, [("rss2", "rss2.xml")], Limits(timeout=1.0, max_bytes=size - 1)
    )
    assert sources["rss2"]["error"].startswith("too large")
    _, sources = run(
        tmp_path, feed_server, [("rss2", "rss2.xml")], Limits(timeout=1.0, max_bytes=size)
    )
    assert sources["rss2"]["status"] == "ok"


def test_duplicates_across_sources_are_kept_once(tmp_path, feed_server):
    snap, _ = run(tmp_path, feed_server, [("trade", "rss2.xml"), ("agg", "dupes.xml")])
    ids = [m["id"] for m in snap["mentions"]]
    # agg-1 (same link), agg-2 (same title, same day) and the copy of trade-2 (same id) go;
    # agg-4 has the title of trade-3 but a year earlier: another story, and a mention.
    assert sorted(ids) == ["agg-4", "trade-1", "trade-3"]
    # each source still shows its own latest entries
    assert len(snap["latest"]["agg"]) == 4


def test_hostile_source_is_sanitised_in_the_snapshot(tmp_path, feed_server):
    snap, sources = run(tmp_path, feed_server, [("hostile", "script.xml")])
    assert sources["hostile"]["status"] == "ok"
    text = json.dumps(snap)
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<img", "vbscript:"):
        assert bad not in text, bad
    assert {m["id"] for m in snap["mentions"]} == {"hostile-1", "hostile-2"}


def test_deadline_covers_the_whole_download_not_each_read(tmp_path, feed_server):
    """A server that keeps trickling bytes never trips a per-read timeout; the per-source
    deadline still ends it. The clock is injected: the download 'takes' 100 s."""
    from conversations.listening.fetch import fetch_one, make_client
    from conversations.listening.sources import Source

    ticks = iter([0.0, *([100.0] * 1000)])
    source = Source("trickle", f"{feed_server.url}/huge", "news")
    with make_client(FAST) as client:
        result = fetch_one(client, source, tmp_path, None, FAST, clock=lambda: next(ticks))
    assert (result.status, result.error) == ("error", "timed out after 1 s")
