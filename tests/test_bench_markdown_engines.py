"""bench/markdown_engines.py's compatibility check, on its own three fixture posts.

Python-Markdown (the site's renderer) against markdown-it-py with and without the
compatibility layer: the classifier must name the differences we know are there, and the
layer must remove the ones it claims to. No timing here: that is the bench's job.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.markdown_engines import (
    PROBES,
    ROOT,
    Layer,
    attempt,
    baseline_markdown,
    compare,
    engines,
    lint_agreement,
    read_bodies,
)

LISTS = "lists (nesting, 2/4-space indent)"


@pytest.fixture(scope="module")
def bench():
    baseline = baseline_markdown()
    found = {e.name: e for e in engines(baseline, Layer(baseline), lambda line: None)}
    bodies, refused = read_bodies((ROOT / PROBES).glob("*.md"), "fixture", ROOT)
    assert refused == []
    return baseline, found, {Path(b.path).stem: b for b in bodies}


def _compare(bench, engine: str, stem: str):
    baseline, found, bodies = bench
    text = bodies[stem].text
    return compare(baseline.reset().convert(text), found[engine].render(text))


def test_the_three_probes_are_read_and_counted_apart(bench):
    _, found, bodies = bench
    assert sorted(bodies) == ["code-table-headings", "footnote-attr-list", "nested-list-two-spaces"]
    assert {b.group for b in bodies.values()} == {"probe"}
    assert {"python-markdown", "markdown-it-py", "markdown-it-py+layer"} <= set(found)


def test_a_list_nested_by_two_spaces_is_a_list_difference(bench):
    for engine in ("markdown-it-py", "markdown-it-py+layer"):
        result = _compare(bench, engine, "nested-list-two-spaces")
        assert not result.identical and not result.normalised
        assert set(result.classes) == {LISTS}, result.classes
        assert any("<ul>" in example.split("⟶")[1] for example in result.classes[LISTS])


def test_the_layer_gives_codehilite_code_tables_and_toc_heading_ids(bench):
    plain = _compare(bench, "markdown-it-py", "code-table-headings")
    assert {"code highlighting", "heading ids", "tables"} <= set(plain.classes)
    layered = _compare(bench, "markdown-it-py+layer", "code-table-headings")
    assert layered.normalised, layered.classes
    _, found, bodies = bench
    page = found["markdown-it-py+layer"].render(bodies["code-table-headings"].text)
    assert 'id="cafe-opening-hours"' in page and 'id="cafe-opening-hours_1"' in page
    assert '<div class="highlight"><pre><span></span><code>' in page


def test_attr_list_is_named_and_the_layer_applies_it(bench):
    plain = _compare(bench, "markdown-it-py", "footnote-attr-list")
    assert "attr_list" in plain.classes
    assert "{: .lead }" in plain.classes["attr_list"][0]
    layered = _compare(bench, "markdown-it-py+layer", "footnote-attr-list")
    assert "attr_list" not in layered.classes, layered.classes
    _, found, bodies = bench
    page = found["markdown-it-py+layer"].render(bodies["footnote-attr-list"].text)
    assert '<p class="lead">A short note on the new dock schedule.</p>' in page


def test_same_html_is_identical():
    result = compare("<p>a</p>\n", "<p>a</p>\n")
    assert result.identical and result.normalised and result.classes == {}
    spaced = compare("<p>a</p>\n<p>b</p>", "<p>a</p><p>b</p>\n")
    assert not spaced.identical and spaced.normalised


def test_an_engine_that_panics_is_reported_for_that_post_only():
    class PanicException(BaseException):  # what pyo3 raises for a Rust panic
        pass

    def panics(text: str) -> str:
        raise PanicException("index out of bounds")

    assert attempt(panics, "[`") == (False, "PanicException: index out of bounds")
    assert attempt(str.upper, "a") == (True, "A")


def test_the_lint_sees_the_same_blocks_in_the_page_parse(bench):
    _, found, bodies = bench
    agreement = lint_agreement(
        found["markdown-it-py"], found["markdown-it-py+layer"], list(bodies.values())
    )
    assert (agreement["same"], agreement["differ"]) == (3, [])
