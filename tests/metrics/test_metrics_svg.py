"""Charts are well-formed SVG, labelled for screen readers, and say every number in words."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from plugins.metrics.charts import charts_for
from plugins.metrics.collect import PostRecord, count_posts
from plugins.metrics.svg import bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == f"{SVG}svg"
    return root


def assert_labelled(root: ET.Element) -> tuple[str, str]:
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert title.text and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "style" not in {k for el in root.iter() for k in el.attrib}  # CSP: no inline styles
    return title.text, desc.text


def test_bar_chart_is_labelled_and_says_its_numbers():
    root = parse(
        bar_chart("c1", "Cross-posts", ["mastodon", "x"], {"posted": [3, 0], "failed": [1, 2]})
    )
    title, desc = assert_labelled(root)
    assert title == "Cross-posts"
    assert "mastodon: 3 posted, 1 failed." in desc and "x: 0 posted, 2 failed." in desc
    bars = root.findall(f"{SVG}rect[@class]")
    assert len([b for b in bars if "chart-bar" in b.get("class")]) == 4
    widths = [int(b.get("width")) for b in bars if "chart-bar" in b.get("class")]
    assert max(widths) == widths[0] and widths[2] == 0  # the largest value is the longest bar


def test_line_chart_is_labelled_and_has_one_point_per_month():
    root = parse(line_chart("c2", "Posts per month", ["2026-09", "2026-10"], {"posts": [4, 7]}))
    _, desc = assert_labelled(root)
    assert "2026-09: 4 posts." in desc and "2026-10: 7 posts." in desc
    assert len(root.findall(f"{SVG}circle")) == 2


def test_hostile_labels_are_text_not_markup():
    label = '</title><script>alert(1)</script>&"'
    root = parse(bar_chart("c3", "<b>t</b>", [label], {"n": [1]}))
    assert root.find(f".//{SVG}script") is None and root.find(".//script") is None
    title, desc = assert_labelled(root)
    assert title == "<b>t</b>" and label in desc


def test_empty_data_still_parses():
    root = parse(bar_chart("c4", "Nothing", [], {"n": []}))
    _, desc = assert_labelled(root)
    assert desc == "No data yet."
    assert_labelled(parse(line_chart("c5", "Nothing", [], {"n": []})))


def test_every_page_chart_parses_and_has_distinct_ids():
    m = count_posts(
        [
            PostRecord("hr", "zoe", dt.date(2026, 9, 1)),
            PostRecord("it", "ann", dt.date(2026, 10, 2)),
        ],
        {"hr": "People & Culture", "it": "IT"},
        dt.date(2026, 11, 1),
    )
    m.findings, m.switches = {"pii.email": 2}, {}
    m.crossposts = {"mastodon": {"posted": 1, "failed": 0}}
    m.mentions = {"hr": 0, "it": 3}
    charts = charts_for(m)
    assert set(charts) == {
        "posts_by_department",
        "posts_by_month",
        "findings",
        "crossposts",
        "mentions",
    }
    ids = [parse(svg).get("id") for svg in charts.values()]
    assert len(set(ids)) == len(ids)
    _, desc = assert_labelled(parse(charts["posts_by_department"]))
    assert "People & Culture: 1 posts." in desc and "IT: 1 posts." in desc
