"""The Guidelines page: template data from the YAML (no Pelican), and the page in the demo
site — every rule of content/guidelines.yaml with its anchor, level and plain-language text,
the version and the change log, and a link to it in the menu."""

from __future__ import annotations

import re
from html import escape, unescape
from html.parser import HTMLParser

import pytest

from plugins.guidelines.config import load_guidelines
from plugins.guidelines.page import describe_rule, guidelines_view
from tests.conftest import FIXTURES, ROOT, TEST_SITEURL, resolve

SITE_GUIDELINES = FIXTURES / "guidelines_tools" / "site" / "guidelines.yaml"


def test_view_keeps_sections_rules_and_changelog_in_order():
    view = guidelines_view(load_guidelines(SITE_GUIDELINES))
    assert view.version == "1.2" and view.updated == "2026-11-01"
    # the file's sections in order, then the lint's own checks (their findings link there)
    assert [s.id for s in view.sections] == ["claims", "style", "approval", "lint"]
    assert [r.id for s in view.sections[:-1] for r in s.rules] == [
        "claims.absolute",
        "claims.best",
        "style.utilize",
        "approval.finance",
    ]
    assert view.rule_count == 4
    levels = {r.id: r.level for s in view.sections[:-1] for r in s.rules}
    assert levels["style.utilize"] == "suggestion" and levels["claims.best"] == "warning"
    approval = view.sections[2].rules[0]
    assert "camille.bernard" in approval.description  # plain language, from the engine
    assert [(c.version, c.date) for c in view.changelog] == [
        ("1.2", "2026-11-01"),
        ("1.1", "2026-09-15"),
    ]
    assert view.changelog[1].changes == ["Prefer 'use' to 'utilize'."]


def test_prose_is_markdown_without_raw_html():
    prose = guidelines_view(load_guidelines(SITE_GUIDELINES)).sections[0].prose_html
    assert "<em>does</em>" in prose
    assert "<script>" not in prose and "&lt;script&gt;" in prose


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: dict[str, str] = {}
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] = attrs.get("class") or ""
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


@pytest.mark.integration
def test_the_demo_site_has_the_guidelines_page(demo_site):
    guidelines = load_guidelines(ROOT / "content" / "guidelines.yaml")
    html = (demo_site / "guidelines" / "index.html").read_text(encoding="utf-8")
    page = Ids()
    page.feed(html)
    text = unescape(html)
    for rule in guidelines.rules:
        assert page.ids.get(rule.id) == f"rule rule-{rule.level}", rule.id
        assert describe_rule(rule) in text, rule.id
    for section in guidelines.sections:
        assert f"section-{section.id}" in page.ids
        assert f"#section-{section.id}" in page.hrefs
    assert f"Version <strong>{escape(guidelines.version)}</strong>" in html
    for change in guidelines.changelog:
        assert f"version-{change.version}" in page.ids
    index = Ids()
    index.feed((demo_site / "index.html").read_text(encoding="utf-8"))
    menu = {resolve("index.html", h) for h in index.hrefs}
    assert f"{TEST_SITEURL}/guidelines/" in menu  # in the menu of every page


@pytest.mark.integration
def test_the_page_speaks_of_must_should_and_could_only(demo_site):
    """One vocabulary for levels on the page: the key, every badge; no "Error:" prefix in
    front of a rule that already has its badge."""
    html = (demo_site / "guidelines" / "index.html").read_text(encoding="utf-8")
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    badges = re.findall(r'<span class="level level-(\w+)"[^>]*>([^<]+)</span>', main)
    assert badges and {name for _, name in badges} == {"must", "should", "could"}
    assert all(
        {"error": "must", "warning": "should", "suggestion": "could"}[level] == name
        for level, name in badges
    )
    descriptions = re.findall(r'<p class="rule-description">([^<]+)</p>', main)
    assert descriptions
    for text in map(unescape, descriptions):
        assert not re.match(r"(Error|Warning|Suggestion|Must|Should|Could)\b:", text), text
        assert text[0].isupper() or not text[0].isalpha(), text
        assert text.rstrip().endswith((".", "…")), text
    # what Chorus writes (the introduction, the key, the summaries) never switches to the
    # lint's words; the owners' prose is theirs to phrase
    header = main.split('<nav class="guidelines-toc"', 1)[0]
    written = re.sub(r"<[^>]+>", " ", header) + " ".join(descriptions)
    lint_words = re.findall(r"\b(?:errors?|warnings?|suggestions?)\b", written, re.I)
    assert lint_words == [], lint_words
