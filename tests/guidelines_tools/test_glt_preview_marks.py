"""The preview marks each finding on its words in the rendered post (a focusable highlight
with the message beside it), and the list beside the post links to the marks."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
from pathlib import Path

import pytest

from chorus.preview import render_preview
from plugins.guidelines.marks import mark_findings, source_words
from plugins.guidelines.model import Finding
from tests.conftest import ROOT, copy_content
from tests.servers import http_server
from tests.test_browser import browser  # noqa: F401  (the Chromium fixture)
from tests.test_browser_a11y import AXE, SERIOUS

FIXTURE = ROOT / "tests" / "fixtures" / "preview" / "marked-findings.md"


def finding(line, column, end_column, level="error", message="m") -> Finding:
    return Finding("p.md", line, column, "r", level, message, "s", "", line, end_column)


def test_words_are_marked_in_text_never_in_attributes():
    source = "---\ntitle: x\n---\nSee Kestrel and <b>Kestrel</b>.\n"
    content = '<p><a title="Kestrel">See</a> Kestrel and <b>Kestrel</b>.</p>'
    first, second = finding(4, 5, 12), finding(4, 20, 27, "warning", "<script>")
    marked = mark_findings(content, [first, second], source, body_line=4)
    assert marked.ids == {0: "finding-1", 1: "finding-2"}
    assert 'title="Kestrel"' in marked.html
    assert marked.html.count("<mark ") == 2
    assert "warning: &lt;script&gt;" in marked.html and "<script>" not in marked.html


def test_front_matter_and_spanless_findings_are_not_marked():
    source = "---\ntitle: Kestrel\n---\nKestrel.\n"
    spanless = Finding("p.md", 4, 1, "r", "warning", "m", "s")
    marked = mark_findings("<p>Kestrel.</p>", [finding(2, 8, 15), spanless], source, 4)
    assert marked.ids == {} and "<mark" not in marked.html
    assert source_words(source, spanless) == ""


def render(tmp_path) -> Path:
    content = copy_content(tmp_path)
    post = content / "posts" / "hr" / FIXTURE.name
    shutil.copy(FIXTURE, post)
    preview = render_preview(post, overrides={"PATH": str(content)}, out=tmp_path / "p" / "x.html")
    assert not preview.problems and preview.findings
    return preview.path


def test_the_preview_links_the_list_to_the_marks(tmp_path):
    html = render(tmp_path).read_text("utf-8")
    for words in ("guaranteed to", "the best in the world", "lasts forever", "Kestrel"):
        assert f'">{words}</mark>' in html, words
    assert 'href="#finding-' in html and "show it in the post" in html
    assert "in the front matter" in html  # the title's superlative, not marked in the body


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_marks_are_reachable_and_nothing_overflows(tmp_path, browser, width, height):  # noqa: F811
    target = render(tmp_path)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(target.parent))
    handler.log_message = lambda *a: None
    with http_server(handler) as base:
        page = browser.new_page(viewport={"width": width, "height": height}, bypass_csp=True)
        page.goto(f"{base}/{target.name}")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            f"[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect()"
            f".right > {width} + 1).slice(0, 5).map(e => e.tagName + '.' + e.className)"
        )
        assert overflow <= width, f"{overflow}px wide at {width}px: {wide}"
        page.click("a.finding-where[href='#finding-4']")
        assert page.evaluate("location.hash") == "#finding-4"
        page.focus("#finding-4")
        assert page.evaluate("document.activeElement.id") == "finding-4"
        note = page.inner_text("#finding-4-note")
        assert note.startswith("warning: ") and "superlative" in note
        if AXE.exists():  # the draft preview meets the same bar as every page
            page.add_script_tag(path=str(AXE))
            result = json.loads(page.evaluate("async () => JSON.stringify(await axe.run())"))
            serious = [v["id"] for v in result["violations"] if v["impact"] in SERIOUS]
            assert serious == [], serious
        shots = ROOT / "tests" / "artifacts" / "browser"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"preview-marks-{width}.png"), full_page=True)
        page.close()
