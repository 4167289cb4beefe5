"""The snapshot file: its contract, atomic writes, and file:line errors when broken."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conversations.listening.fetch import FetchResult
from conversations.listening.runner import build_snapshot
from conversations.listening.sources import load_config
from plugins.listening.snapshot import previous_entries, read_snapshot, write_snapshot
from plugins.problems import ContentError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "listening"
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def config_with(tmp_path: Path, *files: str):
    lines = ["sources:"]
    for name in files:
        lines += [f"  - {{name: {name}, url: '{FIXTURES / name}', kind: news}}"]
    terms = (FIXTURES / "listening.yaml").read_text(encoding="utf-8").split("terms:", 1)[1]
    path = tmp_path / "listening.yaml"
    path.write_text("\n".join(lines) + "\nterms:" + terms, encoding="utf-8")
    config = load_config(path)
    assert config.errors == []
    return config


def test_contract_names(tmp_path):
    config = config_with(tmp_path, "rss2.xml", "atom.xml")
    fetched = [
        FetchResult(s, "ok", (FIXTURES / s.name).read_bytes(), s.url) for s in config.sources
    ]
    snap = build_snapshot(config, fetched, None, NOW)
    assert set(snap) == {"version", "generated", "sources", "mentions", "latest"}
    assert snap["version"] == 1 and snap["generated"] == "2026-11-24T12:00:00+00:00"
    assert set(snap["sources"][0]) == {"name", "kind", "url", "status", "error", "entries"}
    mention_keys = {
        "id",
        "title",
        "url",
        "source",
        "published",
        "summary_html",
        "terms",
        "departments",
    }
    assert all(set(m) == mention_keys for m in snap["mentions"])
    assert all(
        set(e) == mention_keys - {"terms", "departments"}
        for v in snap["latest"].values()
        for e in v
    )
    assert [m["id"] for m in snap["mentions"]] == [
        "tag:rival.test,2026:news/spade",  # newest first
        "trade-1",
        "trade-3",
    ]
    assert snap["mentions"][0]["departments"] == ["marketing", "support", "product", "sales"]


def test_parse_error_is_a_source_error(tmp_path):
    config = config_with(tmp_path, "malformed.xml", "rss1.rdf")
    fetched = [
        FetchResult(s, "ok", (FIXTURES / s.name).read_bytes(), s.url) for s in config.sources
    ]
    snap = build_snapshot(config, fetched, None, NOW)
    broken, good = snap["sources"]
    assert broken["status"] == "error" and broken["error"].startswith("not a feed")
    assert broken["entries"] == 0 and snap["latest"]["malformed.xml"] == []
    assert good["status"] == "ok" and good["entries"] == 2


def test_previous_entries_come_from_latest_and_mentions_once():
    previous = {
        "latest": {"S": [{"id": "a", "title": "A", "source": "S"}]},
        "mentions": [
            {"id": "a", "title": "A", "source": "S", "terms": ["x"]},
            {"id": "b", "title": "B", "source": "S", "published": "2026-01-01T00:00:00+00:00"},
            {"id": "c", "title": "C", "source": "Other"},
        ],
    }
    assert [e.id for e in previous_entries(previous, "S")] == ["b", "a"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{\n  "version": 1,\n  "sources": [,]\n}', 3, "not valid JSON"),
        ('{"version": 2, "sources": [], "mentions": [], "latest": {}}', 1, "version 2"),
        ('{"version": 1, "sources": [], "mentions": {}, "latest": {}}', 1, "'mentions'"),
        ('{"version": 1, "sources": [], "mentions": [{"title": "x"}], "latest": {}}', 1, "'id'"),
    ],
)
def test_broken_snapshot_is_a_located_error(tmp_path, text, line, message):
    path = tmp_path / "snapshot.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_snapshot(path)
    assert caught.value.format().startswith(f"{path}:{line}: error: ")
    assert message in str(caught.value)


def test_write_is_whole_and_readable(tmp_path):
    path = tmp_path / "deep" / "snapshot.json"
    data = {"version": 1, "generated": "x", "sources": [], "mentions": [], "latest": {"é": []}}
    write_snapshot(path, data)
    assert json.loads(path.read_text(encoding="utf-8")) == data
    assert read_snapshot(path) == data
    assert [p.name for p in path.parent.iterdir()] == ["snapshot.json"]  # no temp file left
    assert read_snapshot(tmp_path / "none.json") is None
