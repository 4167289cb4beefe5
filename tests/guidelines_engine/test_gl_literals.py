"""The prefilter that lets a rule skip paragraphs: which text every match must contain,
and that scanning only the paragraphs holding it finds what a full scan finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plugins.guidelines.config import load_guidelines
from plugins.guidelines.terms import Terms, compile_terms, required_literals

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bunreleased\s+(?:results|figures)\b", {"unreleased"}),
        (r"\bwe\s+(?:expect|forecast)\s+revenue", {"revenue"}),
        (r"\b(?:Oakstone|GreenGrip)\b[^.]{0,60}?\bjunk\b", {"oakstone", "greengrip"}),
        (r"colou?r", {"colo"}),
        (r"(?:knock-?offs?)", {"knock"}),
        (r"(?>atomic)ally", {"atomic"}),  # the longer of "atomic" and "ally"
        (r"(?:ab)+cdef", {"cdef"}),
    ],
)
def test_required_text_is_read_from_the_regex(pattern, expected):
    assert required_literals(pattern, re.IGNORECASE) == expected


@pytest.mark.parametrize(
    "pattern",
    [r"\d+", r"(?:!)", r"(?:ab)?cd", r"we\s+go", r"foo|\d+", r"line\nbreak", r"(unclosed"],
)
def test_no_useful_required_text_means_a_full_scan(pattern):
    assert required_literals(pattern) is None


def test_a_term_keeps_its_hash_and_skips_apostrophes():
    terms = compile_terms(["#sp", "I'm affiliated"])
    assert set(terms.literals) == {"#sp", "affiliated"}


def test_only_paragraphs_holding_the_text_are_scanned():
    terms = compile_terms(patterns=[r"\bunreleased\s+figures\b"])
    text = "Intro.\n\nOur unreleased figures.\n\nMore.\n\nunreleased\n\nfigures"
    assert [m.group() for m in terms.finditer(text)] == ["unreleased figures"]
    start = text.index("Our")
    assert terms.windows(text, 0, len(text))[0] == (start, start + len("Our unreleased figures."))


def test_a_letter_that_lowers_to_two_falls_back_to_a_full_scan():
    terms = compile_terms(["Kestrel"])
    text = "İstanbul and Kestrel"
    assert [m.group() for m in terms.finditer(text)] == ["Kestrel"]


def _posts() -> list[Path]:
    found = sorted((ROOT / "tests" / "fixtures").rglob("*.md"))
    found += sorted((ROOT / "content" / "posts").rglob("*.md"))
    return found


def test_windows_find_what_a_full_scan_finds_on_every_fixture():
    """Every term rule of the shipped guidelines, on every post fixture and demo post:
    the same matches, except a match that would join two paragraphs."""
    guidelines = load_guidelines(ROOT / "content" / "guidelines.yaml")
    compiled = [
        r.compiled if isinstance(r.compiled, Terms) else getattr(r.compiled, "pattern", None)
        for r in guidelines.rules
    ]
    matchers = [c for c in compiled if isinstance(c, Terms) and c.literals is not None]
    assert len(matchers) >= 5
    checked = 0
    for path in _posts():
        text = path.read_bytes().decode("utf-8", "replace")
        for terms in matchers:
            full = [m.span() for m in terms.pattern.finditer(text) if "\n\n" not in m.group()]
            assert [m.span() for m in terms.finditer(text)] == full, (path, terms.pattern)
            checked += len(full)
    assert checked > 0
