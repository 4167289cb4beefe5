"""The built site: the Metrics page, metrics.json and metrics.csv carry the demo's numbers."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import html5lib
import pytest

from tests.conftest import build_site
from tests.metrics.conftest import FIXTURES, ROOT, expected

pytestmark = pytest.mark.integration


def page(output: Path):
    text = (output / "metrics" / "index.html").read_text(encoding="utf-8")
    return text, html5lib.parse(text, namespaceHTMLElements=False)


def table(doc, table_id: str) -> dict[str, dict[str, int]]:
    """{row key: {column: number}} from one of the page's tables."""
    element = doc.find(f".//table[@id='{table_id}']")
    assert element is not None, table_id
    rows = {}
    for tr in element.findall("./tbody/tr"):
        key = tr.get("data-department") or tr.get("data-platform") or tr.get("data-rule")
        rows[key] = {
            td.get("data-month") or td.get("data-col"): int(td.text) for td in tr.findall("td")
        }
    return rows


def test_metrics_json_has_the_demo_numbers(demo_site):
    data = json.loads((demo_site / "metrics.json").read_text(encoding="utf-8"))
    today = dt.date.fromisoformat(data["today"])
    now = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    assert abs((today - now).days) <= 1  # BUILD_DATE is unset: the build's "today" is now
    want = expected(ROOT / "content", today)
    for key in ("departments", "posts", "active_authors", "first_time_authors"):
        assert data[key] == want[key], key
    posted = data["departments_posted"]
    assert posted["departments"] == want["departments_posted"]
    assert posted["share"] == round(len(want["departments_posted"]) / len(want["departments"]), 4)


def test_the_page_tables_carry_the_same_numbers(demo_site):
    data = json.loads((demo_site / "metrics.json").read_text(encoding="utf-8"))
    want = expected(ROOT / "content", dt.date.fromisoformat(data["today"]))
    assert data["authors_total"] == want["authors_total"]
    _, doc = page(demo_site)
    for table_id, key in (
        ("table-posts", "posts"),
        ("table-active-authors", "active_authors"),
        ("table-first-time-authors", "first_time_authors"),
    ):
        rows = table(doc, table_id)
        assert list(rows) == list(data["departments"])  # every department, posts or not
        for dept, cells in rows.items():
            for month in data["months"]:
                assert cells[month] == data[key].get(dept, {}).get(month, 0), (table_id, dept)
            if key == "active_authors":  # people, not the sum of the months
                assert cells["total"] == want["authors_total"][dept], dept
            else:
                assert cells["total"] == sum(data[key].get(dept, {}).values())
    share = doc.find(".//p[@id='departments-posted-share']")
    assert int(share.get("data-count")) == len(data["departments_posted"]["departments"])
    assert int(share.get("data-total")) == len(data["departments"])


def test_the_page_charts_are_svg_with_title_and_desc(demo_site):
    text, _ = page(demo_site)
    charts = re.findall(r"<svg\b.*?</svg>", text, flags=re.S)
    assert len(charts) >= 2
    data = json.loads((demo_site / "metrics.json").read_text(encoding="utf-8"))
    for markup in charts:
        root = ET.fromstring(markup)
        assert root.get("role") == "img"
        ns = "{http://www.w3.org/2000/svg}"
        assert root.find(f"{ns}title").text and root.find(f"{ns}desc").text
    by_dept = ET.fromstring(next(c for c in charts if 'id="chart-posts-by-department"' in c))
    desc = by_dept.find("{http://www.w3.org/2000/svg}desc").text
    for slug, name in data["departments"].items():
        assert f"{name}: {sum(data['posts'].get(slug, {}).values())} posts." in desc


def test_listening_mentions_or_no_data_yet(demo_site):
    text, doc = page(demo_site)
    data = json.loads((demo_site / "metrics.json").read_text(encoding="utf-8"))
    snapshot = ROOT / "content" / "listening" / "snapshot.json"
    if not snapshot.exists():
        assert data["mentions"] is None
        assert doc.find(".//p[@data-metric='mentions']") is not None and "No data yet" in text
        return
    mentions = json.loads(snapshot.read_text(encoding="utf-8"))["mentions"]
    want = {slug: 0 for slug in data["departments"]}
    for mention in {m["id"]: m for m in mentions}.values():
        for slug in set(mention["departments"]):
            want[slug] = want.get(slug, 0) + 1
    assert data["mentions"] == want
    assert {k: v["mentions"] for k, v in table(doc, "table-mentions").items()} == want


def test_csv_is_in_the_output_and_agrees(demo_site):
    data = json.loads((demo_site / "metrics.json").read_text(encoding="utf-8"))
    with (demo_site / "metrics.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    posts = {
        (r["department"], r["period"]): int(r["value"]) for r in rows if r["metric"] == "posts"
    }
    assert posts == {(d, m): n for d, ms in data["posts"].items() for m, n in ms.items()}


def test_nav_links_to_metrics(demo_site):
    doc = html5lib.parse(
        (demo_site / "index.html").read_text(encoding="utf-8"), namespaceHTMLElements=False
    )
    links = {a.text: a.get("href") for a in doc.iterfind(".//nav//a")}
    assert links["Metrics"].endswith("/metrics/")


