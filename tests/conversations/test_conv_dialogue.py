"""Inbox and dialogue metrics on a fixture of threads whose answers were worked out by hand:

operations, 2026-11: Ana asked (09:00), we answered (12:00, 3 h), Ana spoke last → open;
Ben asked (08:00), Maria (in the directory) answered at 09:00 (1 h) → closed; a thread we
started is not a conversation. finance, 2026-12: Cy asked, nobody answered → open.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conversations import dialogue
from conversations.model import Author, Response

FIXTURE = Path(__file__).parent / "fixtures" / "dialogue" / "responses.json"
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def response(r: dict) -> Response:
    author = Author(r["author"], r["author"], "")
    kind = r.get("kind", "reply")
    return Response("mastodon", r["copy"], r["id"], kind, author, "<p>x</p>", "",
                    r["published"], "", r["parent"])  # fmt: skip


def load():
    data = json.loads(FIXTURE.read_text())
    responses = [response(r) for r in data["responses"]]
    entry_of = {tuple(k.split(":")): v for k, v in data["copies"].items()}
    ours = set(data["ours"])
    return dialogue.threads(responses, entry_of, ours), ours, data["departments"].get


def test_inbox_oldest_first_and_per_department() -> None:
    threads, ours, department_of = load()
    waiting = dialogue.inbox(threads, ours, department_of)
    assert [t.last.response_id for t in waiting] == ["3", "7"]
    only = dialogue.inbox(threads, ours, department_of, department="finance")
    assert [t.root.response_id for t in only] == ["7"]


def test_metrics_per_department_and_month() -> None:
    threads, ours, department_of = load()
    got = dialogue.metrics(threads, ours, department_of, NOW)
    assert got == {
        ("finance", "2026-12"): {"responses": 1, "conversations": 1, "answered_share": 0.0,
                                 "median_hours_to_answer": None, "open_over_2_days": 0},
        ("operations", "2026-11"): {"responses": 3, "conversations": 2, "answered_share": 1.0,
                                    "median_hours_to_answer": 2.0, "open_over_2_days": 1},
    }  # fmt: skip
