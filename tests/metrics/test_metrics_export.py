"""metrics.csv is tidy (one number per row) and agrees with metrics.json."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from plugins.metrics.collect import PostRecord, count_posts
from plugins.metrics.export import CSV_COLUMNS, to_csv, to_json


def sample():
    m = count_posts(
        [
            PostRecord("hr", "zoe", dt.date(2026, 9, 1)),
            PostRecord("hr", "ann", dt.date(2026, 9, 3)),
            PostRecord("it", "ann", dt.date(2026, 11, 2)),
        ],
        {"hr": 'People, Culture & "Fun"', "it": "IT", "sales": "Sales"},
        dt.date(2026, 11, 24),
    )
    m.findings, m.findings_by_level, m.switches = {"pii.email": 2}, {"error": 2}, {"pii.email": 1}
    m.crossposts = {"mastodon": {"posted": 3, "failed": 1}}
    m.mentions = {"hr": 0, "it": 2, "sales": 0}
    return m


def test_csv_is_long_format_and_matches_json():
    m = sample()
    text = to_csv(m)
    assert text.startswith(",".join(CSV_COLUMNS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    data = json.loads(to_json(m))
    assert {r["metric"] for r in rows} >= {"posts", "active_authors", "first_time_authors"}
    for row in (
        r for r in rows if r["metric"] in ("posts", "active_authors", "first_time_authors")
    ):
        assert int(row["value"]) == data[row["metric"]][row["department"]][row["period"]]
    posts = {
        (r["department"], r["period"]): int(r["value"]) for r in rows if r["metric"] == "posts"
    }
    assert posts == {("hr", "2026-09"): 2, ("it", "2026-11"): 1}
    share = next(r for r in rows if r["metric"] == "departments_posted_share")
    assert float(share["value"]) == data["departments_posted"]["share"] == round(2 / 3, 4)
    assert share["period"] == "2026-08-26/2026-11-24"
    flags = {r["department"]: r["value"] for r in rows if r["metric"] == "posted_in_window"}
    assert flags == {"hr": "1", "it": "1", "sales": "0"}
    cross = {
        (r["metric"], r["key"]): int(r["value"])
        for r in rows
        if r["metric"].startswith("crossposts")
    }
    assert cross == {("crossposts_posted", "mastodon"): 3, ("crossposts_failed", "mastodon"): 1}
    assert {(r["department"], r["value"]) for r in rows if r["metric"] == "mentions"} == {
        ("hr", "0"),
        ("it", "2"),
        ("sales", "0"),
    }
    assert [r["value"] for r in rows if r["metric"] == "findings" and r["key"] == "pii.email"] == [
        "2"
    ]


def test_json_says_no_data_as_null_with_a_note():
    m = count_posts([], {"hr": "HR"}, dt.date(2026, 11, 24))
    m.notes["lint"] = "guideline lint not available"
    data = json.loads(to_json(m))
    assert data["findings"] is None and data["crossposts"] is None and data["mentions"] is None
    assert data["notes"] == {"lint": "guideline lint not available"}
    assert to_csv(m).count("\r\n") == 3  # header, posted_in_window for hr, the share