def test_links_file_and_snapshot_reach_the_page(tmp_path):
    output = tmp_path / "out"
    result = build_site(
        output,
        SYNDICATION_LINKS_FILE=str(FIXTURES / "links.json"),
        LISTENING_SNAPSHOT=str(FIXTURES / "snapshot.json"),
        BUILD_DATE="2026-12-20",
    )
    assert result.ok, result.problems
    data = json.loads((output / "metrics.json").read_text(encoding="utf-8"))
    assert data["crossposts"]["mastodon"] == {"posted": 2, "failed": 1}
    assert data["crossposts"]["linkedin"] == {"posted": 0, "failed": 1}
    assert data["crossposts"]["threads"] == {"posted": 0, "failed": 0}
    assert data["mentions"]["support"] == 1 and data["mentions"]["hr"] == 0
    today = dt.date.fromisoformat(data["today"])
    assert today >= dt.date(2026, 12, 20)
    assert (
        data["departments_posted"]["departments"]
        == expected(ROOT / "content", today)["departments_posted"]
    )
    _, doc = page(output)
    assert table(doc, "table-crossposts")["mastodon"] == {"posted": 2, "failed": 1}
    assert table(doc, "table-mentions")["sales"] == {"mentions": 1}


def test_findings_and_switches_match_the_lint_cli_and_the_files(demo_site):
    data = json.loads((demo_site / "metrics.json").read_text(encoding="utf-8"))
    if data["findings"] is None:
        pytest.skip(f"lint not in this build: {data['notes'].get('lint')}")
    cli = subprocess.run(
        [sys.executable, "-m", "plugins.guidelines", "lint", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(cli.stdout)
    findings: dict[str, int] = {}
    for finding in report["findings"]:
        findings[finding["rule_id"]] = findings.get(finding["rule_id"], 0) + 1
    assert data["findings"] == findings
    written = re.findall(
        r"<!--\s*chorus:\s*off\s+(\S+)\s+--",
        "".join(p.read_text(encoding="utf-8") for p in (ROOT / "content/posts").glob("*/*.md")),
    )
    assert sum(data["switches"].values()) == len(written) == len(report["switches"])
    assert set(data["switches"]) == set(written)
    _, doc = page(demo_site)
    rows = table(doc, "table-findings")
    for rule, n in data["switches"].items():
        assert rows[rule]["switches"] == n


def test_dialogue_per_department_from_the_conversations_snapshot(demo_site):
    """The demo snapshot, worked out by hand: HR has the four-day-week thread (Lena asked
    08:12, our account answered 10:40 — 2.47 h — and Lena spoke last, so it waits) and the
    apprentices post's unanswered question; IT has one unanswered question. All are from
    November 2026, long past two days."""
    data = json.loads((demo_site / "metrics.json").read_text(encoding="utf-8"))
    got = {(d["department"], d["month"]): d for d in data["dialogue"]}
    assert got[("hr", "2026-11")] == {
        "department": "hr", "month": "2026-11", "responses": 3, "conversations": 2,
        "answered_share": 0.5, "median_hours_to_answer": 2.5, "open_over_2_days": 2,
    }  # fmt: skip
    assert got[("it", "2026-11")]["answered_share"] == 0.0
    assert got[("it", "2026-11")]["median_hours_to_answer"] is None
    _, doc = page(demo_site)
    row = doc.find(".//table[@id='table-dialogue']/tbody/tr[@data-department='hr']")
    cells = {td.get("data-col"): "".join(td.itertext()) for td in row.findall("td")}
    assert cells["answered_share"] == "50%" and cells["median_hours_to_answer"] == "2.5 h"
    rows = list(csv.reader((demo_site / "metrics.csv").read_text(encoding="utf-8").splitlines()))
    assert ["dialogue_answered_share", "hr", "", "2026-11", "0.5"] in rows
    # the snapshot's thread summaries carry times and counts, never anyone's words
    snapshot = json.loads((ROOT / "content/conversations/snapshot.json").read_text("utf-8"))
    for entry in snapshot["entries"].values():
        for summary in entry["threads"]:
            assert set(summary) == {"platform", "started", "first_answer", "last", "waiting",
                                    "responses"}  # fmt: skip


def test_every_scrolling_table_is_a_focusable_named_region(demo_site):
    _, doc = page(demo_site)
    boxes = doc.findall(".//div[@class='table-scroll']")
    assert len(boxes) >= 4
    for box in boxes:
        assert box.get("tabindex") == "0" and box.get("role") == "region"
        assert box.get("aria-label"), ET.tostring(box)[:120]
    assert all(box.find(".//table") is not None for box in boxes)


def test_the_month_to_date_is_marked_on_the_page(demo_site):
    data = json.loads((demo_site / "metrics.json").read_text(encoding="utf-8"))
    assert data["partial_month"] == data["today"][:7] == data["months"][-1]
    _, doc = page(demo_site)
    head = doc.find(".//table[@id='table-active-authors']/thead/tr/th[@class='partial-month']")
    assert head is not None and "to date" in "".join(head.itertext())
    assert "to date" in ET.tostring(doc.find(".//*[@id='chart-authors-by-month']"), "unicode")


def test_with_the_gate_off_the_findings_are_still_counted(tmp_path, demo_site):
    """GUIDELINES_GATE=off: no post is stopped or warned about, and the Metrics page counts
    the same findings from the build's own lint (there is no second one)."""
    output = tmp_path / "out"
    result = build_site(output, GUIDELINES_GATE="off")
    assert result.ok, result.problems
    assert not [w for w in result.warnings if "guideline" in w or ": warning: " in w]
    off = json.loads((output / "metrics.json").read_text(encoding="utf-8"))
    on = json.loads((demo_site / "metrics.json").read_text(encoding="utf-8"))
    assert off["findings"] is not None and off["findings"] == on["findings"]
    assert off["switches"] and off["switches"] == on["switches"]  # the demo switches one off
