"""Charts are well-formed SVG, labelled for screen readers, and say every number in words."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from plugins.metrics.charts import charts_for
from plugins.metrics.collect import PostRecord, count_posts
from plugins.metrics.svg import WIDTH, bar_chart, line_chart, nice_ticks

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
    assert len(dots(root)) == 2


def dots(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "chart-dot" in g.get("class", "")]


def test_axis_ticks_are_round_numbers_up_to_the_largest_value():
    assert nice_ticks(6) == [0, 2, 4, 6]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert nice_ticks(1) == [0, 1]  # counts: no 0.2 steps
    assert nice_ticks(48) == [0, 10, 20, 30, 40, 50]
    assert nice_ticks(0.7, whole=False) == [0, 0.2, 0.4, 0.6, 0.8]
    assert nice_ticks(0) == [0, 1]
    root = parse(line_chart("c6", "Authors", ["Sep", "Oct", "Nov"], {"authors": [6, 5, 6]}))
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-tick"]
    assert ticks == ["0", "2", "4", "6"]


def test_identical_series_are_drawn_once_with_both_names():
    root = parse(line_chart("c7", "t", ["a", "b"], {"posts": [2, 3], "active authors": [2, 3]}))
    lines = [p for p in root.iter(f"{SVG}polyline")]
    assert len(lines) == 1
    legend = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-legend"]
    assert legend == ["posts = active authors"]
    _, desc = assert_labelled(root)
    assert "a: 2 posts, 2 active authors." in desc  # the words still name both


def test_a_partial_last_period_is_dashed_and_hollow_not_a_solid_drop():
    root = parse(
        line_chart(
            "c8", "t", ["Oct", "Nov", "Dec\nto date"], {"n": [5, 6, 1]}, last_is_partial=True
        )
    )
    solid, dashed = list(root.iter(f"{SVG}polyline"))
    assert solid.get("stroke-dasharray") is None and len(solid.get("points").split()) == 2
    assert dashed.get("stroke-dasharray") and len(dashed.get("points").split()) == 2
    last = dots(root)[-1][0]
    assert last.get("fill") == "none"
    label = [t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-label"][-1]
    assert [s.text for s in label] == ["Dec", "to date"]


def test_text_is_drawn_at_phone_size():
    """The viewBox is a phone's column wide, so a unit is about a pixel on a 390 px phone:
    no text below 12 units."""
    charts = [
        bar_chart("c9", "t", ["Warehouse & Operations"], {"posted": [3], "failed": [1]}),
        line_chart("c10", "t", ["Sep", "Oct"], {"a": [1, 2], "b": [0, 2]}, last_is_partial=True),
    ]
    for markup in charts:
        root = parse(markup)
        assert root.get("viewBox").split()[2] == str(WIDTH) and WIDTH <= 360
        sizes = [float(t.get("font-size")) for t in root.iter(f"{SVG}text")]
        assert sizes and min(sizes) >= 12


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
        "authors_by_month",
        "findings",
        "crossposts",
        "mentions",
    }
    ids = [parse(svg).get("id") for svg in charts.values()]
    assert len(set(ids)) == len(ids)
    _, desc = assert_labelled(parse(charts["posts_by_department"]))
    assert "People & Culture: 1 posts." in desc and "IT: 1 posts." in desc
