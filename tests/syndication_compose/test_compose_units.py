"""The small pieces on their own: hashtags, cut points, templates, the dry-run block and
the webhook body."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from syndication.compose import check_templates, compose
from syndication.compose.hashtags import camel, hashtags
from syndication.compose.internal import body
from syndication.compose.report import format_composed
from syndication.compose.templates import DEFAULTS, TemplateProblem, render
from syndication.compose.text import cut, cut_points, graphemes
from tests.syndication_compose.conftest import CASES, entry_from, load

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("tag", "want"),
    [
        ("customer service", "CustomerService"),
        ("zero-waste", "ZeroWaste"),
        ("e-mail_marketing", "EMailMarketing"),
        ("AI", "AI"),
        ("iOS apps", "IOSApps"),
        ("2026", ""),
        ("---", ""),
        ("🎉", ""),
        ("q3 2026 results", "Q32026Results"),
        ("日本語", "日本語"),
        ("nai\u0308ve art", "Nai\u0308veArt"),  # the combining diaeresis stays on its letter
        ("فارسی زبان", "فارسیزبان"),
        ("ελληνικά νέα", "ΕλληνικάΝέα"),
    ],
)
def test_camel(tag, want):
    assert camel(tag) == want


def test_hashtags_dedupe_and_limit():
    tags = ["Zero waste", "zero-waste", "ZERO WASTE", "logistics", "2026"]
    assert hashtags(tags) == ("ZeroWaste", "Logistics")
    assert hashtags(tags, limit=1) == ("ZeroWaste",)


def test_cut_points_respect_clusters_and_scripts():
    family = "👨‍👩‍👧‍👦"
    clusters = graphemes(f"ab {family}{family} 日本語")
    assert clusters[3] == family  # one cluster, not seven code points
    points = cut_points(clusters)
    assert 2 in points  # before the first space
    assert 4 not in points  # between two emoji without a space: same word
    assert {7, 8} <= set(points)  # between Han characters


def test_cut_strips_what_the_ellipsis_would_hang_on():
    assert cut(graphemes("one, two"), 4) == "one…"
    assert cut(graphemes("see https://a.example/x more"), 23) == "see https://a.example/x …"
    assert cut(graphemes("short"), 99) == "short"
    assert cut(graphemes(" x"), 1) == ""


def test_every_default_template_renders():
    context = {
        "title": "T",
        "summary": "S",
        "url": "U",
        "tags": ["a"],
        "hashtags": "#A",
        "author_name": "Ana",
        "department": "it",
    }
    for platform, source in DEFAULTS.items():
        assert "U" in render(platform, source, context)


def test_the_projects_settings_are_valid():
    from core.settings import load_settings

    settings = load_settings(ROOT / "pelicanconf.py")
    assert "SYNDICATION_TEMPLATES" in settings
    assert check_templates(settings["SYNDICATION_TEMPLATES"]) == []


def test_check_templates_reports_each_problem_on_one_line():
    problems = check_templates(
        {"mastodon": "{% if %}", "myspace": "{{ title }}", "x": 42, "bluesky": "{{ title }}"}
    )
    assert len(problems) == 3
    assert all("\n" not in p and p.startswith("SYNDICATION_TEMPLATES") for p in problems)
    assert any("'myspace']: unknown platform" in p for p in problems)
    assert any("'x']: must be a string" in p for p in problems)
    assert check_templates(None) == [] and check_templates("nope")[0].endswith("not str")


def test_a_template_cannot_reach_python():
    with pytest.raises(TemplateProblem) as caught:
        render("x", "{{ ''.__class__.__mro__[1].__subclasses__() }}", {})
    assert "SYNDICATION_TEMPLATES['x']" in str(caught.value)


def _composed(name: str):
    case = load(CASES / f"{name}.yaml")
    entry = entry_from(case["entry"])
    return compose(entry, case["platform"], limits=case.get("limits")), entry


def test_report_block():
    composed, entry = _composed("mastodon_limit_plus_one")
    block = format_composed(composed, entry).split("\n")
    assert block[0] == f"mastodon {composed.length}/500 (cut): Exactly at the limit"
    assert all(line == "" or line.startswith("    ") for line in block[1:])
    composed, entry = _composed("bluesky_facets")
    block = format_composed(composed, entry)
    assert block.startswith("bluesky 145/300: ")
    assert (
        "[card] Café week in Utrecht ☕ → https://alderfinch.com/posts/warehouse-voices/" in block
    )
    assert block.endswith("[facets] 1 link, 3 tag")
    composed, entry = _composed("x_limit_exact")
    assert format_composed(composed, entry).startswith("x 280/280 (at the limit): ")


def test_webhook_body_escapes_mrkdwn_once():
    composed, entry = _composed("internal_escaping")
    payload = json.loads(json.dumps(body(composed, entry)))  # what goes on the wire
    assert payload["text"] == composed.text.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;"
    )
    assert "R&amp;D &lt;update&gt;" in payload["text"] and "&amp;amp;" not in payload["text"]
    section, context = payload["blocks"]
    assert section["text"] == {"type": "mrkdwn", "text": payload["text"]}
    link = context["elements"][0]["text"]
    assert link == (
        "Maria López · <https://alderfinch.com/posts/warehouse-voices/|R&amp;D &lt;update&gt;>"
    )
    assert len(payload["text"]) == composed.length  # counted escaped, as Slack sees it
